/**
 * The executor seam. `headprep run` turns its target into cells (plan.ts), groups them into jobs
 * and hands the jobs to an Executor, which must call `onBundle` once per cell as soon as that cell
 * finishes (the run command writes and signs the file at once, so nothing finished is lost).
 *
 * Two executors implement it: `serialExecutor` below (one job after another, in this thread) and
 * the `--jobs N` worker pool (pool.ts: one tfjs instance per worker thread; Jobs and CellConfigs
 * are plain JSON, so they travel through postMessage). Sharding (`--shard i/n`, shard.ts) is a
 * deterministic filter of the cell list before groupJobs, so executors know nothing of it.
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
