/**
 * The two training loops of a cell: head probing (HP; head only, backbone frozen in inference
 * mode, optionally on cached features) and finetuning (FT; every variable, backbone in training
 * mode). Both dispose everything they create per step (tensor count stays flat; tested).
 * They read results back with `await data()`, never dataSync: the webgpu backend cannot read
 * synchronously in Node, and on wasm / cpu the values (and so every bundle) are the same.
 */
import type { CellConfig } from '../../contract';
import type { PeakRss } from '../lib/peak-rss';
import { Rng } from '../lib/rng';
import { exampleSize, type Split } from '../datasets/types';
import { withUnusedInputGradients } from '../kernels/unused-input-grad';
import { gatherLabels, gatherRows, shiftBatch, toTensor } from './data';
import { lrAt, Optimizer } from './optim';
import { tf } from './tf';

/**
 * Mean cross-entropy of logits/T against targets (1-eta) e_y + eta/K: label smoothing and logit
 * temperature as docs/science.md step 3 defines them (eta = 0, T = 1 give plain CE).
 */
export function smoothedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor1D, k: number, eta = 0, temperature = 1): tf.Scalar {
  return tf.tidy(() => {
    const onehot = tf.oneHot(labels, k).toFloat();
    const target = eta > 0 ? tf.add(tf.mul(onehot, 1 - eta), eta / k) : onehot;
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(scaled)), -1))) as tf.Scalar;
  });
}

export interface HpState {
  head: tf.LayersModel;
  headVars: tf.Variable[];
  opt: Optimizer;
  step: number;
}

export interface HpData {
  /** Cached features of DS-train (n x h), used when `cached`. */
  zTrain: Float32Array;
  featDim: number;
  train: Split;
  inputShape: number[];
  /** When false, each batch goes through the frozen backbone (augmentation). */
  cached: boolean;
  backbone: tf.LayersModel;
}

/** One HP epoch (0-based index `epoch`), `totalEpochs` sizing the lr schedule. */
export async function hpEpoch(cfg: CellConfig, st: HpState, data: HpData, epoch: number, totalEpochs: number, mem: PeakRss): Promise<void> {
  const n = data.train.n;
  const bs = cfg.hp.batch_size;
  const stepsPerEpoch = Math.ceil(n / bs);
  const order = new Rng(cfg.seed, `hp-epoch-${epoch}`).permutation(n);
  const augRng = new Rng(cfg.seed, `hp-aug-${epoch}`);
  const k = cfg.dataset.n_classes;
  const size = exampleSize(data.inputShape);
  for (let s = 0; s < n; s += bs) {
    const idx = order.subarray(s, Math.min(n, s + bs));
    const m = idx.length;
    const yb = gatherLabels(data.train.y, idx);
    const { value, grads } = tf.tidy(() => {
      let z: tf.Tensor;
      if (data.cached) z = tf.tensor2d(gatherRows(data.zTrain, data.featDim, idx), [m, data.featDim]);
      else {
        const xb = shiftBatch(gatherRows(data.train.x, size, idx), m, data.inputShape, cfg.augmentation.max_shift, augRng);
        z = data.backbone.apply(toTensor(xb, m, data.inputShape), { training: false }) as tf.Tensor;
      }
      const y = tf.tensor1d(yb, 'int32');
      return tf.variableGrads(
        () => smoothedCrossEntropy(st.head.apply(z, { training: true }) as tf.Tensor, y, k, cfg.eta, cfg.temperature),
        st.headVars,
      );
    });
    const lr = lrAt(cfg.hp, st.step, totalEpochs * stepsPerEpoch, stepsPerEpoch);
    st.opt.apply(grads, lr);
    st.step++;
    const loss = (await value.data())[0]!;
    value.dispose();
    tf.dispose(grads);
    if (!Number.isFinite(loss)) throw new Error(`HP diverged: loss ${loss} at epoch ${epoch + 1} (hp.lr ${cfg.hp.lr})`);
    mem.sample();
  }
}

export interface FtEpochStats {
  train_loss: number;
  train_acc: number;
  head_grad_norm: number;
  examples: number;
  seconds: number;
}

/** What one FT step needs besides its batch. */
export interface FtModel {
  backbone: tf.LayersModel;
  head: tf.LayersModel;
  opt: Optimizer;
  /** Names of the head's variables (their gradient norm is recorded). */
  headVarNames: Set<string>;
  inputShape: readonly number[];
  /** Number of classes. */
  k: number;
}

export interface FtStepResult {
  /** Mean cross-entropy of the batch (before the update). */
  loss: number;
  /** Correctly classified examples of the batch (before the update). */
  correct: number;
  /** L2 norm of the head's gradient. */
  headGradNorm: number;
}

type GraphLayer = tf.layers.Layer & { inboundNodes: { inboundLayers: tf.layers.Layer[] }[] };

const inputOnlyCache = new WeakMap<tf.LayersModel, tf.Variable[]>();

/**
 * The kernels of the model's Conv2D layers whose input depends on no trainable weight (typically
 * the first convolution, fed the batch): the gradient with respect to their input is never read,
 * so the FT step lets the wasm backend skip it (kernels/unused-input-grad.ts). Cached per model;
 * the returned variables are live, so their current buffers are what gets matched.
 */
export function inputOnlyConvFilters(model: tf.LayersModel): tf.Variable[] {
  const cached = inputOnlyCache.get(model);
  if (cached) return cached;
  const trained = new Map<tf.layers.Layer, boolean>();
  const dependsOnWeights = (layer: tf.layers.Layer): boolean => {
    const known = trained.get(layer);
    if (known !== undefined) return known;
    trained.set(layer, true); // a cycle cannot occur in a layers graph; assume the worst meanwhile
    const parents = (layer as GraphLayer).inboundNodes.flatMap((n) => n.inboundLayers);
    const result = layer.trainableWeights.length > 0 || parents.some(dependsOnWeights);
    trained.set(layer, result);
    return result;
  };
  const filters: tf.Variable[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D' || !layer.trainable) continue;
    const parents = (layer as GraphLayer).inboundNodes.flatMap((n) => n.inboundLayers);
    if (parents.some(dependsOnWeights)) continue;
    const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('kernel'));
    if (kernel) filters.push(kernel.read() as tf.Variable);
  }
  inputOnlyCache.set(model, filters);
  return filters;
}

/**
 * One FT step on a batch of m examples (xb: m x inputShape, yb: m labels): forward in training
 * mode, cross-entropy, gradients of every variable the optimiser owns, one update at `lr`.
 * Everything it creates is disposed (tensor count stays flat).
 */
export async function ftStep(mdl: FtModel, xb: Float32Array, yb: Int32Array, m: number, lr: number): Promise<FtStepResult> {
  const { backbone, head, opt, headVarNames, inputShape, k } = mdl;
  let correctT: tf.Tensor | null = null;
  const { value, grads } = withUnusedInputGradients(inputOnlyConvFilters(backbone), () =>
    tf.tidy(() => {
      const x = toTensor(xb, m, inputShape);
      const y = tf.tensor1d(yb, 'int32');
      return tf.variableGrads(() => {
        const q = head.apply(backbone.apply(x, { training: true }) as tf.Tensor, { training: true }) as tf.Tensor;
        correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(q, -1), y), 'int32')));
        return smoothedCrossEntropy(q, y, k);
      }, opt.vars);
    }),
  );
  const headGrads = Object.entries(grads)
    .filter(([name]) => headVarNames.has(name))
    .map(([, g]) => g);
  const normT = headGrads.length ? tf.tidy(() => tf.sqrt(tf.addN(headGrads.map((g) => tf.sum(tf.square(g)))))) : null;
  opt.apply(grads, lr);
  const c = correctT as tf.Tensor | null;
  const [norm, lossV, correctV] = await Promise.all([normT?.data(), value.data(), c?.data()]);
  const headGradNorm = norm ? norm[0]! : 0;
  const loss = lossV[0]!;
  const correct = correctV ? correctV[0]! : 0;
  normT?.dispose();
  c?.dispose();
  value.dispose();
  tf.dispose(grads);
  return { loss, correct, headGradNorm };
}

/** One FT epoch over every variable of backbone + head; returns whole-epoch averages. */
export async function ftEpoch(
  cfg: CellConfig,
  backbone: tf.LayersModel,
  head: tf.LayersModel,
  opt: Optimizer,
  headVarNames: Set<string>,
  train: Split,
  inputShape: number[],
  epoch: number,
  stepOffset: number,
  mem: PeakRss,
): Promise<FtEpochStats> {
  const t0 = performance.now();
  const n = train.n;
  const bs = cfg.ft.batch_size;
  const stepsPerEpoch = Math.ceil(n / bs);
  const total = cfg.ft.epochs * stepsPerEpoch;
  const order = new Rng(cfg.seed, `ft-epoch-${epoch}`).permutation(n);
  const augRng = new Rng(cfg.seed, `ft-aug-${epoch}`);
  const size = exampleSize(inputShape);
  const k = cfg.dataset.n_classes;
  let lossSum = 0;
  let correct = 0;
  let gradNormSum = 0;
  let steps = 0;
  for (let s = 0; s < n; s += bs) {
    const idx = order.subarray(s, Math.min(n, s + bs));
    const m = idx.length;
    const xb = shiftBatch(gatherRows(train.x, size, idx), m, inputShape, cfg.augmentation.kind === 'shift' ? cfg.augmentation.max_shift : 0, augRng);
    const yb = gatherLabels(train.y, idx);
    const st = await ftStep({ backbone, head, opt, headVarNames, inputShape, k }, xb, yb, m, lrAt(cfg.ft, stepOffset + steps, total, stepsPerEpoch));
    if (!Number.isFinite(st.loss)) throw new Error(`FT diverged: loss ${st.loss} at epoch ${epoch + 1} (ft.lr ${cfg.ft.lr})`);
    lossSum += st.loss * m;
    correct += st.correct;
    gradNormSum += st.headGradNorm;
    steps++;
    mem.sample();
  }
  return {
    train_loss: lossSum / n,
    train_acc: correct / n,
    head_grad_norm: steps ? gradNormSum / steps : 0,
    examples: n,
    seconds: (performance.now() - t0) / 1000,
  };
}
