import 'server-only';
import { Worker } from 'node:worker_threads';
import type { LeaderboardView } from '../_lib/dto';
import { buildFromPacked, type PackedViewInput } from './view-input';

/**
 * Builds a leaderboard view in a worker thread (./view-worker.ts), one per process, started on
 * first use; views are built one after another there. The server's event loop only copies the
 * input to the worker and the view back. Where no worker can start (HEADPREP_VIEW_WORKER=0, or a
 * platform without worker_threads) the view is built inline, the same pure function.
 */
type Pending = { input: PackedViewInput; resolve(v: LeaderboardView): void; reject(e: Error): void };
const g = globalThis as typeof globalThis & { __headprepViewWorker?: { worker: Worker; pending: Map<number, Pending>; next: number } | null };

function worker() {
  if (g.__headprepViewWorker !== undefined) return g.__headprepViewWorker;
  if (process.env.HEADPREP_VIEW_WORKER === '0') return (g.__headprepViewWorker = null);
  try {
    const w = new Worker(new URL('./view-worker.ts', import.meta.url));
    const state = { worker: w, pending: new Map<number, Pending>(), next: 0 };
    w.unref();
    w.on('message', (m: { id: number; view?: LeaderboardView; error?: string } | { ready: true }) => {
      if ('ready' in m) return;
      const p = state.pending.get(m.id);
      state.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`view worker: ${m.error}`));
      else p?.resolve(m.view!);
    });
    const fail = (e: unknown) => {
      if (g.__headprepViewWorker !== state) return;
      console.error(`[view-worker] stopped (${(e as Error)?.message ?? e}); building views inline from now on`);
      g.__headprepViewWorker = null;
      // What the worker held is built here instead: a reader never sees the worker's failure.
      for (const p of state.pending.values()) {
        try {
          p.resolve(buildFromPacked(p.input));
        } catch (err) {
          p.reject(err as Error);
        }
      }
      state.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => code !== 0 && fail(new Error(`exit code ${code}`)));
    return (g.__headprepViewWorker = state);
  } catch (e) {
    console.error(`[view-worker] cannot start (${(e as Error)?.message ?? e}); building views inline`);
    return (g.__headprepViewWorker = null);
  }
}

/**
 * Starts the worker now (instrumentation.ts, at server start), so that loading it is not counted in
 * the first view's build time: db/queries/read-cache.ts takes a view that built slower than the
 * reader's wait for a slow one, and would serve a small site's first change stale.
 */
export function startViewWorker(): void {
  worker();
}

export async function buildViewOffThread(input: PackedViewInput): Promise<LeaderboardView> {
  const w = worker();
  if (!w) return buildFromPacked(input);
  const id = w.next++;
  return new Promise<LeaderboardView>((resolve, reject) => {
    w.pending.set(id, { input, resolve, reject });
    w.worker.postMessage({ id, input });
  });
}
