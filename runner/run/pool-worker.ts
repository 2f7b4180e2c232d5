/**
 * Body of one `--jobs` worker thread: its own tfjs instance (module state is per thread), its own
 * backend, then jobs one at a time. Protocol (all plain JSON through postMessage):
 *   parent -> worker: { type: 'job', job }
 *   worker -> parent: { type: 'ready', backend } once, then per job: { type: 'event', event } and
 *                     { type: 'bundle', bundle } as each cell finishes, { type: 'log', line },
 *                     finally { type: 'job-done' }.
 * A crash (uncaught error, process.exit, out of memory) is seen by the parent as the Worker's
 * 'error' / 'exit'; it marks the unfinished cells of the job as error bundles.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob, type Job, type RunContext } from './job';
import { initBackend, type BackendPref } from '../train/backend';

export interface WorkerInit {
  entry: string;
  backend: BackendPref;
}

export type ToWorker = { type: 'job'; job: Job };

const port = parentPort;
if (!port) throw new Error('pool-worker.ts must run inside a worker thread');
const init = workerData as WorkerInit;
const backend = await initBackend(init.backend);
const ctx: RunContext = {
  backend,
  onEvent: (event) => port.postMessage({ type: 'event', event }),
  log: (line) => port.postMessage({ type: 'log', line }),
};
port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'job') return;
  // runJob registers the on-demand pieces of the job's suite (cifar10-transfer) in this thread.
  void (async () => {
    for await (const bundle of runJob(msg.job, ctx)) port.postMessage({ type: 'bundle', bundle });
    port.postMessage({ type: 'job-done' });
  })();
});
port.postMessage({ type: 'ready', backend: backend.name });
