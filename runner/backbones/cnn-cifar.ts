/**
 * Backbone `cnn-cifar`: a VGG-style CNN with BatchNorm, pretrained by the runner on CIFAR-10
 * classes 0-4 (dataset cifar-10-0-4) for the cifar10-transfer suite.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { getDataset } from '../datasets/index';
import { cacheDir } from '../lib/paths';
import { tf } from '../train/tf';
import { readSavedModel, writeSavedModel, type SavedModel } from './io';
import { pretrainWithSourceHead, type PretrainRecipe } from './pretrain';
import type { BackboneDef, ResolveOptions } from './types';


export interface CnnCifarRecipe extends PretrainRecipe {
  widths: number[];
  feature_dim: number;
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
  return pretrainWithSourceHead(buildCnnCifar(recipe), ds, [32, 32, 3], recipe, 'cnn-cifar', log);
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
