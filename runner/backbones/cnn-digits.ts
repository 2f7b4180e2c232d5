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
 *   dense 64 relu, named `feature`  -> z (the penultimate layer HeadPrep measures)
 *
 * ~28k parameters, ~1.2 M multiply-adds per sample forward. The head is not part of the backbone.
 * BatchNorm is off by default: on wasm its gradient (tile/sum/mean chains) halves training speed
 * (measured 628 vs 1,137 samples/s at batch 64); `batchNorm: true` builds the BN variant.
 */
import * as tf from '@tensorflow/tfjs';

export const CNN_DIGITS_FEATURE_LAYER = 'feature';
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
