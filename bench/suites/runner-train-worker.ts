/** Worker body for runner.bench.ts's --jobs scaling: one measureStep in its own tfjs instance. */
import { parentPort, workerData } from 'node:worker_threads';
import { measureStep, type StepSpec } from './runner-train-step';

const spec = (workerData as { spec: StepSpec }).spec;
parentPort!.postMessage(await measureStep(spec));
