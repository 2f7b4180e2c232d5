/**
 * Backbone `resnet18-cifar`: ResNet-18 in its CIFAR form (He et al. 2016; the variant the
 * paper-scale settings of docs/science.md use for 32x32 inputs): a 3x3 stem convolution with
 * stride 1 and no max-pool, four stages of two BasicBlocks (3x3 conv-BN-ReLU, 3x3 conv-BN, plus
 * the identity or a 1x1 stride-2 conv-BN shortcut, then ReLU) at widths 64/128/256/512 with
 * strides 1/2/2/2, global average pooling -> the 512-d `features` layer. 11.2M parameters.
 *
 * BatchNorm: the runner applies the backbone in inference mode during head probing, so the
 * moving statistics stay frozen through HP (docs/science.md step 3) and move only in FT
 * (test/runner/backbones/resnet18.test.ts checks both).
 *
 * Loading path: like cnn-cifar, resolve() reads the cached model.json + weights.bin
 * (<cache>/backbones/resnet18-cifar/v1), or pretrains on CIFAR-10 classes 0-4 on the ACTIVE
 * backend once (a GPU: webgpu or tfjs-node-gpu; docs/gpu.md) and caches the files. Any tfjs
 * LayersModel with this topology (e.g. weights converted from PyTorch) can be dropped in that
 * directory instead; its weight sha256 is what fingerprints record.
 */
import { join } from 'node:path';
import { getDataset } from '../datasets/index';
import { cacheDir } from '../lib/paths';
import { tf } from '../train/tf';
import type { SavedModel } from './io';
import { pretrainWithSourceHead, resolvePretrained, type PretrainRecipe } from './pretrain';
import type { BackboneDef, ResolveOptions } from './types';

export interface ResNetRecipe extends PretrainRecipe {
  /** Channels of the stem and the first stage; stages double it (64: ResNet-18 proper). */
  width: number;
  /** BasicBlocks per stage ([2, 2, 2, 2]: ResNet-18). */
  blocks: number[];
}

export const RESNET18_CIFAR_RECIPE: ResNetRecipe = {
  version: 1,
  source: 'cifar-10-0-4',
  width: 64,
  blocks: [2, 2, 2, 2],
  epochs: 30,
  batch_size: 128,
  lr: 0.05,
  momentum: 0.9,
  n_train: 25000,
  seed: 0,
};

export interface ResNetOptions {
  width?: number;
  blocks?: number[];
  seed?: number;
  /** Per-example input shape (default [32, 32, 3]). */
  inputShape?: [number, number, number];
}

/** The CIFAR ResNet (ResNet-18 with the defaults): [32,32,3] -> `features` (8 * width). */
export function buildResNetCifar(opts: ResNetOptions = {}): tf.LayersModel {
  const width = opts.width ?? 64;
  const blocks = opts.blocks ?? [2, 2, 2, 2];
  let s = (opts.seed ?? 0) * 1000;
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string) =>
    tf.layers
      .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: ++s }), name })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) => tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5, name }).apply(x) as tf.SymbolicTensor;
  const relu = (x: tf.SymbolicTensor, name: string) => tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;

  const input = tf.input({ shape: opts.inputShape ?? [32, 32, 3], name: 'image' });
  let h = relu(bn(conv(input, width, 3, 1, 'stem_conv'), 'stem_bn'), 'stem_relu');
  let channels = width;
  blocks.forEach((n, stage) => {
    const filters = width * 2 ** stage;
    for (let b = 0; b < n; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const p = `s${stage + 1}b${b + 1}`;
      let y = relu(bn(conv(h, filters, 3, stride, `${p}_conv1`), `${p}_bn1`), `${p}_relu1`);
      y = bn(conv(y, filters, 3, 1, `${p}_conv2`), `${p}_bn2`);
      const shortcut = stride !== 1 || channels !== filters ? bn(conv(h, filters, 1, stride, `${p}_down_conv`), `${p}_down_bn`) : h;
      h = relu(tf.layers.add({ name: `${p}_add` }).apply([y, shortcut]) as tf.SymbolicTensor, `${p}_out`);
      channels = filters;
    }
  });
  h = tf.layers.globalAveragePooling2d({ name: 'features' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: h, name: 'resnet18-cifar' });
}

/** Pretrains on the active backend (GPU recommended: ~1.7 GFLOP per example per step at width 64). */
export async function pretrainResNet18Cifar(recipe: ResNetRecipe = RESNET18_CIFAR_RECIPE, log?: (l: string) => void): Promise<SavedModel> {
  const ds = await getDataset(recipe.source).load({ seed: recipe.seed, n_train: recipe.n_train, n_val: 1000, n_test: 1000 });
  return pretrainWithSourceHead(buildResNetCifar({ width: recipe.width, blocks: recipe.blocks, seed: recipe.seed }), ds, [32, 32, 3], recipe, 'resnet18-cifar', log);
}

export function resnet18CifarDir(recipe = RESNET18_CIFAR_RECIPE): string {
  return join(cacheDir(), 'backbones', 'resnet18-cifar', `v${recipe.version}`);
}

export const resnet18CifarBackbone: BackboneDef = {
  id: 'resnet18-cifar',
  description:
    'ResNet-18, CIFAR form (3x3 stem, no max-pool, BasicBlocks 2-2-2-2 at widths 64-512, BatchNorm, GAP -> 512 features), pretrained by the runner on CIFAR-10 classes 0-4 on the active backend (a GPU: docs/gpu.md).',
  featureLayer: 'features',
  inputShape: [32, 32, 3],
  datasets: ['cifar-10-5-9'],
  resolve(opts: ResolveOptions = {}) {
    return resolvePretrained('resnet18-cifar', resnet18CifarDir(), (log) => pretrainResNet18Cifar(RESNET18_CIFAR_RECIPE, log), opts);
  },
};
