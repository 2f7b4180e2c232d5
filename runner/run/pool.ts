/**
 * `--jobs N`: a worker_threads pool implementing the run command's Executor seam
 * (runner/run/executor.ts). Each worker has its own tfjs instance (tfjs-backend-wasm is
 * single-threaded in Node, so parallel jobs are how a second core gets used) and runs whole jobs,
 * so a tau sweep's shared head probe stays in one worker. Bundles come back to the parent as each
 * cell finishes and are handed to `onBundle` (which writes them atomically) one at a time, in
 * arrival order. A worker that crashes mid-job turns that job's unfinished cells into
 * `status: error` bundles (finished ones were already delivered) and is replaced; the sweep goes on.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { canonicalize, type CellConfig, type ResultBundle } from '../../contract';
import { serialExecutor, type Executor } from './executor';
import { errorBundle, type Job, type RunContext, type RunEvent } from './job';
import type { BackendPref } from '../train/backend';

export interface ParallelOptions {
  /** Worker threads (default: the number of cores). With <= 1 worker or job, runs serially in-process. */
  jobs?: number;
  /** Backend each worker initialises (default: the parent's backend name). */
  backend?: BackendPref;
  /** TypeScript module the bootstrap loads in each worker (tests inject crashing workers). */
  workerEntry?: URL;
  /** How many crashed workers may be replaced before the remaining jobs are failed (default 4 + jobs). */
  maxRespawns?: number;
}

type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'event'; event: RunEvent }
  | { type: 'bundle'; bundle: ResultBundle }
  | { type: 'log'; line: string }
  | { type: 'job-done' };

export function defaultJobs(): number {
  return availableParallelism();
}

/** Parses `--jobs` (a positive integer); returns a clear message on bad input. */
export function parseJobs(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 256) throw new Error(`--jobs: expected an integer from 1 to 256, got "${s}"`);
  return Number(s);
}

const cellKey = (c: CellConfig): string => canonicalize(c);

interface Slot {
  id: number;
  worker: Worker;
  ready: boolean;
  job: Job | null;
  jobStarted: Date;
  delivered: Set<string>;
  dead: boolean;
}

export function parallelExecutor(opts: ParallelOptions = {}): Executor {
  const want = opts.jobs ?? defaultJobs();
  return {
    name: `parallel(${want})`,
    async run(jobs, ctx, onBundle) {
      const n = Math.min(want, jobs.length);
      if (n <= 1) return serialExecutor.run(jobs, ctx, onBundle);
      return runPool(jobs, n, ctx, onBundle, opts);
    },
  };
}

async function runPool(jobs: Job[], n: number, ctx: RunContext, onBundle: (b: ResultBundle) => Promise<void>, opts: ParallelOptions): Promise<void> {
  const queue = [...jobs];
  const entry = opts.workerEntry ?? new URL('./pool-worker.ts', import.meta.url);
  const bootstrap = new URL('./pool-bootstrap.mjs', import.meta.url);
  const backend = opts.backend ?? ctx.backend.name;
  let respawns = opts.maxRespawns ?? 4 + n;
  let nextId = 0;
  const slots = new Set<Slot>();

  // onBundle calls are serialised: the run command writes and counts them one at a time.
  let chain: Promise<void> = Promise.resolve();
  let firstError: unknown = null;
  const deliver = (b: ResultBundle) => {
    chain = chain.then(() => onBundle(b)).catch((e: unknown) => {
      firstError ??= e;
    });
  };

  return new Promise<void>((resolve, reject) => {
    const finishIfDone = () => {
      if (queue.length > 0 || [...slots].some((s) => s.job)) return;
      for (const s of slots) {
        s.dead = true;
        void s.worker.terminate();
      }
      slots.clear();
      chain.then(() => (firstError ? reject(firstError) : resolve()), reject);
    };

    const failJob = (job: Job, delivered: Set<string>, started: Date, why: string) => {
      for (const cell of job.cells) {
        if (delivered.has(cellKey(cell))) continue;
        chain = chain
          .then(async () => onBundle(await errorBundle(cell, new Error(why), ctx, started)))
          .catch((e: unknown) => {
            firstError ??= e;
          });
      }
    };

    const dispatch = (s: Slot) => {
      const job = queue.shift();
      if (!job) {
        finishIfDone();
        return;
      }
      s.job = job;
      s.jobStarted = new Date();
      s.delivered = new Set();
      s.worker.postMessage({ type: 'job', job });
    };

    const onDeath = (s: Slot, why: string) => {
      if (s.dead) return;
      s.dead = true;
      slots.delete(s);
      if (s.job) {
        ctx.log?.(`worker ${s.id} crashed during a job (${why}); its ${s.job.cells.length - s.delivered.size} unfinished cell(s) are recorded as errors`);
        failJob(s.job, s.delivered, s.jobStarted, `worker thread crashed: ${why}`);
        s.job = null;
      }
      if (queue.length > 0) {
        if (respawns-- > 0) spawn();
        else if (slots.size === 0) {
          for (const job of queue.splice(0)) failJob(job, new Set(), new Date(), `no worker thread could run this job (last failure: ${why})`);
        }
      }
      finishIfDone();
    };

    const spawn = () => {
      const id = nextId++;
      const worker = new Worker(bootstrap, { workerData: { entry: entry.href, backend } });
      const s: Slot = { id, worker, ready: false, job: null, jobStarted: new Date(), delivered: new Set(), dead: false };
      slots.add(s);
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          s.ready = true;
          dispatch(s);
        } else if (m.type === 'event') ctx.onEvent?.(m.event);
        else if (m.type === 'log') ctx.log?.(`[worker ${id}] ${m.line}`);
        else if (m.type === 'bundle') {
          s.delivered.add(cellKey(m.bundle.config));
          deliver(m.bundle);
        } else if (m.type === 'job-done') {
          if (s.job) {
            // A job that ended without a bundle for some cell (should not happen) still accounts for it.
            const missing = s.job.cells.filter((c) => !s.delivered.has(cellKey(c)));
            if (missing.length) failJob({ ...s.job, cells: missing }, s.delivered, s.jobStarted, 'the worker finished the job without a result for this cell');
          }
          s.job = null;
          dispatch(s);
        }
      });
      worker.on('error', (e) => onDeath(s, e.message));
      worker.on('exit', (code) => onDeath(s, `exit code ${code}`));
    };

    try {
      for (let i = 0; i < n; i++) spawn();
    } catch (e) {
      reject(e);
    }
  });
}
