/**
 * The task head g: z -> logits. `linear` is one Dense(K); `mlp` of depth k is (k-1) Dense(width,
 * ReLU) layers then Dense(K). Init `default` is tfjs's Glorot-uniform kernels (seeded) with zero
 * biases; `zero` makes every weight 0 (uniform prediction, aie = sqrt(1-1/K)).
 */
import type { Head } from '../../contract';
import { tf } from './tf';

export function buildHead(head: Head, featDim: number, nClasses: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  const layers = head.kind === 'linear' ? 1 : head.depth;
  if (head.kind === 'mlp' && (head.depth < 2 || head.width < 1))
    throw new Error(`head: an mlp head needs depth >= 2 and width >= 1 (got depth ${head.depth}, width ${head.width})`);
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    model.add(
      tf.layers.dense({
        units: last ? nClasses : head.width,
        activation: last ? 'linear' : 'relu',
        inputShape: i === 0 ? [featDim] : undefined,
        kernelInitializer: head.init === 'zero' ? 'zeros' : tf.initializers.glorotUniform({ seed: seed * 97 + i + 1 }),
        biasInitializer: 'zeros',
      }),
    );
  }
  return model;
}

/** The head's trainable variables (kernels and biases, in layer order). */
export function headVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Copies of the head's weights (caller disposes). */
export function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.getWeights().map((w) => w.clone());
}
