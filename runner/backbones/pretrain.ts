/**
 * The source-task training loop shared by the backbones the runner pretrains itself (mlp-digits,
 * cnn-digits, cnn-cifar). Each backbone picks its backend and recipe; this file only trains a
 * full model (backbone + "pretrain_head") with momentum SGD over a seeded permutation per epoch.
 *
 * The order of operations here decides the pretrained weights bit for bit, and their sha256 is
 * part of every fingerprint: a change that alters the numbers needs a new backbone version.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { idPreview } from '../../contract';
import type { Split } from '../datasets/types';
import { Rng } from '../lib/rng';
import { Optimizer } from '../train/optim';
import { tf } from '../train/tf';
import { readSavedModel, serializeModel, writeSavedModel, type SavedModel } from './io';
import type { ResolveOptions } from './types';

export interface SourceTraining {
  seed: number;
  epochs: number;
  lr: number;
  momentum: number;
  batch_size: number;
}

/** What every runner-pretrained backbone's recipe holds: its version, the source task and size, the training. */
export interface PretrainRecipe extends SourceTraining {
  version: number;
  source: string;
  n_train: number;
}

/** A dense "pretrain_head" on top of `backbone`, seeded as every runner-pretrained backbone does. */
export function withSourceHead(backbone: tf.LayersModel, nClasses: number, seed: number): tf.LayersModel {
  const head = tf.layers.dense({
    units: nClasses,
    name: 'pretrain_head',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed * 1000 + 99 }),
  });
  return tf.model({ inputs: backbone.inputs, outputs: head.apply(backbone.outputs[0]!) as tf.SymbolicTensor });
}

/**
 * Trains every variable of `full` on `train` (softmax cross-entropy, momentum SGD, constant lr).
 * `permutationLabel(epoch)` names the Rng stream of each epoch's order (kept per backbone so
 * existing weights reproduce); `log` gets one line per epoch.
 */
export async function trainSourceClassifier(
  full: tf.LayersModel,
  train: Split,
  nClasses: number,
  inputShape: readonly [number, number, number],
  recipe: SourceTraining,
  permutationLabel: (epoch: number) => string,
  log?: (epoch: number, meanLoss: number) => void,
): Promise<void> {
  const vars = full.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = new Optimizer(
    {
      optimizer: 'momentum',
      momentum: recipe.momentum,
      lr: recipe.lr,
      schedule: 'constant',
      lr_min: 0,
      warmup_epochs: 0,
      weight_decay: 0,
      batch_size: recipe.batch_size,
    },
    vars,
  );
  const n = train.n;
  const size = inputShape[0] * inputShape[1] * inputShape[2];
  try {
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      const order = new Rng(recipe.seed, permutationLabel(epoch)).permutation(n);
      let lossSum = 0;
      for (let s = 0; s < n; s += recipe.batch_size) {
        const idx = order.subarray(s, Math.min(n, s + recipe.batch_size));
        const xb = new Float32Array(idx.length * size);
        const yb = new Int32Array(idx.length);
        idx.forEach((j, i) => {
          xb.set(train.x.subarray(j * size, (j + 1) * size), i * size);
          yb[i] = train.y[j]!;
        });
        const { value, grads } = tf.tidy(() => {
          const x = tf.tensor4d(xb, [idx.length, ...inputShape]);
          const y = tf.oneHot(tf.tensor1d(yb, 'int32'), nClasses);
          return tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(y, full.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
            vars,
          );
        });
        opt.apply(grads, recipe.lr);
        // await data(), not dataSync: the webgpu backend cannot read synchronously in Node.
        lossSum += (await value.data())[0]! * idx.length;
        value.dispose();
        tf.dispose(grads);
      }
      log?.(epoch, lossSum / n);
    }
  } finally {
    opt.dispose();
  }
}

/**
 * A whole pretraining of `backbone` (cnn-cifar, resnet18-cifar): a source head on top, every
 * variable trained on the source split, then the backbone's weights serialised (the head dropped).
 * `name` labels each epoch's Rng stream (`<name>-pretrain-epoch-<e>`) and the log lines.
 */
export async function pretrainWithSourceHead(
  backbone: tf.LayersModel,
  source: { train: Split; nClasses: number },
  inputShape: readonly [number, number, number],
  recipe: PretrainRecipe,
  name: string,
  log?: (l: string) => void,
): Promise<SavedModel> {
  const full = withSourceHead(backbone, source.nClasses, recipe.seed);
  await trainSourceClassifier(full, source.train, source.nClasses, inputShape, recipe, (epoch) => `${name}-pretrain-epoch-${epoch}`, (epoch, loss) =>
    log?.(`pretrain ${name} on ${recipe.source} epoch ${epoch + 1}/${recipe.epochs}: train loss ${loss.toFixed(4)}`),
  );
  const saved = await serializeModel(backbone);
  full.dispose();
  return saved;
}

/** Accuracy of `full` on a split (diagnostic for the pretraining logs). */
export async function sourceAccuracy(full: tf.LayersModel, split: Split, inputShape: readonly [number, number, number]): Promise<number> {
  const acc = tf.tidy(() => {
    const logits = full.predict(tf.tensor4d(split.x, [split.n, ...inputShape])) as tf.Tensor;
    return tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.tensor1d(split.y, 'int32')), 'float32'));
  });
  const v = (await acc.data())[0]!;
  acc.dispose();
  return v;
}

/**
 * The end of a pretraining: the source head's accuracy on `val` (logged, as `label`), the feature
 * extractor `features()` serialised, then `full` (backbone + source head) freed.
 */
export async function savePretrained(
  full: tf.LayersModel,
  features: () => tf.LayersModel,
  val: Split,
  inputShape: readonly [number, number, number],
  label: string,
  log?: (l: string) => void,
): Promise<{ saved: SavedModel; sourceValAcc: number }> {
  const sourceValAcc = await sourceAccuracy(full, val, inputShape);
  const saved = await serializeModel(features());
  full.dispose();
  log?.(`pretrain ${label}: source val acc ${(sourceValAcc * 100).toFixed(2)}%, weights sha256 ${idPreview(saved.sha256)}`);
  return { saved, sourceValAcc };
}

const resolved = new Map<string, SavedModel>();

/**
 * The resolve() of a runner-pretrained backbone: the in-process copy, else the cached files in
 * `dir`, else `pretrain()` once and cache its artifacts (opts.force rebuilds).
 */
export async function resolvePretrained(
  id: string,
  dir: string,
  pretrain: (log?: (line: string) => void) => Promise<SavedModel>,
  opts: ResolveOptions = {},
): Promise<SavedModel> {
  const hit = resolved.get(dir);
  if (hit && !opts.force) return hit;
  const file = join(dir, 'model.json');
  let saved: SavedModel;
  if (!opts.force && existsSync(file)) {
    saved = await readSavedModel(file);
  } else {
    opts.log?.(`${id}: pretraining (first use; cached in ${dir})`);
    saved = await pretrain(opts.log);
    await writeSavedModel(dir, saved);
  }
  resolved.set(dir, saved);
  return saved;
}
