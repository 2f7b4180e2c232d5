import { describe, expect, it } from 'vitest';
import {
  buildLeaderboardView,
  filtersToQuery,
  HOME_MAX_SUITES,
  homeFromDigests,
  homeSuiteRows,
  leaderboardRows,
  MAX_EVIDENCE_SEEDS,
  parseFilters,
  parseSuiteSegment,
  suiteDigest,
} from '../../../../app/_lib/leaderboard-view';
import { toCsv } from '../../../../app/_lib/csv';
import { checkClaims, claimsSpecFor, type SuiteObservation } from '../../../../contract';
import { predictionInterval95FromCI } from '../../../../contract/prediction-interval';
import { suiteObservations } from '../../../fixtures/observations';

/** Seeds of one variant with per-seed test accuracies `accs` in suite s@2, backbone mlp. */
const obs = (strategy: string, dataset: string, accs: number[], over: Partial<SuiteObservation> = {}): SuiteObservation[] =>
  suiteObservations(strategy, accs, { suite_version: 2, dataset, ...over });

const observations = [
  ...obs('lp', 'a', [0.8, 0.801, 0.799], { tau: 16, aie: 0.1 }),
  ...obs('ft', 'a', [0.9, 0.901, 0.899], { aie: 0.9 }),
  ...obs('hp-tau', 'a', [0.85, 0.851, 0.849], { tau: 8, best_val_acc: 0.7, aie: 0.3 }),
  ...obs('hp-tau', 'a', [0.7, 0.701, 0.699], { tau: 2, best_val_acc: 0.95, aie: 0.6 }),
  ...obs('lp', 'b', [0.6, 0.601, 0.599], { tau: 16 }),
  ...obs('ft', 'b', [0.5, 0.501, 0.499]),
];
const base = { suite: { name: 's', version: 2, description: null }, versions: [1, 2], totals: { results: 18, reproductions: 0 } };

describe('leaderboard view', () => {
  it('ranks all cells, draws the focused one, and picks hp-tau at tau* chosen on validation', () => {
    const view = buildLeaderboardView({ ...base, observations, filters: parseFilters({}) });
    expect(view.cells.map((c) => c.dataset)).toEqual(['a', 'b']);
    expect(view.focus).toEqual({ backbone: 'mlp', dataset: 'a' });
    const a = view.cells[0]!;
    expect(a.rows.map((r) => r.strategy)).toEqual(['ft', 'lp', 'hp-tau']);
    expect(a.rows.find((r) => r.strategy === 'hp-tau')!.tau).toBe(2);
    expect(view.chart!.chosen_tau).toBe(2);
    // the sweep: ft is its tau-0 end, then hp-tau's taus
    expect(view.chart!.sweep.map((p) => [p.tau, p.strategy])).toEqual([
      [0, 'ft'],
      [2, 'hp-tau'],
      [8, 'hp-tau'],
    ]);
    expect(view.chart!.points).toHaveLength(12);
    expect(view.references.map((r) => [r.dataset, r.strategy, r.id])).toEqual([
      ['a', 'ft', 'ft-a-0'],
      ['b', 'lp', 'lp-b-16'],
    ]);
    expect(view.references[0]!.aie).toEqual({ mean: 0.9, min: 0.9, max: 0.9 });
    // one rerun lands in mean +- t(0.975, 2) * s * sqrt(1 + 1/3), s = 0.001
    const r0 = view.references[0]!;
    const half = 4.302652729749464 * 0.001 * Math.sqrt(4 / 3);
    expect(predictionInterval95FromCI(r0.test_acc.mean, r0.test_acc, r0.n)!.lo).toBeCloseTo(0.9 - half, 12);
    // 2 cells x 3 seeds; 15 (strategy, seed) observations ranked
    expect(view.totals.seeds_ranked).toBe(6);
    expect(view.totals.ranked_results).toBe(15);
  });

  it('a strategy filter recomputes every statistic over the strategies shown', () => {
    const all = buildLeaderboardView({ ...base, observations, filters: parseFilters({}) });
    expect(all.overall.k).toBe(2);
    expect(all.overall.excluded).toEqual(['hp-tau']);
    const view = buildLeaderboardView({ ...base, observations, filters: parseFilters({ strategy: ['lp,hp-tau'] }) });
    expect(view.cells[0]!.rows.map((r) => [r.strategy, r.rank])).toEqual([
      ['lp', 1],
      ['hp-tau', 2],
    ]);
    expect(view.cells[0]!.rows[1]!.vs_leader!.mean).toBeCloseTo(-0.1, 12);
    expect(view.overall.rows.map((r) => r.strategy)).toEqual(['lp']);
    expect(view.totals.seeds_ranked).toBe(6);
    expect(view.totals.ranked_results).toBe(9);
    expect(view.chart!.strategies.map((s) => s.id)).toEqual(['lp', 'hp-tau']);
    expect(view.options.strategies).toEqual(['lp', 'ft', 'hp-tau']);
  });

  it('the claims are pre-registered: the same with and without a strategy filter', () => {
    // a sweep of 8 seeds: ft (tau 0), hp-tau (tau 2, 8), lp-ft (tau 64)
    const sweep = [0, 2, 8, 64].flatMap((tau, i) =>
      obs(tau === 0 ? 'ft' : tau === 64 ? 'lp-ft' : 'hp-tau', 'c', [0, 1, 2, 3, 4, 5, 6, 7].map((s) => 0.8 + (i === 1 ? 0.02 : 0) + 0.001 * s * i), {
        tau,
        aie: 0.9 - 0.2 * i,
        best_val_acc: i === 1 ? 0.9 : 0.8,
        lp_test_acc: 0.5 + 0.1 * i,
      }),
    );
    const all = buildLeaderboardView({ ...base, observations: sweep, filters: parseFilters({}) });
    expect(all.claims.find((c) => c.id === 'interior-tau-wins')!.comparisons.map((c) => c.what)).toEqual(['tau* 2 - ft (tau 0)', 'tau* 2 - lp-ft (tau 64)']);
    for (const strategy of [['ft', 'hp-tau'], ['hp-tau'], ['lp-ft']]) {
      const filtered = buildLeaderboardView({ ...base, observations: sweep, filters: parseFilters({ strategy }) });
      expect(filtered.cells[0]!.rows.map((r) => r.strategy).sort()).toEqual([...strategy].sort());
      expect(filtered.claims).toEqual(all.claims);
    }
  });

  it('lists at most MAX_EVIDENCE_SEEDS per-seed rows of a claim; its test and verdict use every seed', () => {
    const seeds = MAX_EVIDENCE_SEEDS + 10;
    const accs = (a: number) => Array.from({ length: seeds }, (_, i) => a + (i % 7) * 0.001);
    const many = [
      ...obs('ft', 'a', accs(0.9), { aie: 0.9 }),
      ...obs('hp-tau', 'a', accs(0.85), { tau: 2, aie: 0.6 }),
      ...obs('hp-tau', 'a', accs(0.84), { tau: 8, aie: 0.3 }),
      ...obs('lp', 'a', accs(0.8), { tau: 16, aie: 0.1 }),
    ];
    const view = buildLeaderboardView({ ...base, observations: many, filters: parseFilters({}) });
    const full = checkClaims(many, claimsSpecFor(null, many));
    const listed = view.claims.flatMap((c) => c.correlations);
    expect(listed.length).toBeGreaterThan(0);
    for (const [i, r] of listed.entries()) {
      const all = full.flatMap((c) => c.correlations)[i]!;
      expect(all.seeds).toHaveLength(seeds);
      expect(r.seeds).toEqual(all.seeds.slice(0, MAX_EVIDENCE_SEEDS));
      expect(r.seeds_omitted).toBe(10);
      expect({ n: r.n, agree: r.agree, p: r.p, verdict: r.verdict, mean_rho: r.mean_rho }).toEqual({ n: all.n, agree: all.agree, p: all.p, verdict: all.verdict, mean_rho: all.mean_rho });
    }
  });

  it('a dataset filter selects the cell and the chart focus', () => {
    const view = buildLeaderboardView({ ...base, observations, filters: parseFilters({ dataset: 'b' }) });
    expect(view.cells.map((c) => c.dataset)).toEqual(['b']);
    expect(view.focus).toEqual({ backbone: 'mlp', dataset: 'b' });
    // ft alone is no sweep (a line needs two taus)
    expect(view.chart!.sweep).toEqual([]);
    expect(view.chart!.chosen_tau).toBeNull();
  });

  it('exports the rows of the view as CSV with a header and quoting', () => {
    const view = buildLeaderboardView({ ...base, observations, filters: parseFilters({ dataset: 'a' }) });
    const rows = leaderboardRows(view);
    expect(rows).toHaveLength(3);
    const csv = toCsv(rows);
    const lines = csv.trim().split('\n');
    expect(lines[0]!.split(',').slice(0, 5)).toEqual(['suite', 'backbone', 'dataset', 'rank', 'strategy']);
    expect(lines[1]!.startsWith('s@2,mlp,a,1,ft,true,0,')).toBe(true);
    expect(toCsv([{ a: 'x,"y"', b: NaN, c: null }])).toBe('a,b,c\n"x,""y""",,\n');
  });
});

describe('URL filters', () => {
  it('parses search params and round-trips them', () => {
    const f = parseFilters(new URLSearchParams('backbone=mlp&dataset=all&strategy=lp&strategy=ft,hp-tau&pending=1&reproduced=1'));
    expect(f).toEqual({ backbone: 'mlp', dataset: null, strategies: ['lp', 'ft', 'hp-tau'], pending: true, reproduced: true });
    expect(filtersToQuery(f)).toBe('backbone=mlp&strategy=lp&strategy=ft&strategy=hp-tau&pending=1&reproduced=1');
    expect(parseFilters({ pending: '0', strategy: '' })).toEqual({ backbone: null, dataset: null, strategies: null, pending: false, reproduced: false });
  });
  it('parses suite slugs with and without a version and rejects junk', () => {
    expect(parseSuiteSegment('digits-mlp@1')).toEqual({ name: 'digits-mlp', version: 1 });
    expect(parseSuiteSegment('digits-mlp%402')).toEqual({ name: 'digits-mlp', version: 2 });
    expect(parseSuiteSegment('digits-mlp')).toEqual({ name: 'digits-mlp', version: null });
    expect(parseSuiteSegment('Bad Name')).toBeNull();
    expect(parseSuiteSegment('x@0')).toBeNull();
  });
});

describe('home page suites', () => {
  it('ranks at most HOME_MAX_SUITES suite versions, those with the most results, and counts the rest', () => {
    const rows = Array.from({ length: HOME_MAX_SUITES + 5 }, (_, i) => ({ name: `s${String(i).padStart(2, '0')}`, version: 1, description: null, results: 100 + i }));
    rows.push({ name: 'empty', version: 1, description: null, results: 0 });
    const picked = homeSuiteRows(rows);
    expect(picked).toHaveLength(HOME_MAX_SUITES);
    expect(Math.min(...picked.map((r) => r.results))).toBe(105);
    const home = homeFromDigests(
      picked.map((r) => suiteDigest(r, null)),
      [],
      rows,
    );
    expect(home.suites.map((s) => s.name)).toEqual(picked.map((r) => r.name).sort());
    expect(home.more_suites).toBe(5);
  });
});
