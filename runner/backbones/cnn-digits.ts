/**
 * `cnn-digits`: a small CNN for 28x28x1 digits, sized to train at >= 1,000 samples/s on one core
 * with the wasm backend and the custom kernels of runner/kernels (bench/suites/runner.bench.ts).
 *
 *   input [28,28,1]
 *   conv 3x3x16 same -> (BatchNorm) -> relu -> maxpool 2   [14,14,16]
 *   conv 3x3x32 same -> (BatchNorm) -> relu -> maxpool 2   [7,7,32]
 *   conv 3x3x64 same -> (BatchNorm) -> relu               [7,7,64]
 *   global average pool                                    [64]
 *   dense 64 relu, named `feature`  -> z (the penultimate layer HeadPrep measures)
 *
 * ~1.9 M multiply-adds per sample forward. The head is not part of the backbone.
 */
import * as tf from '@tensorflow/tfjs';

export const CNN_DIGITS_FEATURE_LAYER = 'feature';
export const CNN_DIGITS_FEATURE_DIM = 64;
export const CNN_DIGITS_INPUT_SHAPE = [28, 28, 1] as const;

export interface CnnDigitsOptions {
  /** BatchNorm after each conv (default true): exercises "backbone in inference mode during HP". */
  batchNorm?: boolean;
  /** Seed for the Glorot/He initialisers, so a pretraining run is reproducible. */
  seed?: number;
}

/** Builds the (untrained) backbone: input -> `feature` layer output z of size 64. */
export function buildCnnDigits(opts: CnnDigitsOptions = {}): tf.LayersModel {
  const bn = opts.batchNorm ?? true;
  const seed = opts.seed ?? 0;
  let s = seed * 100;
  const init = () => tf.initializers.heNormal({ seed: ++s });
  const input = tf.input({ shape: [...CNN_DIGITS_INPUT_SHAPE], name: 'image' });
  let h: tf.SymbolicTensor = input;
  const block = (filters: number, name: string, pool: boolean) => {
    h = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: !bn, kernelInitializer: init(), name: `${name}_conv` }).apply(h) as tf.SymbolicTensor;
    if (bn) h = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.reLU({ name: `${name}_relu` }).apply(h) as tf.SymbolicTensor;
    if (pool) h = tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `${name}_pool` }).apply(h) as tf.SymbolicTensor;
  };
  block(16, 'b1', true);
  block(32, 'b2', true);
  block(64, 'b3', false);
  h = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(h) as tf.SymbolicTensor;
  const z = tf.layers
    .dense({ units: CNN_DIGITS_FEATURE_DIM, activation: 'relu', kernelInitializer: init(), name: CNN_DIGITS_FEATURE_LAYER })
    .apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: z, name: 'cnn-digits' });
}
