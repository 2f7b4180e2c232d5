/**
 * A worker thread that unpacks the observations and builds leaderboard views (./view-input.ts, app/_lib/leaderboard-view.ts buildLeaderboardView:
 * the permutation tests, the claims, the chart data), so a recomputation after a change never
 * holds the server's event loop for the seconds it takes at 100k results: readers keep getting the
 * previous view meanwhile (db/queries/read-cache.ts). Started by app/_server/view-builder.ts.
 */
import { parentPort } from 'node:worker_threads';
import { buildFromPacked, type PackedViewInput } from './view-input';

parentPort?.on('message', (m: { id: number; input: PackedViewInput }) => {
  try {
    parentPort!.postMessage({ id: m.id, view: buildFromPacked(m.input) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error)?.stack ?? String(e) });
  }
});
// Loaded and listening: app/_server/view-builder.ts counts a view's build time from here on.
parentPort?.postMessage({ ready: true });
