/**
 * The task head g: z -> logits. `linear` is one Dense(K); `mlp` of depth k is (k-1) Dense(width,
 * ReLU) layers then Dense(K). Init `default` is tfjs's Glorot-uniform kernels (seeded) with zero
 * biases (suites @1); `pytorch` is PyTorch's nn.Linear default, kernel and bias drawn from
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (seeded; suites @2, as in the paper's code); `zero` makes
 * every weight 0 (uniform prediction, aie = sqrt(1-1/K)).
 */
import type { Head } from '../../contract';
import { tf } from './tf';

export function buildHead(head: Head, featDim: number, nClasses: number, seed: number): tf.Sequential {
  const model = tf.sequential();
  const layers = head.kind === 'linear' ? 1 : head.depth;
  if (head.kind === 'mlp' && (head.depth < 2 || head.width < 1))
    throw new Error(`head: an mlp head needs depth >= 2 and width >= 1 (got depth ${head.depth}, width ${head.width})`);
  // PyTorch nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weight and bias.
  const bound = (i: number) => 1 / Math.sqrt(i === 0 ? featDim : head.width);
  for (let i = 0; i < layers; i++) {
    const last = i === layers - 1;
    model.add(
      tf.layers.dense({
        units: last ? nClasses : head.width,
        activation: last ? 'linear' : 'relu',
        inputShape: i === 0 ? [featDim] : undefined,
        kernelInitializer:
          head.init === 'zero'
            ? 'zeros'
            : head.init === 'pytorch'
              ? tf.initializers.randomUniform({ minval: -bound(i), maxval: bound(i), seed: seed * 97 + i + 1 })
              : tf.initializers.glorotUniform({ seed: seed * 97 + i + 1 }),
        biasInitializer:
          head.init === 'pytorch' ? tf.initializers.randomUniform({ minval: -bound(i), maxval: bound(i), seed: seed * 97 + i + 50_001 }) : 'zeros',
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
