/**
 * One finetuning step of the digits backbones + a 10-way linear head, timed (helper for
 * runner.bench.ts; also the body of its worker threads for the --jobs scaling measurement).
 *
 * Rules (docs/engineering.md, 'Measuring'): warm-up steps excluded; every timed step ends with a dataSync on the
 * loss, so the clock is read after the backend has finished.
 */
import * as tf from '@tensorflow/tfjs';
import { buildCnnDigits } from '../../runner/backbones/cnn-digits';
import { useWasmBackend } from '../../runner/kernels/node-wasm';
import { buildMlp } from '../../runner/run/step-timer';

export type StepModel = 'cnn-digits' | 'cnn-digits-bn' | 'mlp-digits';
export type StepBackend = 'wasm' | 'wasm-stock' | 'cpu' | 'tensorflow';

export interface StepSpec {
  model: StepModel;
  backend: StepBackend;
  batch: number;
  /** Timed steps (upper bound); timing also stops once `maxSeconds` have passed. */
  steps: number;
  warmup?: number;
  maxSeconds?: number;
}

export interface StepResult {
  samples_per_sec: number;
  step_time_ms: number;
  steps_timed: number;
  peak_rss_mib: number;
}

export async function selectBackend(b: StepBackend): Promise<void> {
  if (b === 'tensorflow') {
    // tfjs-node-gpu or tfjs-node when installed; throws "not available ... Install it with" otherwise.
    const { initBackend } = await import('../../runner/train/backend');
    await initBackend('tensorflow');
  } else if (b === 'cpu') {
    await tf.setBackend('cpu');
    await tf.ready();
  } else {
    const { unregisterWasmKernels } = await import('../../runner/kernels/index');
    await useWasmBackend({ stock: b === 'wasm-stock' });
    if (b === 'wasm-stock') unregisterWasmKernels();
  }
}

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

/** The runner's own finetuning step (runner/run/step-timer.ts: what `headprep run` and `headprep doctor` execute). */
export async function measureRunnerStep(spec: StepSpec): Promise<StepResult> {
  await selectBackend(spec.backend);
  const { timeFtStep } = await import('../../runner/run/step-timer');
  const r = await timeFtStep({ model: spec.model, batch: spec.batch, seconds: spec.maxSeconds ?? 5, maxSteps: spec.steps, warmup: spec.warmup });
  sampleRss();
  return { samples_per_sec: r.samples_per_sec, step_time_ms: r.mean_step_ms, steps_timed: r.steps_timed, peak_rss_mib: peakRss / 2 ** 20 };
}

export async function measureStep(spec: StepSpec): Promise<StepResult> {
  await selectBackend(spec.backend);
  tf.util.assert(tf.getBackend() === (spec.backend === 'cpu' ? 'cpu' : 'wasm'), () => 'backend not selected');
  const backbone = spec.model === 'mlp-digits' ? buildMlp() : buildCnnDigits({ seed: 1, batchNorm: spec.model === 'cnn-digits-bn' });
  const headLayer = tf.layers.dense({ units: 10, name: 'head' });
  const logitsOf = (x: tf.Tensor) => headLayer.apply(backbone.apply(x, { training: true }) as tf.Tensor) as tf.Tensor;
  const x = tf.randomUniform([spec.batch, 28, 28, 1], 0, 1, 'float32', 7);
  const y = tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32', 8) as tf.Tensor1D, 10);
  const opt = tf.train.momentum(0.01, 0.9);
  const step = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, logitsOf(x)) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
    sampleRss();
  };
  try {
    for (let i = 0; i < (spec.warmup ?? 3); i++) step();
    await tf.ready();
    const maxMs = (spec.maxSeconds ?? 5) * 1000;
    const t0 = performance.now();
    let n = 0;
    while (n < spec.steps && (n === 0 || performance.now() - t0 < maxMs)) {
      step();
      n++;
    }
    const ms = performance.now() - t0;
    return { samples_per_sec: (n * spec.batch) / (ms / 1000), step_time_ms: ms / n, steps_timed: n, peak_rss_mib: peakRss / 2 ** 20 };
  } finally {
    tf.dispose([x, y]);
    opt.dispose();
    backbone.dispose();
    headLayer.dispose();
  }
}
