/**
 * The one tfjs instance the runner uses. Every runner module (and the custom wasm kernels in
 * runner/kernels) imports tf from here or from '@tensorflow/tfjs' / '@tensorflow/tfjs-core':
 * node_modules holds exactly one @tensorflow/tfjs-core (4.22.0), so @tensorflow/tfjs,
 * tfjs-backend-wasm and the kernels all register into the same engine
 * (test/runner/train/training.test.ts and test/runner/kernels/wasm-kernels.test.ts check it).
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor2D = tf.Tensor2D;
