/**
 * Times the runner's own finetuning step (train/loops.ts ftStep: forward in training mode,
 * cross-entropy, gradients of every variable, one optimiser update) on a digits backbone plus a
 * 10-way linear head, with digits-transfer@2's FT optimiser (Nesterov momentum 0.9, coupled L2
 * 5e-4, lr 1e-3), on one fixed pseudo-random batch. Used by `headprep doctor` and by the benchmark
 * (bench/suites/runner.bench.ts). Warm-up steps are excluded; every step ends by reading its loss back (in
 * ftStep), so the clock is read after the backend finished.
 */
import { buildCnnDigits } from '../backbones/cnn-digits';
import { buildResNetCifar } from '../backbones/resnet18';
import { stockConv2DBackpropFilter } from '../kernels/webgpu';
import { MLP_DIGITS_RECIPE } from '../backbones/mlp-digits';
import { buildHead, headVariables } from '../train/head';
import { ftStep } from '../train/loops';
import { Optimizer } from '../train/optim';
import { tf } from '../train/tf';

export type StepModel = 'cnn-digits' | 'cnn-digits-bn' | 'mlp-digits' | 'resnet18-cifar';
export const STEP_MODELS: readonly StepModel[] = ['cnn-digits', 'cnn-digits-bn', 'mlp-digits', 'resnet18-cifar'];

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
function stepSetup(model: StepModel, batch: number): { backbone: tf.LayersModel; run: () => Promise<void>; dispose: () => void } {
  const backbone =
    model === 'mlp-digits' ? buildMlp() : model === 'resnet18-cifar' ? buildResNetCifar({ seed: 1 }) : buildCnnDigits({ seed: 1, batchNorm: model === 'cnn-digits-bn' });
  const inputShape = model === 'resnet18-cifar' ? [32, 32, 3] : [28, 28, 1];
  const size = inputShape.reduce((a, b) => a * b, 1);
  const featDim = backbone.outputs[0]!.shape.at(-1)!;
  const head = buildHead({ kind: 'linear', depth: 1, width: 0, init: 'pytorch' }, featDim, 10, 0);
  const headVars = headVariables(head);
  const opt = new Optimizer(
    { optimizer: 'momentum', momentum: 0.9, nesterov: true, lr: 1e-3, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 5e-4, weight_decay_mode: 'l2', batch_size: batch },
    [...backbone.trainableWeights.map((w) => w.read() as tf.Variable), ...headVars],
  );
  const mdl = { backbone, head, opt, headVarNames: new Set(headVars.map((v) => v.name)), inputShape, k: 10 };
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const xb = Float32Array.from({ length: batch * size }, rnd);
  const yb = Int32Array.from({ length: batch }, () => Math.floor(rnd() * 10));
  return {
    backbone,
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

export interface KernelProfile {
  /** Whether the backend timed kernels on the device (webgpu: the adapter's timestamp-query). */
  device_timestamps: boolean;
  /** Wall time of the profiled step, ms (profiling serialises the kernels: slower than a plain step). */
  step_ms: number;
  /** Per kernel name: launches and summed kernel time, slowest first. */
  kernels: { name: string; count: number; ms: number }[];
  /**
   * The convolution kernels of each Conv2D layer timed one by one (wall time, read back after
   * each, median of 3 after a warm-up): a per-op answer where the device has no timestamps.
   */
  conv_ops: {
    layer: string;
    x: number[];
    filter: number[];
    conv2d_ms: number;
    backprop_filter_ms: number;
    /** On webgpu: tfjs's own Conv2DBackpropFilter at the same shapes (runner/kernels/webgpu.ts replaces it). */
    backprop_filter_stock_ms: number | null;
    backprop_input_ms: number;
  }[];
}

async function medianMs(fn: () => tf.Tensor, reps = 3): Promise<number> {
  const once = async () => {
    const t0 = performance.now();
    const y = fn();
    await y.data();
    y.dispose();
    return performance.now() - t0;
  };
  await once();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) ts.push(await once());
  return ts.sort((p, q) => p - q)[Math.floor(reps / 2)]!;
}

/** Times Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput at each Conv2D layer's shapes in `model`. */
async function convOps(model: tf.LayersModel, batch: number): Promise<KernelProfile['conv_ops']> {
  const out: KernelProfile['conv_ops'] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const cfg = layer.getConfig() as { strides: number[]; padding: 'same' | 'valid' };
    const inShape = [batch, ...(layer.input as tf.SymbolicTensor).shape.slice(1)] as [number, number, number, number];
    const outShape = [batch, ...(layer.output as tf.SymbolicTensor).shape.slice(1)] as [number, number, number, number];
    const fShape = layer.getWeights()[0]!.shape as [number, number, number, number];
    const strides = [cfg.strides[0]!, cfg.strides[1]!] as [number, number];
    const x = tf.randomUniform(inShape, 0, 1, 'float32', 1) as tf.Tensor4D;
    const f = tf.randomUniform(fShape, -0.1, 0.1, 'float32', 2) as tf.Tensor4D;
    const dy = tf.randomUniform(outShape, -1, 1, 'float32', 3) as tf.Tensor4D;
    const attrs = { strides, pad: cfg.padding, dataFormat: 'NHWC' as const, dilations: [1, 1] as [number, number] };
    const stock = tf.getBackend() === 'webgpu' ? stockConv2DBackpropFilter() : null;
    out.push({
      layer: layer.name,
      x: inShape,
      filter: fShape,
      conv2d_ms: await medianMs(() => tf.conv2d(x, f, strides, cfg.padding)),
      backprop_filter_ms: await medianMs(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: fShape }) as tf.Tensor),
      backprop_filter_stock_ms: stock
        ? await medianMs(() => tf.engine().makeTensorFromTensorInfo(stock({ inputs: { x, dy }, backend: tf.backend(), attrs: { ...attrs, filterShape: fShape } }) as tf.TensorInfo))
        : null,
      backprop_input_ms: await medianMs(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: inShape }) as tf.Tensor),
    });
    tf.dispose([x, f, dy]);
  }
  return out;
}

/**
 * Per-kernel time of one FT step on the active backend (tf.profile, after `warmup` steps): which
 * op dominates (on webgpu, tfjs's Conv2DBackpropFilter is the suspect). Kernel times are the
 * backend's own (GPU timestamps on webgpu when the adapter has timestamp-query; else 0).
 */
export async function ftProfile(opts: { model: StepModel; batch: number; warmup?: number }): Promise<KernelProfile> {
  const step = stepSetup(opts.model, opts.batch);
  try {
    for (let i = 0; i < (opts.warmup ?? 2); i++) await step.run();
    const t0 = performance.now();
    const info = await tf.profile(() => step.run());
    const step_ms = performance.now() - t0;
    const by = new Map<string, { count: number; ms: number }>();
    for (const k of info.kernels) {
      const ms = Number(await k.kernelTimeMs) || 0;
      const e = by.get(k.name) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += ms;
      by.set(k.name, e);
    }
    const kernels = [...by].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms || b.count - a.count);
    return { device_timestamps: kernels.some((k) => k.ms > 0), step_ms, kernels, conv_ops: await convOps(step.backbone, opts.batch) };
  } finally {
    step.dispose();
  }
}
