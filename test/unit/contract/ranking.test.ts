import { describe, expect, it } from 'vitest';
import {
  checkClaims,
  nemenyiCliques,
  oneObservationPerSeed,
  overallRanking,
  pairedDiff,
  rankCells,
  seedsForPower,
  type SeedObservation,
} from '../../../contract';

/** Observations of one strategy variant: accs[i] is seed i's test accuracy. */
function variant(strategy: string, accs: number[], o: Partial<SeedObservation> & { cell?: string } = {}): SeedObservation[] {
  const { cell = 'c', ...over } = o;
  return accs.map((test_acc, seed) => ({
    backbone: 'b',
    dataset: cell,
    strategy,
    fingerprint: `${cell}/${strategy}/${over.tau ?? 0}/${over.eta ?? 0}`,
    tau: 0,
    eta: 0,
    temperature: 1,
    seed,
    test_acc,
    best_val_acc: test_acc,
    aie: 0.5,
    feat_l2_dist: 1,
    feat_cos_dist: 0.1,
    feat_dot: 1,
    feat_norm: 1,
    ...over,
  }));
}

describe('paired differences', () => {
  it('match a hand computation: d = [0.1, 0.05, 0.05]', () => {
    const d = pairedDiff(new Map([[0, 0.8], [1, 0.9], [2, 0.85]]), new Map([[0, 0.7], [1, 0.85], [2, 0.8], [3, 0.5]]));
    expect(d.n).toBe(3);
    expect(d.mean).toBeCloseTo(0.2 / 3, 15);
    const sd = Math.sqrt(((0.1 - 0.2 / 3) ** 2 + 2 * (0.05 - 0.2 / 3) ** 2) / 2);
    expect(d.std).toBeCloseTo(sd, 15);
    // t = mean / (sd / sqrt 3) = 4; with 2 df, P(T <= t) = 1/2 + t / (2 sqrt(2 + t^2))
    expect(d.mean / (d.std / Math.sqrt(3))).toBeCloseTo(4, 12);
    expect(d.p).toBeCloseTo(2 * (0.5 - 4 / (2 * Math.sqrt(18))), 12);
    expect(d.hi! - d.mean).toBeCloseTo((4.302652729749464 * sd) / Math.sqrt(3), 12);
    expect([d.wins, d.losses, d.draws]).toEqual([3, 0, 0]);
  });
  it('one common seed gives no interval and no test', () => {
    const d = pairedDiff(new Map([[0, 0.8]]), new Map([[0, 0.7]]));
    expect([d.n, d.lo, d.hi, d.p]).toEqual([1, null, null, null]);
  });
});

describe('cell ranking', () => {
  it('ties the leader unless the Holm-adjusted paired p < 0.05; the rule repeats on the rest', () => {
    const seeds = 6;
    const noise = [0.004, -0.003, 0.002, -0.001, 0.003, -0.005];
    const obs = [
      ...variant('ft', noise.map((e) => 0.9 + e)),
      // 0.2 pp below the leader in every seed but with noise: not significant
      ...variant('lp-ft', noise.map((e, i) => 0.898 + e + (i % 2 ? 0.004 : -0.004))),
      // exactly 3 pp below in every seed: p = 0
      ...variant('lp', noise.map((e) => 0.87 + e), { tau: 8 }),
      ...variant('hp-zero', Array.from({ length: seeds }, (_, i) => 0.87 + noise[i]! + (i % 2 ? 0.001 : -0.001))),
    ];
    const [cell] = rankCells(obs);
    const rank = Object.fromEntries(cell!.rows.map((r) => [r.strategy, r.rank]));
    expect(rank).toEqual({ ft: 1, 'lp-ft': 1, lp: 3, 'hp-zero': 3 });
    const lp = cell!.rows.find((r) => r.strategy === 'lp')!;
    expect(lp.vs_leader!.mean).toBeCloseTo(-0.03, 12);
    expect(lp.p_holm).toBe(0);
    const lpft = cell!.rows.find((r) => r.strategy === 'lp-ft')!;
    expect(lpft.p_holm).toBeGreaterThan(0.05);
    expect(lpft.group).toBe(1);
  });

  it("chooses hp-tau's tau* once per cell on validation among interior taus (the ends are ft and lp-ft)", () => {
    const obs = [
      ...variant('ft', [0.8, 0.81, 0.82]),
      ...variant('lp-ft', [0.85, 0.85, 0.86], { tau: 64 }),
      // the same computations stored again as hp-tau (suites @1): never candidates
      ...variant('hp-tau', [0.8, 0.81, 0.82], { best_val_acc: 0.99 }),
      ...variant('hp-tau', [0.85, 0.85, 0.86], { tau: 64, best_val_acc: 0.99 }),
      ...variant('hp-tau', [0.9, 0.9, 0.9], { tau: 2, best_val_acc: 0.8 }),
      ...variant('hp-tau', [0.7, 0.7, 0.7], { tau: 8, best_val_acc: 0.9 }),
    ];
    const hp = rankCells(obs)[0]!.rows.find((r) => r.strategy === 'hp-tau')!;
    expect(hp.tau).toBe(8);
    expect(hp.variants).toBe(2);
  });

  it('one observation per (fingerprint, seed): a rerun is a reproduction and never moves the mean', () => {
    const base = variant('ft', [0.8, 0.9]);
    const rerun = { ...base[0]!, test_acc: 0.1 };
    expect(oneObservationPerSeed([...base, rerun]).reproductions).toBe(1);
    expect(rankCells([...base, rerun])[0]!.rows[0]!.mean).toBeCloseTo(0.85, 15);
  });
});

describe('overall ranking', () => {
  it('Friedman over (cell, seed) blocks and the Nemenyi CD, by hand', () => {
    // 2 cells x 2 seeds = 4 blocks; a always first, b and c swap: ranks a 1,1,1,1; b 2,3,2,3; c 3,2,3,2
    const obs = ['x', 'y'].flatMap((cell) => [
      ...variant('lp', [0.9, 0.9], { cell, tau: 8 }),
      ...variant('ft', [0.8, 0.7], { cell }),
      ...variant('lp-ft', [0.7, 0.8], { cell, tau: 8 }),
    ]);
    const o = overallRanking(rankCells(obs));
    expect(o.blocks).toBe(4);
    expect(o.rows.map((r) => [r.strategy, r.mean_rank])).toEqual([
      ['lp', 1],
      ['ft', 2.5],
      ['lp-ft', 2.5],
    ]);
    // chi2 = 12 N / (k (k + 1)) * sum (R - 2)^2 = 12 * 4 / 12 * (1 + 0.25 + 0.25) = 6
    expect(o.chi2).toBeCloseTo(6, 12);
    // F = (N - 1) chi2 / (N (k - 1) - chi2) = 3 * 6 / (8 - 6) = 9 with (2, 6) df; P(F > 9) = (1 + 2*9/6)^-3 = 1/64
    expect(o.f).toBeCloseTo(9, 12);
    expect(o.p).toBeCloseTo(1 / 64, 10);
    // CD = q(3) sqrt(k (k + 1) / (6 N)) = 2.3437 * sqrt(12 / 24)
    expect(o.cd).toBeCloseTo(2.3437 * Math.SQRT1_2, 3);
    expect(o.cliques).toEqual([['lp', 'ft', 'lp-ft']]);
  });
  it('cliques are maximal runs shorter than CD', () => {
    const rows = [1, 1.5, 3, 3.2, 5].map((mean_rank, i) => ({ strategy: `s${i}`, mean_rank }));
    expect(nemenyiCliques(rows, 1)).toEqual([['s0', 's1'], ['s2', 's3']]);
    expect(nemenyiCliques(rows, 2.5)).toEqual([['s0', 's1', 's2', 's3'], ['s2', 's3', 's4']]);
  });
});

describe("the paper's claims", () => {
  const sweep = (seed: number, flip = false) =>
    [0, 2, 8, 64].map((tau, i) => {
      const aie = 0.9 - 0.25 * i + seed * 0.001;
      return {
        backbone: 'b',
        dataset: 'c',
        strategy: tau === 0 ? 'ft' : tau === 64 ? 'lp-ft' : 'hp-tau',
        fingerprint: `t${tau}`,
        tau,
        eta: 0,
        temperature: 1,
        seed,
        // interior taus win by 2 pp (tau 2 best on validation)
        test_acc: (tau === 2 || tau === 8 ? 0.9 : 0.88) + seed * 0.0003 * (i + 1),
        best_val_acc: tau === 2 ? 0.95 : 0.9,
        aie,
        feat_l2_dist: flip ? aie : 2 * aie,
        feat_cos_dist: flip ? 1 - aie : 0.1 * aie,
        feat_dot: 1,
        feat_norm: 1,
      };
    });
  it('verdicts from the data: holds, contradicted, not significant', () => {
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const ls = seeds.map((seed) => ({ ...sweep(seed)[3]!, strategy: 'hp-ls', fingerprint: 'ls', eta: 0.1, aie: 0.3 }));
    const claims = Object.fromEntries(checkClaims([...seeds.flatMap((s) => sweep(s, s % 2 === 1)), ...ls]).map((c) => [c.id, c]));
    expect(claims['energy-falls-with-tau']!.verdict).toBe('holds');
    // cosine distance falls with energy in half the seeds: not significant; L2 rises in all
    expect(claims['features-move-with-energy']!.correlations[0]!.verdict).toBe('holds');
    expect(claims['features-move-with-energy']!.correlations[1]!.verdict).toBe('not significant');
    expect(claims['features-move-with-energy']!.verdict).toBe('not significant');
    expect(claims['interior-tau-wins']!.verdict).toBe('holds');
    expect(claims['interior-tau-wins']!.comparisons.map((c) => c.diff.wins)).toEqual([8, 8]);
    expect(claims['label-smoothing-raises-energy']!.verdict).toBe('holds');
    // the other way round: the converged probe wins -> contradicted
    const worse = seeds.flatMap((s) => sweep(s).map((o) => (o.tau === 64 ? { ...o, test_acc: 0.95 + s * 0.001 } : o)));
    expect(checkClaims(worse).find((c) => c.id === 'interior-tau-wins')!.verdict).toBe('contradicted');
  });
  it('says how many seeds a paired test needs', () => {
    // 2 pp effect, 3 pp sd of the differences: about 20 seeds (docs/science.md)
    expect(seedsForPower(0.02, 0.03)).toBeGreaterThanOrEqual(18);
    expect(seedsForPower(0.02, 0.03)).toBeLessThanOrEqual(21);
    expect(seedsForPower(0, 0.03)).toBeNull();
  });
});
