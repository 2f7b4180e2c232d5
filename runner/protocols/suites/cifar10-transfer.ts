/**
 * GPU-scale suite `cifar10-transfer@1` (card: docs/suites/cifar10-transfer.md): a CNN with
 * BatchNorm pretrained by the runner on CIFAR-10 classes 0-4 (airplane, automobile, bird, cat,
 * deer), finetuned on classes 5-9 (dog, frog, horse, ship, truck). Needs the network once (the
 * 162 MB CIFAR-10 binary archive, sha256-pinned in runner/datasets/remote.ts) and, in practice,
 * a GPU (`npm install @tensorflow/tfjs-node-gpu`): cells cost minutes each on a GPU and hours on
 * the 2-core wasm setup.
 *
 * This file also defines what the suite needs beyond the runner's registries: the two class-subset
 * datasets over R's `cifar-10` loader and the `cnn-cifar` backbone. They register themselves when
 * the suite registry imports this module.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { getDataset, registerDataset, type DatasetDef, type Split } from '../../datasets/index';
import { splitPool } from '../../datasets/split';
import { exampleSize } from '../../datasets/types';
import { registerBackbone } from '../../backbones/index';
import { readSavedModel, serializeModel, writeSavedModel, type SavedModel } from '../../backbones/io';
import { trainSourceClassifier, withSourceHead } from '../../backbones/pretrain';
import type { BackboneDef, ResolveOptions } from '../../backbones/types';
import { cacheDir } from '../../lib/paths';
import { tf } from '../../train/tf';

// ---------------------------------------------------------------------------------------------
// Datasets: class subsets of another dataset, relabelled 0..k-1 in the order given.

export interface ClassSubsetSpec {
  id: string;
  description: string;
  base: string;
  /** Sizes that make base.load return ALL of the base (its whole train pool as train, its test set). */
  baseAll: { n_train: number; n_test: number };
  classes: number[];
  defaultSizes: { n_train: number; n_val: number; n_test: number };
}

/** Keeps the examples whose label is in `classes`; label classes[i] becomes i. */
export function subsetSplit(s: Split, classes: number[], size: number): Split {
  const map = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < s.n; i++) if (map.has(s.y[i]!)) keep.push(i);
  const x = new Float32Array(keep.length * size);
  const y = new Int32Array(keep.length);
  keep.forEach((j, i) => {
    x.set(s.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = map.get(s.y[j]!)!;
  });
  return { x, y, n: keep.length };
}

/**
 * A dataset of some classes of `base`. The base is loaded whole once (seed 0: its full train and
 * test sets, in the base's fixed order), filtered and relabelled; then the usual seeded split.
 */
export function classSubsetDataset(spec: ClassSubsetSpec): DatasetDef {
  let pools: { train: Split; test: Split; inputShape: number[] } | null = null;
  const def: DatasetDef = {
    id: spec.id,
    description: spec.description,
    nClasses: spec.classes.length,
    get inputShape() {
      return getDataset(spec.base).inputShape;
    },
    defaultSizes: spec.defaultSizes,
    async sha256() {
      const baseSha = await getDataset(spec.base).sha256();
      return createHash('sha256').update(JSON.stringify({ base: spec.base, base_sha256: baseSha, classes: spec.classes })).digest('hex');
    },
    async load(opts) {
      const base = getDataset(spec.base);
      const size = exampleSize(base.inputShape);
      if (!pools) {
        const all = await base.load({ seed: 0, n_train: spec.baseAll.n_train, n_val: 0, n_test: spec.baseAll.n_test });
        pools = { train: subsetSplit(all.train, spec.classes, size), test: subsetSplit(all.test, spec.classes, size), inputShape: base.inputShape };
      }
      const s = splitPool(spec.id, pools.train, size, opts, pools.test);
      return { id: spec.id, sha256: await def.sha256(), nClasses: spec.classes.length, inputShape: pools.inputShape, ...s };
    },
  };
  return def;
}

/** CIFAR-10: 50k train, 10k test. */
const CIFAR_ALL = { n_train: 50000, n_test: 10000 };

export const cifarSourceDataset = classSubsetDataset({
  id: 'cifar-10-0-4',
  description: 'CIFAR-10 classes 0-4 (airplane, automobile, bird, cat, deer): the source task of cifar10-transfer; downloads CIFAR-10.',
  base: 'cifar-10',
  baseAll: CIFAR_ALL,
  classes: [0, 1, 2, 3, 4],
  defaultSizes: { n_train: 20000, n_val: 5000, n_test: 5000 },
});

export const cifarTargetDataset = classSubsetDataset({
  id: 'cifar-10-5-9',
  description: 'CIFAR-10 classes 5-9 (dog, frog, horse, ship, truck) relabelled 0-4: the target task of cifar10-transfer; downloads CIFAR-10.',
  base: 'cifar-10',
  baseAll: CIFAR_ALL,
  classes: [5, 6, 7, 8, 9],
  defaultSizes: { n_train: 10000, n_val: 2500, n_test: 5000 },
});

// ---------------------------------------------------------------------------------------------
// Backbone: cnn-cifar, a VGG-style CNN with BatchNorm, pretrained by the runner on cifar-10-0-4.

export interface CnnCifarRecipe {
  version: number;
  source: string;
  widths: number[];
  feature_dim: number;
  epochs: number;
  batch_size: number;
  lr: number;
  momentum: number;
  n_train: number;
  seed: number;
}

export const CNN_CIFAR_RECIPE: CnnCifarRecipe = {
  version: 1,
  source: 'cifar-10-0-4',
  widths: [32, 64, 128],
  feature_dim: 128,
  epochs: 15,
  batch_size: 128,
  lr: 0.05,
  momentum: 0.9,
  n_train: 20000,
  seed: 0,
};

/** [32,32,3] -> per width w: (conv3x3 w, BN, ReLU) x2, maxpool 2 -> GAP -> dense `features`. */
export function buildCnnCifar(recipe: CnnCifarRecipe = CNN_CIFAR_RECIPE): tf.LayersModel {
  let s = recipe.seed * 100;
  const input = tf.input({ shape: [32, 32, 3], name: 'image' });
  let h: tf.SymbolicTensor = input;
  recipe.widths.forEach((w, i) => {
    for (const j of [1, 2]) {
      h = tf.layers.conv2d({ filters: w, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: ++s }), name: `b${i + 1}_conv${j}` }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.batchNormalization({ name: `b${i + 1}_bn${j}` }).apply(h) as tf.SymbolicTensor;
      h = tf.layers.reLU({ name: `b${i + 1}_relu${j}` }).apply(h) as tf.SymbolicTensor;
    }
    h = tf.layers.maxPooling2d({ poolSize: 2, name: `b${i + 1}_pool` }).apply(h) as tf.SymbolicTensor;
  });
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: recipe.feature_dim, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: ++s }), name: 'features' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h, name: 'cnn-cifar' });
}

/**
 * Pretrains on the ACTIVE backend (a GPU when tfjs-node-gpu is installed): unlike the digits
 * backbones this is too big for a fixed cpu/wasm recipe, so the weights (and their sha256, part
 * of every fingerprint) depend on the machine. Share the cached model directory
 * (~/.cache/headprep/backbones/cnn-cifar/v1) to pool results across machines.
 */
export async function pretrainCnnCifar(recipe: CnnCifarRecipe = CNN_CIFAR_RECIPE, log?: (l: string) => void): Promise<SavedModel> {
  const ds = await getDataset(recipe.source).load({ seed: recipe.seed, n_train: recipe.n_train, n_val: 2000, n_test: 1000 });
  const backbone = buildCnnCifar(recipe);
  const full = withSourceHead(backbone, ds.nClasses, recipe.seed);
  trainSourceClassifier(full, ds.train, ds.nClasses, [32, 32, 3], recipe, (epoch) => `cnn-cifar-pretrain-epoch-${epoch}`, (epoch, loss) =>
    log?.(`pretrain cnn-cifar on ${recipe.source} epoch ${epoch + 1}/${recipe.epochs}: train loss ${loss.toFixed(4)}`),
  );
  const saved = await serializeModel(backbone);
  full.dispose();
  return saved;
}

let memo: SavedModel | null = null;

export const cnnCifarBackbone: BackboneDef = {
  id: 'cnn-cifar',
  description: 'VGG-style CNN (2x conv-BN-ReLU per stage, widths 32/64/128, GAP, dense 128) pretrained by the runner on CIFAR-10 classes 0-4 on the active backend (GPU recommended).',
  featureLayer: 'features',
  inputShape: [32, 32, 3],
  datasets: ['cifar-10-5-9'],
  async resolve(opts: ResolveOptions = {}) {
    if (memo && !opts.force) return memo;
    const dir = join(cacheDir(), 'backbones', 'cnn-cifar', `v${CNN_CIFAR_RECIPE.version}`);
    const file = join(dir, 'model.json');
    if (!opts.force && existsSync(file)) return (memo = await readSavedModel(file));
    opts.log?.(`cnn-cifar: pretraining on cifar-10-0-4 with backend ${tf.getBackend()} (first use; cached in ${dir})`);
    const saved = await pretrainCnnCifar(CNN_CIFAR_RECIPE, opts.log);
    await writeSavedModel(dir, saved);
    return (memo = saved);
  },
};

/** Registers the datasets and the backbone this suite needs (idempotent). */
let registered = false;
export function registerCifarTransfer(): void {
  if (registered) return;
  registered = true;
  registerDataset(cifarSourceDataset);
  registerDataset(cifarTargetDataset);
  registerBackbone(cnnCifarBackbone);
}
