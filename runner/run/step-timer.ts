/**
 * Times the runner's own finetuning step (train/loops.ts ftStep: forward in training mode,
 * cross-entropy, gradients of every variable, one optimiser update) on a digits backbone plus a
 * 10-way linear head, with digits-transfer@2's FT optimiser (Nesterov momentum 0.9, coupled L2
 * 5e-4, lr 1e-3), on one fixed pseudo-random batch. Used by `headprep doctor` and by the benchmark
 * (bench/suites/runner.bench.ts). Warm-up steps are excluded; every step ends by reading its loss back (in
 * ftStep), so the clock is read after the backend finished.
 */
import { buildCnnDigits } from '../backbones/cnn-digits';
import { MLP_DIGITS_RECIPE } from '../backbones/mlp-digits';
import { buildHead, headVariables } from '../train/head';
import { ftStep } from '../train/loops';
import { Optimizer } from '../train/optim';
import { tf } from '../train/tf';

export type StepModel = 'cnn-digits' | 'cnn-digits-bn' | 'mlp-digits';
export const STEP_MODELS: readonly StepModel[] = ['cnn-digits', 'cnn-digits-bn', 'mlp-digits'];

export interface StepTiming {
  model: StepModel;
  batch: number;
  /** Fastest timed step, ms (noise on a shared machine only slows a step down). */
  best_step_ms: number;
  /** Mean over the timed steps, ms. */
  mean_step_ms: number;
  /** batch / mean step time. */
  samples_per_sec: number;
  steps_timed: number;
  /** Live tensors after the last step minus after the first timed one (0: no leak). */
  tensor_growth: number;
  /** The first (untimed warm-up) step, ms: on webgpu it includes compiling every shader. */
  first_step_ms: number | null;
}

/** The mlp-digits architecture (backbones/mlp-digits.ts): 784 -> hidden... ReLU. */
export function buildMlp(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let h = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  for (const units of MLP_DIGITS_RECIPE.hidden) h = tf.layers.dense({ units, activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h });
}

/** The step's model, optimiser and one fixed pseudo-random batch; dispose() frees them. */
function stepSetup(model: StepModel, batch: number): { run: () => Promise<void>; dispose: () => void } {
  const backbone = model === 'mlp-digits' ? buildMlp() : buildCnnDigits({ seed: 1, batchNorm: model === 'cnn-digits-bn' });
  const featDim = backbone.outputs[0]!.shape.at(-1)!;
  const head = buildHead({ kind: 'linear', depth: 1, width: 0, init: 'pytorch' }, featDim, 10, 0);
  const headVars = headVariables(head);
  const opt = new Optimizer(
    { optimizer: 'momentum', momentum: 0.9, nesterov: true, lr: 1e-3, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 5e-4, weight_decay_mode: 'l2', batch_size: batch },
    [...backbone.trainableWeights.map((w) => w.read() as tf.Variable), ...headVars],
  );
  const mdl = { backbone, head, opt, headVarNames: new Set(headVars.map((v) => v.name)), inputShape: [28, 28, 1], k: 10 };
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const xb = Float32Array.from({ length: batch * 784 }, rnd);
  const yb = Int32Array.from({ length: batch }, () => Math.floor(rnd() * 10));
  return {
    run: async () => void (await ftStep(mdl, xb, yb, batch, 1e-3)),
    dispose: () => {
      opt.dispose();
      backbone.dispose();
      head.dispose();
    },
  };
}

/** Times up to `maxSteps` steps or `seconds` seconds (at least one) after `warmup` untimed ones, on the active backend. */
export async function timeFtStep(opts: { model: StepModel; batch: number; seconds?: number; maxSteps?: number; warmup?: number }): Promise<StepTiming> {
  const { model, batch } = opts;
  const step = stepSetup(model, batch);
  try {
    let first: number | null = null;
    for (let i = 0; i < (opts.warmup ?? 3); i++) {
      const w0 = performance.now();
      await step.run();
      if (i === 0) first = performance.now() - w0;
    }
    const maxMs = (opts.seconds ?? 3) * 1000;
    const maxSteps = opts.maxSteps ?? 100_000;
    let n = 0;
    let best = Infinity;
    let tensors0 = 0;
    const t0 = performance.now();
    while (n < maxSteps && (n === 0 || performance.now() - t0 < maxMs)) {
      const s0 = performance.now();
      await step.run();
      best = Math.min(best, performance.now() - s0);
      if (n === 0) tensors0 = tf.memory().numTensors;
      n++;
    }
    const mean = (performance.now() - t0) / n;
    return { model, batch, best_step_ms: best, mean_step_ms: mean, samples_per_sec: (batch * 1000) / mean, steps_timed: n, tensor_growth: tf.memory().numTensors - tensors0, first_step_ms: first };
  } finally {
    step.dispose();
  }
}

/** Kernels that are the step's arithmetic (matrix products and convolutions); the rest is bookkeeping. */
export const ARITHMETIC_KERNELS: ReadonlySet<string> = new Set([
  'BatchMatMul',
  '_FusedMatMul',
  'Conv2D',
  'FusedConv2D',
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
]);

/**
 * The step's arithmetic floor: per step, the time spent inside matrix-product and convolution
 * kernels (tf.profile, fastest of `steps` profiled steps after `warmup`). A step can get no faster
 * than this on the active backend without faster kernels, so it bounds what removing overhead can
 * reach (the benchmark's ratio ceiling against PyTorch).
 */
export async function arithmeticFloorMs(opts: { model: StepModel; batch: number; steps?: number; warmup?: number }): Promise<{ floor_ms: number; step_ms: number }> {
  const step = stepSetup(opts.model, opts.batch);
  try {
    for (let i = 0; i < (opts.warmup ?? 10); i++) await step.run();
    let floor = Infinity;
    let whole = Infinity;
    for (let i = 0; i < (opts.steps ?? 10); i++) {
      const t0 = performance.now();
      const info = await tf.profile(() => step.run());
      whole = Math.min(whole, performance.now() - t0);
      const kernels = await Promise.all(info.kernels.filter((k) => ARITHMETIC_KERNELS.has(k.name)).map(async (k) => Number(await k.kernelTimeMs)));
      floor = Math.min(floor, kernels.reduce((p, q) => p + q, 0));
    }
    return { floor_ms: floor, step_ms: whole };
  } finally {
    step.dispose();
  }
}
