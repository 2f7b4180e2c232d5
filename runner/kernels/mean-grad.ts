/**
 * The gradient of Mean without a ones tensor. tfjs-core's gradient builds ones(x.shape) in
 * JavaScript, uploads it, multiplies the broadcast dy by it and divides the product by the count:
 * for cnn-digits' global average pooling that is three [64,7,7,64] passes on every step. Since
 * (dy * 1) / n is dy / n exactly in IEEE float32, dividing the small dy first and broadcasting the
 * quotient gives the same bits with one pass (the Tile kernel). Registered with the wasm kernels
 * (index.ts) and restored by unregisterWasmKernels; the registry is global, and the result is the
 * same on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import { backend_util, util, type GradConfig, type NamedAttrMap } from '@tensorflow/tfjs';

const MARK = Symbol.for('headprep.meanGrad');
type Marked = GradConfig & { [MARK]?: GradConfig };

export const meanGrad: GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [tf.Tensor];
    const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const count = util.sizeFromShape(backend_util.computeOutAndReduceShapes(x.shape, axes)[1]);
    return {
      x: () => {
        const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
        return tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, kept), count), x.shape);
      },
    };
  },
};

export function registerMeanGrad(): void {
  const current = tf.getGradient('Mean') as Marked | undefined;
  if (current && MARK in current) return;
  tf.registerGradient({ ...meanGrad, [MARK]: current } as Marked);
}

export function unregisterMeanGrad(): void {
  const current = tf.getGradient('Mean') as Marked | undefined;
  const original = current?.[MARK];
  if (original) tf.registerGradient(original);
}
