import { describe, expect, it } from 'vitest';
import { averageRanks, mean, meanCI95, pearson, sampleStd, spearman, tQuantile975 } from '../../../contract';

describe('stats', () => {
  it('mean and sample std on hand-computed data', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935, 9);
    expect(sampleStd([3])).toBe(0);
    expect(mean([])).toBeNaN();
  });

  it('t quantiles: table and large-df expansion', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(2)).toBe(4.303);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(40)).toBeCloseTo(2.021, 3);
    expect(tQuantile975(120)).toBeCloseTo(1.98, 3);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('95% CI of three seeds: mean +- t(2) * s / sqrt(3)', () => {
    const ci = meanCI95([0.9, 0.92, 0.94]);
    expect(ci.mean).toBeCloseTo(0.92, 12);
    expect(ci.std).toBeCloseTo(0.02, 12);
    expect(ci.half_width).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 12);
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
