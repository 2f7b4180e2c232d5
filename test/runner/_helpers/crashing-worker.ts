/**
 * A deliberately crashing --jobs worker (test double for parallel.ts's crash handling; speaks the
 * same protocol as runner/run/pool-worker.ts). For a job whose first cell has seed 0 it
 * finishes ONE cell, then dies (process.exit in a worker ends just the thread); other jobs finish
 * normally. Bundles are fixtures: this tests the pool, not training.
 */
import { parentPort } from 'node:worker_threads';
import type { Job } from '../../../runner/run/job';
import { makeBundle } from '../../fixtures/bundle';

const port = parentPort!;
port.on('message', (msg: { type: 'job'; job: Job }) => {
  const cells = msg.job.cells;
  if (cells[0]!.seed === 0) {
    port.postMessage({ type: 'bundle', bundle: makeBundle(cells[0]!) });
    setTimeout(() => process.exit(3), 20);
    return;
  }
  for (const c of cells) port.postMessage({ type: 'bundle', bundle: makeBundle(c) });
  port.postMessage({ type: 'job-done' });
});
port.postMessage({ type: 'ready', backend: 'cpu' });
