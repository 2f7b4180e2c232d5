/**
 * THE EXECUTOR SEAM. `headprep run` turns its target into cells, groups them into jobs and hands
 * the jobs to an Executor, which must call `onBundle` once per cell as soon as that cell finishes
 * (the run command writes + signs the file immediately, so nothing finished is ever lost).
 *
 * Today there is the serial executor (one job after another, in this thread). A parallel executor
 * (`--jobs N`: a worker_threads pool, one tfjs instance per worker) implements the same interface:
 * Jobs and CellConfigs are plain JSON, so a worker receives `job` via postMessage, calls
 * `initBackend(ctx.backend.name)` itself, runs `runJob(job, workerCtx)` and posts each bundle and
 * RunEvent back; the parent forwards them to `onBundle` / `ctx.onEvent`. Sharding (`--shard i/n`)
 * is a deterministic filter of the cell list before groupJobs (cells come out of planCells in a
 * fixed order), so it needs no executor support.
 */
import type { ResultBundle } from '../../contract';
import { runJob, type Job, type RunContext } from './job';

export interface Executor {
  name: string;
  run(jobs: Job[], ctx: RunContext, onBundle: (bundle: ResultBundle) => Promise<void>): Promise<void>;
}

export const serialExecutor: Executor = {
  name: 'serial',
  async run(jobs, ctx, onBundle) {
    for (const job of jobs) for await (const b of runJob(job, ctx)) await onBundle(b);
  },
};
