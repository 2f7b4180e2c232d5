import { describe, expect, it } from 'vitest';
import {
  checkClaims,
  claimsProblems,
  defaultClaims,
  detectableEffect,
  gridVariants,
  maxTTest,
  nemenyiCliques,
  publishedSuite,
  resolveSuiteFiles,
  SUITE_FILES,
  signTestReach,
  tQuantile,
  oneObservationPerSeed,
  overallRanking,
  pairedDiff,
  rankCells,
  seedsForPower,
  type SeedObservation,
} from '../../../contract';
import { seedObservations } from '../../fixtures/observations';

/** Observations of one strategy variant in cell `cell` (default 'c'): accs[i] is seed i's test accuracy. */
function variant(strategy: string, accs: number[], o: Partial<SeedObservation> & { cell?: string } = {}): SeedObservation[] {
  const { cell = 'c', ...over } = o;
  return seedObservations(strategy, accs, { dataset: cell, ...over });
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
  it('ranks follow the means; "ties leader" is a marker from the permutation max-T test', () => {
    const noise = [0.004, -0.003, 0.002, -0.001, 0.003, -0.005, 0.001, -0.002];
    const obs = [
      ...variant('ft', noise.map((e) => 0.9 + e)),
      // 0.1 pp below the leader on average, with noise of its own: not significant
      ...variant('lp-ft', noise.map((e, i) => 0.899 + e + (i % 2 ? 0.004 : -0.004)), { tau: 8 }),
      // exactly 3 pp below in every seed: t is infinite
      ...variant('lp', noise.map((e) => 0.87 + e), { tau: 8 }),
      // 5 pp below with a little noise
      ...variant('hp-zero', noise.map((e, i) => 0.85 + e + (i % 2 ? 0.001 : -0.001))),
    ];
    const [cell] = rankCells(obs);
    expect(cell!.rows.map((r) => [r.strategy, r.rank, r.ties_leader])).toEqual([
      ['ft', 1, true],
      ['lp-ft', 2, true],
      ['lp', 3, false],
      ['hp-zero', 4, false],
    ]);
    const lp = cell!.rows.find((r) => r.strategy === 'lp')!;
    expect(lp.vs_leader!.mean).toBeCloseTo(-0.03, 12);
    // the smallest p B = 4999 permutations can give
    expect(lp.vs_leader!.p_adj).toBe(1 / 5000);
    expect(lp.below).toEqual(['ft', 'lp-ft']);
    const lpft = cell!.rows.find((r) => r.strategy === 'lp-ft')!;
    expect(lpft.vs_leader!.p_adj).toBeGreaterThan(0.05);
    // the simultaneous interval excludes 0 exactly when the difference is declared, and is wider than the unadjusted one
    for (const r of cell!.rows.slice(1)) {
      const d = r.vs_leader!;
      expect(d.hi_adj! < 0 || d.lo_adj! > 0, r.strategy).toBe(!r.ties_leader);
      if (d.std > 0) expect(d.hi_adj! - d.lo_adj!).toBeGreaterThan(d.hi! - d.lo!);
    }
    // hp-zero's paired t is huge: declared below every other strategy
    expect(cell!.rows[3]!.below).toEqual(['ft', 'lp-ft', 'lp']);
    expect(cell!.test.permutations).toBe(4999);
    expect(cell!.test.complete_seeds).toBe(8);
  });

  it('is deterministic: the same cell gives the same numbers whatever the input order', () => {
    const r = (i: number) => 0.8 + 0.01 * Math.sin(i * 12.9898);
    const obs = ['ft', 'lp-ft', 'lp', 'hp-zero'].flatMap((s, j) => variant(s, Array.from({ length: 12 }, (_, i) => r(i * 4 + j) + 0.002 * j), { tau: j }));
    const a = rankCells(obs)[0]!;
    const b = rankCells([...obs].reverse())[0]!;
    expect(b.test).toEqual(a.test);
    expect(b.rows).toEqual(a.rows);
  });

  it('equal means share a rank number', () => {
    const obs = [...variant('ft', [0.8, 0.9, 0.85]), ...variant('lp', [0.9, 0.8, 0.85], { tau: 8 }), ...variant('lp-ft', [0.7, 0.7, 0.71], { tau: 8 })];
    expect(rankCells(obs)[0]!.rows.map((r) => r.rank)).toEqual([1, 1, 3]);
  });

  it('says when nothing can be declared: 2 strategies, 5 seeds, a permutation p no smaller than 1/16', () => {
    const obs = [...variant('ft', [0.9, 0.91, 0.92, 0.93, 0.94]), ...variant('lp', [0.8, 0.81, 0.82, 0.83, 0.84], { tau: 8 })];
    const [cell] = rankCells(obs);
    expect(cell!.test.min_p).toBeCloseTo(1 / 16, 12);
    // lp is 10 pp below in every seed, and still not declared: the test cannot reach p < 0.05
    expect(cell!.rows[1]!.ties_leader).toBe(true);
    expect(cell!.rows[1]!.vs_leader!.p_adj).toBeGreaterThanOrEqual(1 / 16 - 0.01);
  });

  it('the max-T critical value lies between the unadjusted and the Bonferroni t quantiles (Gaussian data, 3 strategies, 20 seeds)', () => {
    let x = 1;
    const gauss = () => {
      // Box-Muller from a fixed LCG: reproducible
      const u = () => ((x = (x * 48271) % 2147483647) / 2147483647);
      return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    };
    const values = Array.from({ length: 20 }, () => [gauss(), gauss(), gauss()]);
    const t = maxTTest(values, 3, 'bounds');
    expect(t.critical_t!).toBeGreaterThan(tQuantile(0.975, 19));
    expect(t.critical_t!).toBeLessThan(tQuantile(1 - 0.025 / 3, 19) * 1.1);
    // adjusted p is monotone in |t|
    const pairs = [
      [0, 1],
      [0, 2],
      [1, 2],
    ].map(([a, b]) => ({ t: Math.abs(t.t[a!]![b!]!), p: t.p_adj[a!]![b!]! }));
    pairs.sort((a, b) => a.t - b.t);
    expect(pairs[0]!.p).toBeGreaterThanOrEqual(pairs[2]!.p);
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

describe('the pre-registered claims', () => {
  const sweep = (seed: number, flip = false) =>
    [0, 2, 8, 64].map((tau, i) => {
      const aie = 0.9 - 0.25 * i + seed * 0.001;
      const test_acc = (tau === 2 || tau === 8 ? 0.9 : 0.88) + seed * 0.0003 * (i + 1);
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
        test_acc,
        best_val_acc: tau === 2 ? 0.95 : 0.9,
        // the probe alone: a random head at tau 0; tau 2's probe is 1 pp below the converged one (+-0.1 pp by seed),
        // so tau 2's FT gain is 3 pp larger than lp-ft's
        lp_test_acc: tau === 0 ? 0.2 : tau === 64 ? test_acc - 0.001 : test_acc - 0.031 + (seed % 2 ? 0.001 : -0.001),
        aie,
        feat_l2_dist: flip ? aie : 2 * aie,
        feat_cos_dist: flip ? 1 - aie : 0.1 * aie,
        feat_dot: 1,
        feat_norm: 1,
      };
    });
  const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
  const byId = (cs: ReturnType<typeof checkClaims>) => Object.fromEntries(cs.map((c) => [c.id, c]));

  it('verdicts from the data: holds, contradicted, not significant; (i) and (iv) are manipulation checks', () => {
    const ls = seeds.map((seed) => ({ ...sweep(seed)[3]!, strategy: 'hp-ls', fingerprint: 'ls', eta: 0.1, aie: 0.3 + seed * 0.002 }));
    const obs = [...seeds.flatMap((s) => sweep(s, s % 2 === 1)), ...ls];
    const spec = defaultClaims(obs);
    expect(spec.sweep).toEqual({ low: { strategy: 'ft', tau: 0 }, high: { strategy: 'lp-ft', tau: 64 }, interior: { strategy: 'hp-tau', taus: [2, 8] } });
    const claims = byId(checkClaims(obs, spec));
    expect(Object.keys(claims)).toEqual([
      'energy-falls-with-tau',
      'features-move-with-energy',
      'interior-tau-wins',
      'ft-gain-at-tau-star',
      'label-smoothing-raises-energy',
      'fixed-probe-energy',
      'kumar-pattern',
    ]);
    expect(claims['energy-falls-with-tau']!.verdict).toBe('holds');
    expect(claims['energy-falls-with-tau']!.kind).toBe('manipulation check');
    expect(claims['label-smoothing-raises-energy']!.kind).toBe('manipulation check');
    // cosine distance falls with energy in half the seeds: not significant; L2 rises in all
    expect(claims['features-move-with-energy']!.correlations[0]!.verdict).toBe('holds');
    expect(claims['features-move-with-energy']!.correlations[1]!.verdict).toBe('not significant');
    expect(claims['features-move-with-energy']!.verdict).toBe('not significant');
    expect(claims['interior-tau-wins']!.verdict).toBe('holds');
    expect(claims['interior-tau-wins']!.comparisons.map((c) => c.diff.wins)).toEqual([8, 8]);
    // (iii-b): tau 2's FT gain (test - probe-only) is 3.1 pp against lp-ft's 0.1 pp
    const gain = claims['ft-gain-at-tau-star']!;
    expect(gain.comparisons).toHaveLength(1);
    expect(gain.comparisons[0]!.metric).toBe('ft_gain');
    expect(gain.verdict).toBe('holds');
    expect(gain.comparisons[0]!.diff.mean).toBeCloseTo(0.03, 12);
    // probe-only difference to the converged end, as context: (0.9 - 0.031) - (0.88 - 0.001) = -1 pp, less 0.06 pp per seed (mean seed 3.5)
    expect(gain.context[0]!.diff.mean).toBeCloseTo(-0.01 - 0.0006 * 3.5, 12);
    expect(claims['label-smoothing-raises-energy']!.verdict).toBe('holds');
    // hp-ls at lp-ft's tau is (v)'s higher-energy probe: equal test accuracy -> paired sd 0, mean 0: not significant
    expect(claims['fixed-probe-energy']!.comparisons.map((c) => c.what)).toEqual(['hp-ls (tau 64, eta 0.1) - lp-ft (tau 64)']);
    expect(claims['kumar-pattern']!.verdict).toBe('no data');
    // the other way round: the converged probe wins -> contradicted
    const worse = seeds.flatMap((s) => sweep(s).map((o) => (o.tau === 64 ? { ...o, test_acc: 0.95 + s * 0.001 } : o)));
    expect(byId(checkClaims(worse, defaultClaims(worse)))['interior-tau-wins']!.verdict).toBe('contradicted');
  });

  it('power notes: a sign test over <= 5 seeds cannot reach p < 0.05, and says so', () => {
    const obs = [0, 1, 2, 3, 4].flatMap((s) => sweep(s));
    const c = byId(checkClaims(obs, defaultClaims(obs)));
    expect(c['energy-falls-with-tau']!.verdict).toBe('not significant');
    expect(c['energy-falls-with-tau']!.correlations[0]!.reach.can_reach).toBe(false);
    expect(c['energy-falls-with-tau']!.power).toMatch(/cannot reach p < 0.05/);
    expect(signTestReach(5)).toMatchObject({ can_reach: false, agree_needed: null, min_p: 0.0625 });
    expect(signTestReach(6)).toMatchObject({ can_reach: true, agree_needed: 6 });
    // 10 seeds: 9/10 agreeing gives p = 0.021; 8/10 gives 0.109
    expect(signTestReach(10).agree_needed).toBe(9);
    // a paired t-test: the note names the detectable effect
    expect(c['interior-tau-wins']!.power).toMatch(/80% power to detect/);
    // detectable effect: (t_{1-a/2, n-1} + z_0.8) sd / sqrt n; at n = 25, sd 0.85 pp about 0.5 pp (issue 19's numbers)
    expect(detectableEffect(25, 0.0085)! * 100).toBeGreaterThan(0.45);
    expect(detectableEffect(25, 0.0085)! * 100).toBeLessThan(0.52);
  });

  it("Kumar et al.'s pattern on ID and OOD accuracy; 'no data' for OOD without a split", () => {
    const mk = (strategy: string, tau: number, seed: number, test: number, ood: number | null) => ({
      ...sweep(seed)[0]!,
      strategy,
      fingerprint: `${strategy}${tau}`,
      tau,
      test_acc: test + seed * 0.001,
      ood_test_acc: ood === null ? null : ood + ((seed * 7) % 3) * 0.001,
    });
    const obs = seeds.flatMap((s) => [mk('lp', 64, s, 0.8, 0.7), mk('ft', 0, s, 0.82 + (s % 2) * 0.001, 0.63), mk('lp-ft', 64, s, 0.83, 0.74 + (s % 3) * 0.001), mk('hp-tau', 8, s, 0.83, 0.7)]);
    const k = byId(checkClaims(obs, defaultClaims(obs)))['kumar-pattern']!;
    expect(k.comparisons.map((c) => [c.what, c.verdict])).toEqual([
      ['ID: FT - LP', 'holds'],
      ['OOD: FT - LP', 'holds'],
      ['ID: LP-FT - FT', 'holds'],
      ['OOD: LP-FT - FT', 'holds'],
    ]);
    expect(k.verdict).toBe('holds');
    const noOod = obs.map((o) => ({ ...o, ood_test_acc: null }));
    const k2 = byId(checkClaims(noOod, defaultClaims(noOod)))['kumar-pattern']!;
    expect(k2.comparisons.filter((c) => c.metric === 'ood_test_acc').map((c) => c.verdict)).toEqual(['no data', 'no data']);
    expect(k2.verdict).toBe('holds');
    expect(k2.summary).toMatch(/OOD: no data/);
  });

  it('claims follow the spec, not the strategies present: a missing strategy gives no data, never another comparison', () => {
    const obs = seeds.flatMap((s) => sweep(s));
    const spec = defaultClaims(obs);
    // the converged end is gone (as a strategy filter would remove it): (iii-a) must not compare with tau 8 instead
    const without = obs.filter((o) => o.strategy !== 'lp-ft');
    const c = byId(checkClaims(without, spec))['interior-tau-wins']!;
    expect(c.verdict).toBe('no data');
    expect(c.comparisons).toEqual([]);
  });

  it('the default claims of the published @2 grids, and a claims block checked against its grid', () => {
    const dt2 = publishedSuite('digits-transfer@2')!;
    expect(dt2.claims).toBeUndefined();
    const spec = defaultClaims(gridVariants(dt2));
    expect(spec.sweep).toEqual({ low: { strategy: 'ft', tau: 0 }, high: { strategy: 'lp-ft', tau: 2048 }, interior: { strategy: 'hp-tau', taus: [1, 2, 4, 16, 128] } });
    expect(spec.label_smoothing!.map((p) => p.smoothed.eta)).toEqual([0.1, 0.3]);
    expect(spec.fixed_probe).toEqual({
      baseline: { strategy: 'lp-ft', tau: 2048 },
      higher_energy: [
        { strategy: 'hp-temp', tau: 2048, temperature: 0.5 },
        { strategy: 'hp-ls', tau: 2048, eta: 0.1 },
        { strategy: 'hp-ls', tau: 2048, eta: 0.3 },
      ],
    });
    expect(spec.kumar).toEqual({ lp: { strategy: 'lp', tau: 2048 }, ft: { strategy: 'ft', tau: 0 }, lp_ft: { strategy: 'lp-ft', tau: 2048 } });
    // a block naming a variant the grid lacks, or an ambiguous one, is refused with the field
    expect(claimsProblems({ ...dt2, claims: { ...spec, sweep: { ...spec.sweep!, high: { strategy: 'lp-ft', tau: 4096 } } } })).toEqual([
      'claims.sweep.high: lp-ft at tau 4096 is not in the grid',
    ]);
    expect(claimsProblems({ ...dt2, claims: { fixed_probe: { baseline: { strategy: 'lp-ft', tau: 2048 }, higher_energy: [{ strategy: 'hp-ls', tau: 2048 }] } } })).toEqual([
      'claims.fixed_probe.higher_energy[0]: hp-ls at tau 2048 matches 2 grid variants; name its eta or temperature',
    ]);
    const file = (claims: unknown) => ({
      'digits-transfer@1.json': (SUITE_FILES as Record<string, unknown>)['digits-transfer@1.json'],
      'digits-transfer@2.json': (SUITE_FILES as Record<string, unknown>)['digits-transfer@2.json'],
      'digits-transfer@9.json': { name: 'digits-transfer', version: 9, extends: 'digits-transfer@2', claims },
    });
    expect(resolveSuiteFiles(file(spec)).find((s) => s.version === 9)!.claims).toEqual(spec);
    expect(() => resolveSuiteFiles(file({ kumar: { lp: { strategy: 'lp', tau: 1 }, ft: spec.kumar!.ft, lp_ft: spec.kumar!.lp_ft } }))).toThrow(
      /digits-transfer@9\.json: claims\.kumar\.lp: lp at tau 1 is not in the grid/,
    );
    expect(() => resolveSuiteFiles(file({ sweep: { low: { strategy: 'ft' } } }))).toThrow(/claims/);
  });

  it('says how many seeds a paired test needs', () => {
    // 2 pp effect, 3 pp sd of the differences: about 20 seeds (docs/science.md)
    expect(seedsForPower(0.02, 0.03)).toBeGreaterThanOrEqual(18);
    expect(seedsForPower(0.02, 0.03)).toBeLessThanOrEqual(21);
    expect(seedsForPower(0, 0.03)).toBeNull();
  });
});
