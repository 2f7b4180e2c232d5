import { describe, expect, it } from 'vitest';
import { classifierStats, exampleEnergies, quantile, softmaxRows } from '../../../../runner/measure/energy';
import { featureMetrics, weightsNorm } from '../../../../runner/measure/features';

const uniform = (n: number, k: number) => new Float64Array(n * k).fill(1 / k);

describe('energy (docs/science.md step 4 reference values)', () => {
  it('a zero-init head (zero logits) gives aie = sqrt(1 - 1/K) exactly', () => {
    for (const [k, ref] of [
      [10, 0.9487],
      [5, 0.8944],
    ] as const) {
      const n = 7;
      const labels = Int32Array.from({ length: n }, (_, i) => i % k);
      const s = classifierStats(new Float32Array(n * k), labels, k);
      expect(Math.abs(s.energy - Math.sqrt(1 - 1 / k))).toBeLessThan(1e-6);
      expect(s.energy).toBeCloseTo(ref, 4);
      expect(s.loss).toBeCloseTo(Math.log(k), 10);
    }
  });

  it('uniform probabilities give sqrt(1 - 1/K) for every example', () => {
    const e = exampleEnergies(uniform(3, 4), [0, 1, 3], 4);
    for (const v of e) expect(v).toBeCloseTo(Math.sqrt(0.75), 12);
  });

  it('the maximum sqrt(2) is a confident wrong prediction; a confident right one is 0', () => {
    const probs = [0, 1, 0, /* */ 1, 0, 0];
    const e = exampleEnergies(probs, [0, 0], 3);
    expect(e[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(e[1]).toBe(0);
  });

  it('a perfectly fitted label-smoothed head gives eta * sqrt(1 - 1/K) (hard labels)', () => {
    for (const [k, eta] of [
      [5, 0.1],
      [10, 0.3],
    ] as const) {
      // p = (1 - eta) e_y + eta / K, the smoothed target itself; logits = log p reproduce it.
      const labels = [0, 2, 4];
      const logits = new Float32Array(labels.length * k);
      labels.forEach((y, i) => {
        for (let c = 0; c < k; c++) logits[i * k + c] = Math.log((c === y ? 1 - eta : 0) + eta / k);
      });
      const s = classifierStats(logits, labels, k);
      expect(Math.abs(s.energy - eta * Math.sqrt(1 - 1 / k))).toBeLessThan(1e-6);
    }
  });

  it('softmax, accuracy, loss and quartiles on a hand-computed example', () => {
    const logits = [Math.log(3), 0, /* */ 0, 0];
    const p = softmaxRows(logits, 2, 2);
    expect([...p]).toEqual([0.75, 0.25, 0.5, 0.5].map((v) => expect.closeTo(v, 12)));
    const s = classifierStats(Float32Array.from(logits), [0, 1], 2);
    // example 0: right, energy ||(0.25, -0.25)|| = 0.25*sqrt2; example 1: tie -> argmax 0, wrong, energy 0.5*sqrt2
    expect(s.acc).toBe(0.5);
    expect(s.energy).toBeCloseTo(0.375 * Math.SQRT2, 6);
    expect(s.loss).toBeCloseTo((-Math.log(0.75) - Math.log(0.5)) / 2, 6);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12);
  });
});

describe('feature metrics (docs/science.md step 6)', () => {
  it('epoch 0 (z_t = z_0): distances 0, cosine similarity 1', () => {
    const z = [1, 2, 3, 0, 0, 0, -1, 4, 2];
    const m = featureMetrics(z, z, 3, 3);
    expect(m.feat_l2_dist).toBe(0);
    expect(m.feat_cos_sim).toBeCloseTo(1, 12);
    expect(m.feat_cos_dist).toBeCloseTo(0, 12);
  });

  it('hand-computed per-example averages', () => {
    // example 0: z0 = (1,0), zt = (0,1) -> l2 sqrt2, cos 0, dot 0, norms 1, 1
    // example 1: z0 = (1,1), zt = (2,2) -> l2 sqrt2, cos 1, dot 4, norm sqrt8, ref sqrt2
    const m = featureMetrics([0, 1, 2, 2], [1, 0, 1, 1], 2, 2);
    expect(m.feat_l2_dist).toBeCloseTo(Math.SQRT2, 12);
    expect(m.feat_cos_sim).toBeCloseTo(0.5, 12);
    expect(m.feat_cos_dist).toBeCloseTo(0.5, 12);
    expect(m.feat_dot).toBeCloseTo(2, 12);
    expect(m.feat_norm).toBeCloseTo((1 + Math.sqrt(8)) / 2, 12);
    expect(m.feat_norm_ref).toBeCloseTo((1 + Math.SQRT2) / 2, 12);
  });

  it('rejects mismatched shapes and normalises weights', () => {
    expect(() => featureMetrics([1, 2], [1, 2, 3], 1, 2)).toThrow(/expected 1x2/);
    expect(weightsNorm([[3], [4]])).toBe(5);
  });
});
