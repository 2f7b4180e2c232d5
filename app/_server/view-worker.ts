/**
 * A worker thread that builds leaderboard views (app/_lib/leaderboard-view.ts buildLeaderboardView:
 * the permutation tests, the claims, the chart data), so a recomputation after a change never
 * holds the server's event loop for the seconds it takes at 100k results: readers keep getting the
 * previous view meanwhile (db/queries/read-cache.ts). Started by app/_server/view-builder.ts.
 */
import { parentPort } from 'node:worker_threads';
import { buildLeaderboardView, type LeaderboardInput } from '../_lib/leaderboard-view';

parentPort?.on('message', (m: { id: number; input: LeaderboardInput }) => {
  try {
    parentPort!.postMessage({ id: m.id, view: buildLeaderboardView(m.input) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error)?.stack ?? String(e) });
  }
});
