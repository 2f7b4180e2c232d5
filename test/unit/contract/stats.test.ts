import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  fCdf,
  holmAdjust,
  mean,
  meanCI95,
  normalCdf,
  normalQuantile,
  pearson,
  sampleStd,
  signTestP,
  spearman,
  studentizedRangeQuantile,
  tCdf,
  tQuantile,
  tQuantile975,
  tTwoSidedP,
} from '../../../contract';

describe('stats', () => {
  it('mean and sample std on hand-computed data', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(sampleStd([3])).toBe(0);
    expect(mean([])).toBeNaN();
  });

  it('exact t quantiles (published 16-digit values, e.g. R qt(0.975, df))', () => {
    const known: [number, number][] = [
      [1, 12.706204736174707],
      [2, 4.302652729749464],
      [4, 2.7764451051977987],
      [9, 2.2621571627409915],
      [19, 2.093024054408263],
      [29, 2.045229642132703],
      [100, 1.9839715184496334],
    ];
    for (const [df, q] of known) expect(Math.abs(tQuantile975(df) - q)).toBeLessThan(1e-9);
    expect(tQuantile(0.025, 7)).toBeCloseTo(-tQuantile(0.975, 7), 14);
    // df = 1 is Cauchy: the CDF is 1/2 + atan(t)/pi
    for (const t of [-3, -0.5, 0.7, 10]) expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
    // df = 2 has a closed form: 1/2 + t / (2 sqrt(2 + t^2))
    for (const t of [-2, 0.3, 5]) expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    expect(tTwoSidedP(2.093024054408263, 19)).toBeCloseTo(0.05, 12);
    expect(tQuantile975(1e6)).toBeCloseTo(1.959963984540054, 5);
  });

  it('normal, F, sign test, Holm and the studentized range (Demsar 2006 Table 5)', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 10);
    // F(1, d) is t^2 with d degrees of freedom
    expect(fCdf(2.093024054408263 ** 2, 1, 19)).toBeCloseTo(0.95, 12);
    expect(signTestP(5, 5)).toBeCloseTo(0.0625, 14);
    expect(signTestP(10, 20)).toBe(1);
    expect(holmAdjust([0.01, 0.04, 0.03, NaN])).toEqual([0.03, 0.06, 0.06, NaN]);
    const demsar = [1.96, 2.343, 2.569, 2.728, 2.85, 2.949, 3.031, 3.102, 3.164];
    // the table prints three decimals, truncated (2.3437 as 2.343)
    demsar.forEach((q, i) => expect(Math.abs(studentizedRangeQuantile(0.05, i + 2) / Math.SQRT2 - q)).toBeLessThan(1e-3));
  });

  it('95% CI of three seeds: mean +- t(2) * s / sqrt(3)', () => {
    const ci = meanCI95([0.9, 0.92, 0.94]);
    expect(ci.mean).toBeCloseTo(0.92, 12);
    expect(ci.std).toBeCloseTo(0.02, 12);
    expect(ci.half_width).toBeCloseTo((4.302652729749464 * 0.02) / Math.sqrt(3), 12);
    expect(ci.lo).toBeCloseTo(0.92 - ci.half_width, 12);
    expect(meanCI95([0.5])).toMatchObject({ n: 1, mean: 0.5, half_width: 0 });
  });

  it('average ranks and Spearman with ties', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 6, 8, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
    // hand-computed: ranks x = [1,2,3,4], y = [1,3,2,4] -> rho = 1 - 6*2/(4*15) = 0.8
    expect(spearman([1, 2, 3, 4], [10, 30, 20, 40])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
