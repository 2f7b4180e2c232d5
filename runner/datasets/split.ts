import { Rng } from '../lib/rng';
import { take, type Split, type SplitSizes } from './types';

/**
 * The split policy every dataset uses (docs/engineering.md, 'Deterministic data'):
 * - test: when the source ships a test set, its first n_test examples in file order; otherwise the
 *   first n_test of a FIXED permutation of the pool (seed-independent, so every seed and strategy
 *   is scored on the same test examples);
 * - val and train: from the remaining pool, permuted by index with the cell's seed
 *   (val = first n_val, train = next n_train), then the train split shuffled with the seed.
 */
export const TEST_SPLIT_SEED = 0x7e57;

export function splitPool(
  id: string,
  pool: Split,
  size: number,
  sizes: SplitSizes & { seed: number },
  testPool?: Split,
): { train: Split; val: Split; test: Split } {
  let rest: Int32Array;
  let test: Split;
  if (testPool) {
    if (sizes.n_test > testPool.n) throw new Error(`dataset ${id}: n_test=${sizes.n_test} but the test set has ${testPool.n} examples`);
    test = take(testPool, Int32Array.from({ length: sizes.n_test }, (_, i) => i), size);
    rest = Int32Array.from({ length: pool.n }, (_, i) => i);
  } else {
    const fixed = new Rng(TEST_SPLIT_SEED, `${id}/test`).permutation(pool.n);
    if (sizes.n_test >= pool.n) throw new Error(`dataset ${id}: n_test=${sizes.n_test} leaves nothing of ${pool.n} examples`);
    test = take(pool, fixed.subarray(0, sizes.n_test), size);
    rest = fixed.slice(sizes.n_test).sort();
  }
  const need = sizes.n_train + sizes.n_val;
  if (need > rest.length)
    throw new Error(`dataset ${id}: n_train + n_val = ${need} but only ${rest.length} examples remain after the test split`);
  const rng = new Rng(sizes.seed, `${id}/split`);
  rng.shuffle(rest);
  const val = take(pool, rest.subarray(0, sizes.n_val), size);
  const trainIdx = rest.slice(sizes.n_val, need);
  new Rng(sizes.seed, `${id}/train-order`).shuffle(trainIdx);
  return { train: take(pool, trainIdx, size), val, test };
}
