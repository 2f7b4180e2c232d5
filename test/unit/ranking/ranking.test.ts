import { describe, expect, it } from 'vitest';
import { meanCI95 } from '../../../contract';
import {
  chooseVariant,
  intervalFromStats,
  overallRanking,
  rankCells,
  tieGroups,
  type VariantStats,
} from '../../../app/_lib/ranking';

/** A variant from raw per-seed values, aggregated the way SQL does (mean, sample std). */
function variant(
  strategy: string,
  testAccs: number[],
  over: Partial<VariantStats> & { val?: number[] } = {},
): VariantStats {
  const ci = meanCI95(testAccs);
  const val = over.val ?? testAccs;
  return {
    backbone: 'bb',
    dataset: 'ds',
    strategy,
    fingerprint: `${strategy}-${over.tau ?? 0}`.padEnd(8, 'x'),
    tau: 0,
    eta: 0,
    temperature: 1,
    n: testAccs.length,
    test_acc_mean: ci.mean,
    test_acc_std: testAccs.length > 1 ? ci.std : null,
    best_val_acc_mean: val.reduce((s, x) => s + x, 0) / val.length,
    aie_mean: 0.5,
    aie_min: 0.4,
    aie_max: 0.6,
    feat_l2_dist_mean: 1,
    feat_cos_dist_mean: 0.1,
    feat_dot_mean: 10,
    feat_norm_mean: 3,
    n_pending: 0,
    ...over,
  };
}

describe('95% interval from aggregated stats', () => {
  it('matches the t-interval computed by hand and contract meanCI95 on raw seeds', () => {
    // mean 0.82, sample std 0.02, t(0.975, df=2) = 4.303 -> half width 4.303 * 0.02 / sqrt(3)
    const iv = intervalFromStats(3, 0.82, 0.02);
    expect(iv.half_width).toBeCloseTo((4.303 * 0.02) / Math.sqrt(3), 12);
    expect(iv.lo).toBeCloseTo(0.82 - 0.049687, 5);
    expect(iv.hi).toBeCloseTo(0.82 + 0.049687, 5);
    const raw = meanCI95([0.8, 0.82, 0.84]);
    expect(iv.half_width).toBeCloseTo(raw.half_width, 12);
  });
  it('gives a zero-width interval for one seed and for a null std', () => {
    expect(intervalFromStats(1, 0.7, null)).toMatchObject({ half_width: 0, lo: 0.7, hi: 0.7, std: 0 });
    expect(intervalFromStats(1, 0.7, 0.3).half_width).toBe(0);
  });
  it('uses df = n - 1 (five seeds -> t = 2.776)', () => {
    expect(intervalFromStats(5, 0.5, 0.1).half_width).toBeCloseTo((2.776 * 0.1) / Math.sqrt(5), 12);
  });
});

describe('tie groups', () => {
  const iv = (mean: number, lo: number, hi: number) => ({ mean, lo, hi, n: 3 });
  it('gives the leader and every overlapping interval rank 1, then competition ranks', () => {
    const items = [
      iv(0.85, 0.84, 0.86), // C: below the leader's interval -> second group
      iv(0.9, 0.88, 0.92), // A: leader
      iv(0.89, 0.87, 0.91), // B: overlaps A
      iv(0.84, 0.8, 0.87), // D: overlaps C (the second group's leader)
      iv(0.83, 0.7, 0.96), // E: low mean but so wide it overlaps A
      iv(0.5, 0.49, 0.51), // F: alone
    ];
    const r = tieGroups(items);
    expect(r.map((x) => x.rank)).toEqual([4, 1, 1, 4, 1, 6]);
    expect(r.map((x) => x.group)).toEqual([2, 1, 1, 2, 1, 3]);
  });
  it('touching intervals overlap; disjoint ones do not', () => {
    expect(tieGroups([iv(0.9, 0.8, 1), iv(0.7, 0.6, 0.8)]).map((x) => x.rank)).toEqual([1, 1]);
    expect(tieGroups([iv(0.9, 0.81, 1), iv(0.7, 0.6, 0.8)]).map((x) => x.rank)).toEqual([1, 2]);
  });
  it('single-seed points tie only when equal', () => {
    const p = (m: number) => ({ mean: m, lo: m, hi: m, n: 1 });
    expect(tieGroups([p(0.8), p(0.8), p(0.7)]).map((x) => x.rank)).toEqual([1, 1, 3]);
  });
});

describe('variant choice (tau* on validation, never test)', () => {
  it('picks the best mean validation accuracy even when another tau has better test accuracy', () => {
    const t0 = variant('hp-tau', [0.9, 0.91], { tau: 0, val: [0.7, 0.7] });
    const t4 = variant('hp-tau', [0.8, 0.81], { tau: 4, val: [0.85, 0.86] });
    const t16 = variant('hp-tau', [0.95, 0.96], { tau: 16, val: [0.8, 0.8] });
    expect(chooseVariant([t0, t4, t16]).tau).toBe(4);
    const [cell] = rankCells([t0, t4, t16]);
    expect(cell!.rows).toHaveLength(1);
    expect(cell!.rows[0]).toMatchObject({ strategy: 'hp-tau', tau: 4, variants: 3, n: 2 });
    expect(cell!.rows[0]!.mean).toBeCloseTo(0.805, 12);
  });
  it('breaks validation ties by more seeds, then smaller tau', () => {
    const a = variant('hp-tau', [0.8], { tau: 2, val: [0.9] });
    const b = variant('hp-tau', [0.8, 0.8], { tau: 8, val: [0.9, 0.9] });
    const c = variant('hp-tau', [0.8, 0.8], { tau: 4, val: [0.9, 0.9] });
    expect(chooseVariant([a, b, c]).tau).toBe(4);
  });
});

describe('cells and overall win rate', () => {
  // Cell 1: A clearly first, B and C tied (overlap), D last.
  // Cell 2: B first, A second, C absent.
  const c1 = [
    variant('lp', [0.95, 0.951, 0.952], { dataset: 'd1' }),
    variant('ft', [0.8, 0.82, 0.84], { dataset: 'd1' }),
    variant('lp-ft', [0.81, 0.83, 0.85], { dataset: 'd1' }),
    variant('hp-ls', [0.5, 0.501, 0.502], { dataset: 'd1' }),
  ];
  const c2 = [
    variant('ft', [0.9, 0.901, 0.902], { dataset: 'd2' }),
    variant('lp', [0.7, 0.701, 0.702], { dataset: 'd2' }),
  ];
  const cells = rankCells([...c2, ...c1]);

  it('ranks each cell by mean test accuracy with tie groups', () => {
    expect(cells.map((c) => c.dataset)).toEqual(['d1', 'd2']);
    const d1 = cells[0]!;
    expect(d1.rows.map((r) => [r.strategy, r.rank])).toEqual([
      ['lp', 1],
      ['lp-ft', 2],
      ['ft', 2],
      ['hp-ls', 4],
    ]);
    expect(cells[1]!.rows.map((r) => [r.strategy, r.rank])).toEqual([
      ['ft', 1],
      ['lp', 2],
    ]);
  });

  it('computes the mean win rate by hand', () => {
    // lp: d1 beats 3 (3 points), d2 loses to ft (0) -> 3 / 4
    // ft: d1 loses to lp (0), ties lp-ft (0.5), beats hp-ls (1); d2 beats lp (1) -> 2.5 / 4
    // lp-ft: d1 0 + 0.5 + 1 -> 1.5 / 3
    // hp-ls: 0 / 3
    const o = overallRanking(cells);
    expect(o.map((r) => [r.strategy, r.points, r.comparisons, r.rank])).toEqual([
      ['lp', 3, 4, 1],
      ['ft', 2.5, 4, 2],
      ['lp-ft', 1.5, 3, 3],
      ['hp-ls', 0, 3, 4],
    ]);
    expect(o[0]!.win_rate).toBeCloseTo(0.75, 12);
    expect(o[2]!.win_rate).toBeCloseTo(0.5, 12);
    expect(o[0]!.mean_rank).toBeCloseTo(1.5, 12);
  });

  it('a strategy alone in its cells has no win rate and ranks last', () => {
    const o = overallRanking(rankCells([variant('lp', [0.9], { dataset: 'solo' }), ...c2]));
    const lpRow = o.find((r) => r.strategy === 'lp')!;
    expect(lpRow.comparisons).toBe(1);
    const solo = overallRanking(rankCells([variant('hp-zero', [0.9], { dataset: 'x' })]));
    expect(solo[0]).toMatchObject({ win_rate: null, comparisons: 0, rank: 1 });
  });

  it('labels strategies that are not in the paper', () => {
    const [cell] = rankCells([variant('hp-zero', [0.9]), variant('lp', [0.8])]);
    expect(cell!.rows.find((r) => r.strategy === 'hp-zero')!.in_paper).toBe(false);
    expect(cell!.rows.find((r) => r.strategy === 'lp')!.in_paper).toBe(true);
  });
});
