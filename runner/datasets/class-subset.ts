/**
 * Datasets made of some classes of another registered dataset, relabelled 0..k-1 in the order
 * given (the CIFAR-10 source and target tasks of cifar10-transfer are two of them).
 */
import { sha256HexSync } from '../../lib/sha256';
import { getDataset } from './index';
import { splitPool } from './split';
import { exampleSize, type DatasetDef, type Split } from './types';


export interface ClassSubsetSpec {
  id: string;
  description: string;
  base: string;
  /** Sizes that make base.load return ALL of the base (its whole train pool as train, its test set). */
  baseAll: { n_train: number; n_test: number };
  classes: number[];
  defaultSizes: { n_train: number; n_val: number; n_test: number };
}

/** Keeps the examples whose label is in `classes`; label classes[i] becomes i. */
export function subsetSplit(s: Split, classes: number[], size: number): Split {
  const map = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < s.n; i++) if (map.has(s.y[i]!)) keep.push(i);
  const x = new Float32Array(keep.length * size);
  const y = new Int32Array(keep.length);
  keep.forEach((j, i) => {
    x.set(s.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = map.get(s.y[j]!)!;
  });
  return { x, y, n: keep.length };
}

/**
 * A dataset of some classes of `base`. The base is loaded whole once (seed 0: its full train and
 * test sets, in the base's fixed order), filtered and relabelled; then the usual seeded split.
 */
export function classSubsetDataset(spec: ClassSubsetSpec): DatasetDef {
  let pools: { train: Split; test: Split; inputShape: number[] } | null = null;
  const def: DatasetDef = {
    id: spec.id,
    description: spec.description,
    nClasses: spec.classes.length,
    get inputShape() {
      return getDataset(spec.base).inputShape;
    },
    defaultSizes: spec.defaultSizes,
    async sha256() {
      const baseSha = await getDataset(spec.base).sha256();
      return sha256HexSync(JSON.stringify({ base: spec.base, base_sha256: baseSha, classes: spec.classes }));
    },
    async load(opts) {
      const base = getDataset(spec.base);
      const size = exampleSize(base.inputShape);
      if (!pools) {
        const all = await base.load({ seed: 0, n_train: spec.baseAll.n_train, n_val: 0, n_test: spec.baseAll.n_test });
        pools = { train: subsetSplit(all.train, spec.classes, size), test: subsetSplit(all.test, spec.classes, size), inputShape: base.inputShape };
      }
      const s = splitPool(spec.id, pools.train, size, opts, pools.test);
      return { id: spec.id, sha256: await def.sha256(), nClasses: spec.classes.length, inputShape: pools.inputShape, ...s };
    },
  };
  return def;
}
