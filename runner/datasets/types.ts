/**
 * Dataset shapes. Inputs are flat Float32Arrays (row-major, one example after another) with a
 * per-example `inputShape` (e.g. [28, 28, 1] for digits, [d] for synthetic vectors); labels are
 * class indices 0..K-1.
 */
import { canonicalize } from '../../contract';
import { sha256HexSync } from '../../lib/sha256';

/**
 * The dataset sha256 of a loader whose bytes a spec fixes (a generator's parameters, the pinned
 * sha256s of its files): SHA-256 of the spec's canonical JSON (JCS), so planning needs no data.
 */
export function specSha256(spec: unknown): string {
  return sha256HexSync(canonicalize(spec));
}

export interface Split {
  /** n * prod(inputShape) values. */
  x: Float32Array;
  y: Int32Array;
  n: number;
}

export interface SplitSizes {
  n_train: number;
  n_val: number;
  n_test: number;
}

export interface LoadedDataset {
  id: string;
  sha256: string;
  nClasses: number;
  inputShape: number[];
  train: Split;
  val: Split;
  test: Split;
  /** Out-of-distribution test split (a documented transform of test examples), when the dataset has one. */
  oodTest?: Split;
}

export interface DatasetDef {
  id: string;
  description: string;
  nClasses: number;
  inputShape: number[];
  /** Sizes the suites use unless a config asks for fewer (e.g. --smoke). */
  defaultSizes: SplitSizes & { n_ood_test?: number };
  /** SHA-256 of the dataset files (or of the generator spec for synthetic data). May download. */
  sha256(): Promise<string>;
  /** Splits for one seed: split by index from the seed, then the train split shuffled with the seed. */
  load(opts: SplitSizes & { seed: number }): Promise<LoadedDataset>;
}

export function exampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Examples `idx` of a pool as a new split (copies). */
export function take(pool: Split, idx: ArrayLike<number>, size: number): Split {
  const n = idx.length;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = idx[i]!;
    x.set(pool.x.subarray(j * size, (j + 1) * size), i * size);
    y[i] = pool.y[j]!;
  }
  return { x, y, n };
}
