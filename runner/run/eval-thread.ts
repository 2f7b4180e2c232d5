/**
 * Overlaps each FT epoch's evaluation with the next epoch's training on a second core: the
 * training thread hands the epoch's weights (a copy, ~28k values for cnn-digits) to a worker
 * thread (eval-worker.ts) with its own tfjs instance, which runs the same EpochEvaluator code on
 * the same single-threaded backend, so the rows are bit-identical to inline evaluation (tested).
 * Used when a run leaves a core idle (one job at a time on a machine with >= 2 cores: a single
 * cell, `headprep reproduce`, `--jobs 1`); with `--jobs N` every core already trains.
 *
 * One worker per process, started on first use and kept for later cells (start-up costs ~1-2 s);
 * it is unref'd between cells so it never keeps the process alive.
 */
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EpochRow, Head } from '../../contract';
import type { SavedModel } from '../backbones/io';
import type { BackendInfo, BackendName } from '../train/backend';
import type { tf } from '../train/tf';
import type { EpochTrainStats, EvalData } from './epoch-eval';
import type { ToEvalWorker } from './eval-worker';

type FromEvalWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; rows: EpochRow[]; oodAtBest: number | null; eval_s: number; feature_metrics_s: number }
  | { type: 'error'; id: number; message: string };

export interface EvalThreadResult {
  rows: EpochRow[];
  oodAtBest: number | null;
  /** Seconds the worker spent evaluating (overlapped with training). */
  worker_seconds: number;
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
}

export class EvalThread {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: EvalThreadResult) => void; reject: (e: Error) => void }>();
  private dead: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromEvalWorker) => {
      if (m.type === 'ready') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.type === 'done') p.resolve({ rows: m.rows, oodAtBest: m.oodAtBest, worker_seconds: m.eval_s + m.feature_metrics_s });
      else p.reject(new Error(`evaluation worker: ${m.message}`));
      if (!this.pending.size) worker.unref();
    });
    const fail = (e: Error) => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      shared = null;
    };
    worker.on('error', (e) => fail(new Error(`evaluation worker crashed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`evaluation worker exited (code ${code})`)));
  }

  static start(backend: BackendName): Promise<EvalThread> {
    const worker = new Worker(new URL('./pool-bootstrap.mjs', import.meta.url), { workerData: { entry: new URL('./eval-worker.ts', import.meta.url).href, backend } });
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(new Error(`evaluation worker did not start: ${e.message}`));
      worker.once('error', onError);
      worker.once('message', (m: FromEvalWorker) => {
        worker.off('error', onError);
        if (m.type !== 'ready') return reject(new Error('evaluation worker: unexpected first message'));
        worker.unref();
        resolve(new EvalThread(worker));
      });
    });
  }

  /** Starts a cell; returns its handle for epochs and the final result. */
  cell(init: { data: EvalData; saved: SavedModel; featureLayer: string; head: Head; seed: number; bestVal0: number; oodAtBest0: number | null }): EvalCell {
    if (this.dead) throw this.dead;
    const id = this.nextId++;
    this.worker.ref();
    const done = new Promise<EvalThreadResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    done.catch(() => {}); // observed by finish(); avoid an unhandled rejection before then
    this.post({ type: 'cell', id, ...init });
    return {
      epoch: (backbone, head, stats) => {
        const b = weightsOf(backbone);
        const h = weightsOf(head);
        this.post({ type: 'epoch', id, backbone: b, head: h, stats }, [...b, ...h].map((a) => a.buffer as ArrayBuffer));
      },
      finish: () => {
        this.post({ type: 'end', id });
        return done;
      },
    };
  }

  private post(msg: ToEvalWorker, transfer: ArrayBuffer[] = []): void {
    if (this.dead) throw this.dead;
    this.worker.postMessage(msg, transfer);
  }
}

export interface EvalCell {
  /** Queues the evaluation of the models' current weights after FT epoch `stats.epoch`. */
  epoch(backbone: tf.LayersModel, head: tf.LayersModel, stats: EpochTrainStats): void;
  /** Resolves with every queued epoch's row, in order, once the worker has evaluated them. */
  finish(): Promise<EvalThreadResult>;
}

let shared: Promise<EvalThread> | null = null;

/** The process's evaluation worker on `backend` (started on first use). */
export function evalThread(backend: BackendName): Promise<EvalThread> {
  if (!shared) {
    shared = EvalThread.start(backend);
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/**
 * Whether a run that trains `trainingThreads` jobs at once leaves a core for the evaluation
 * worker: wasm or cpu (native TensorFlow is multi-threaded itself, webgpu keeps its device in
 * the training thread) and at least one core more than
 * the training threads and the machine's current load (1-minute load average) occupy, give or take
 * half a core. Measured on the 2-core development machine at load ~6.5: with no free core the
 * worker slowed a digits-transfer@2 cell down (22.3 s vs 19.9 s inline). HEADPREP_EVAL_THREAD=0
 * turns it off, =1 on regardless.
 */
export function evalThreadFits(backend: BackendInfo, trainingThreads: number): boolean {
  const env = process.env.HEADPREP_EVAL_THREAD;
  if (env === '0') return false;
  // Native TensorFlow is multi-threaded itself; webgpu holds one GPU device in this thread.
  if (backend.name === 'tensorflow' || backend.name === 'webgpu') return false;
  if (env === '1') return true;
  return availableParallelism() - loadavg()[0]! >= trainingThreads + 0.5;
}
