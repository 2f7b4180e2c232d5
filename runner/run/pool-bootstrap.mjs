// Worker-thread entry for runner/run/pool.ts. A worker_threads Worker does not inherit the
// parent's tsx loader, so register it here, then load the TypeScript worker module it was given.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
