/**
 * Body of the evaluation worker thread (runner/run/eval-thread.ts): its own tfjs instance on the
 * same backend as the training thread, evaluating FT epoch k while the training thread already
 * trains epoch k+1. Protocol (postMessage, plain data; handled strictly in order):
 *   parent -> worker: { type: 'cell', id, data, saved, featureLayer, head, seed, bestVal0, oodAtBest0 }
 *                     { type: 'epoch', id, backbone: Float32Array[], head: Float32Array[], stats }
 *                     { type: 'end', id }
 *   worker -> parent: { type: 'ready' } once; { type: 'done', id, rows, oodAtBest, eval_s,
 *                     feature_metrics_s } after 'end'; { type: 'error', id, message } on a failure.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Head } from '../../contract';
import { instantiateBackbone, type BackboneModel } from '../backbones/index';
import type { SavedModel } from '../backbones/io';
import { initBackend, type BackendPref } from '../train/backend';
import { buildHead } from '../train/head';
import { tf } from '../train/tf';
import { EpochEvaluator, type EpochTrainStats, type EvalData } from './epoch-eval';

export type ToEvalWorker =
  | { type: 'cell'; id: number; data: EvalData; saved: SavedModel; featureLayer: string; head: Head; seed: number; bestVal0: number; oodAtBest0: number | null }
  | { type: 'epoch'; id: number; backbone: Float32Array[]; head: Float32Array[]; stats: EpochTrainStats }
  | { type: 'end'; id: number };

const port = parentPort;
if (!port) throw new Error('eval-worker.ts must run inside a worker thread');
await initBackend((workerData as { backend: BackendPref }).backend);

interface CellState {
  id: number;
  backbone: BackboneModel;
  head: tf.LayersModel;
  ev: EpochEvaluator;
}
let cell: CellState | null = null;
let failed: { id: number; message: string } | null = null;

function setWeights(model: tf.LayersModel, values: Float32Array[]): void {
  const ws = model.weights;
  if (ws.length !== values.length) throw new Error(`eval worker: expected ${ws.length} weight arrays, got ${values.length}`);
  tf.tidy(() => model.setWeights(values.map((v, i) => tf.tensor(v, ws[i]!.shape as number[], 'float32'))));
}

function dispose(): void {
  cell?.backbone.dispose();
  cell?.head.dispose();
  cell = null;
}

async function handle(msg: ToEvalWorker): Promise<void> {
  if (failed && failed.id === msg.id) {
    if (msg.type === 'end') {
      port!.postMessage({ type: 'error', id: msg.id, message: failed.message });
      failed = null;
    }
    return;
  }
  try {
    if (msg.type === 'cell') {
      dispose();
      const backbone = await instantiateBackbone(msg.saved, msg.featureLayer);
      const head = buildHead(msg.head, msg.data.featDim, msg.data.k, msg.seed);
      cell = { id: msg.id, backbone, head, ev: new EpochEvaluator(msg.data, msg.bestVal0, msg.oodAtBest0) };
    } else if (msg.type === 'epoch') {
      if (!cell || cell.id !== msg.id) throw new Error(`eval worker: epoch for unknown cell ${msg.id}`);
      setWeights(cell.backbone.model, msg.backbone);
      setWeights(cell.head, msg.head);
      await cell.ev.evaluate(cell.backbone.model, cell.head, msg.stats);
    } else {
      if (!cell || cell.id !== msg.id) throw new Error(`eval worker: end of unknown cell ${msg.id}`);
      const { ev } = cell;
      port!.postMessage({ type: 'done', id: msg.id, rows: ev.rows, oodAtBest: ev.oodAtBest, eval_s: ev.clock.get('eval'), feature_metrics_s: ev.clock.get('feature_metrics') });
      dispose();
    }
  } catch (e) {
    dispose();
    const message = (e as Error).message ?? String(e);
    if (msg.type === 'end') port!.postMessage({ type: 'error', id: msg.id, message });
    else failed = { id: msg.id, message };
  }
}

let queue = Promise.resolve();
port.on('message', (msg: ToEvalWorker) => {
  queue = queue.then(() => handle(msg));
});
port.postMessage({ type: 'ready' });
