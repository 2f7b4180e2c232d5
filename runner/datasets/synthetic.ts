/**
 * `synthetic-linear`: the paper's overparameterised linear setting. Inputs x ~ N(0, I_d), a fixed
 * linear teacher A (K x d) labels y = argmax(A x). The `linear` backbone (backbones/linear.ts)
 * maps d -> h with more parameters (h*d) than train examples, so finetuning can move features
 * freely. Everything is generated from fixed seeds with the runner's pure-JS Rng: identical on
 * every machine; the dataset sha256 hashes the generator spec.
 */
import { Rng } from '../lib/rng';
import { splitPool } from './split';
import { specSha256, type DatasetDef, type Split } from './types';

export const SYNTHETIC_SPEC = {
  generator: 'headprep/synthetic-linear',
  version: 1,
  d: 32,
  k: 4,
  pool: 4000,
  teacher_seed: 1001,
  data_seed: 1002,
} as const;

/** Teacher A, K x d row-major, entries N(0, 1). */
export function syntheticTeacher(spec = SYNTHETIC_SPEC): Float64Array {
  const rng = new Rng(spec.teacher_seed, 'teacher');
  return Float64Array.from({ length: spec.k * spec.d }, () => rng.normal());
}

let pool: Split | null = null;
function syntheticPool(spec = SYNTHETIC_SPEC): Split {
  if (pool) return pool;
  const A = syntheticTeacher(spec);
  const rng = new Rng(spec.data_seed, 'x');
  const x = new Float32Array(spec.pool * spec.d);
  const y = new Int32Array(spec.pool);
  for (let i = 0; i < spec.pool; i++) {
    for (let j = 0; j < spec.d; j++) x[i * spec.d + j] = rng.normal();
    let best = -Infinity;
    for (let c = 0; c < spec.k; c++) {
      let s = 0;
      for (let j = 0; j < spec.d; j++) s += A[c * spec.d + j]! * x[i * spec.d + j]!;
      if (s > best) {
        best = s;
        y[i] = c;
      }
    }
  }
  pool = { x, y, n: spec.pool };
  return pool;
}

export const syntheticDataset: DatasetDef = {
  id: 'synthetic-linear',
  description: `Gaussian inputs (d=${SYNTHETIC_SPEC.d}), linear teacher, K=${SYNTHETIC_SPEC.k}; fewer train examples than backbone parameters.`,
  nClasses: SYNTHETIC_SPEC.k,
  inputShape: [SYNTHETIC_SPEC.d],
  defaultSizes: { n_train: 64, n_val: 256, n_test: 1000 },
  async sha256() {
    return specSha256(SYNTHETIC_SPEC);
  },
  async load(opts) {
    const s = splitPool(this.id, syntheticPool(), SYNTHETIC_SPEC.d, opts);
    return { id: this.id, sha256: await this.sha256(), nClasses: this.nClasses, inputShape: [...this.inputShape], ...s };
  },
};
