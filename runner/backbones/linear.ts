/**
 * `linear`: the backbone of the synthetic-linear suite, z = B x with B (h x d) and no bias.
 * "Pretrained" means B is partly aligned with the teacher A: B = (R A / sqrt(K) + G) / sqrt(d), R (h x K) and
 * G (h x d) standard normal from fixed seeds. Features are informative but imperfect, and h*d
 * parameters exceed the train examples (overparameterised). Generated in pure JS: identical bytes
 * (and sha256) on every machine and backend.
 */
import { SYNTHETIC_SPEC, syntheticTeacher } from '../datasets/synthetic';
import { Rng } from '../lib/rng';
import { tf } from '../train/tf';
import { serializeModel, type SavedModel } from './io';
import type { BackboneDef } from './types';

export const LINEAR_BACKBONE_SPEC = { version: 1, h: 16, seed: 2001, noise: 1.0 } as const;

/** The kernel of Dense(h) as tfjs stores it: d x h row-major (B transposed). */
export function linearKernel(): Float32Array {
  const { d, k } = SYNTHETIC_SPEC;
  const { h, seed, noise } = LINEAR_BACKBONE_SPEC;
  const A = syntheticTeacher();
  const rng = new Rng(seed, 'linear-backbone');
  const R = Float64Array.from({ length: h * k }, () => rng.normal());
  const kernel = new Float32Array(d * h);
  for (let r = 0; r < h; r++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += R[r * k + c]! * A[c * d + j]!;
      // 1/sqrt(d): the usual fan-in scaling keeps ||z|| ~ sqrt(h) and the softmax out of saturation.
      kernel[j * h + r] = (s / Math.sqrt(k) + noise * rng.normal()) / Math.sqrt(d);
    }
  return kernel;
}

let memo: SavedModel | null = null;

export const linearBackbone: BackboneDef = {
  id: 'linear',
  description: `Linear map d=${SYNTHETIC_SPEC.d} -> h=${LINEAR_BACKBONE_SPEC.h} (no bias), partly aligned with the synthetic teacher.`,
  featureLayer: 'features',
  inputShape: [SYNTHETIC_SPEC.d],
  datasets: ['synthetic-linear'],
  async resolve() {
    if (memo) return memo;
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: LINEAR_BACKBONE_SPEC.h, useBias: false, inputShape: [SYNTHETIC_SPEC.d], name: 'features' }));
    const w = tf.tensor2d(linearKernel(), [SYNTHETIC_SPEC.d, LINEAR_BACKBONE_SPEC.h]);
    m.setWeights([w]);
    w.dispose();
    memo = await serializeModel(m);
    m.dispose();
    return memo;
  },
};
