import { describe, expect, it } from 'vitest';
import {
  buildLeaderboardView,
  filtersToQuery,
  leaderboardRows,
  parseFilters,
  parseSuiteSlug,
  toCsv,
} from '../../../app/_lib/leaderboard-view';
import type { SeedPoint } from '../../../app/_lib/dto';
import type { VariantStats } from '../../../app/_lib/ranking';

const v = (strategy: string, dataset: string, mean: number, std: number, over: Partial<VariantStats> = {}): VariantStats => ({
  backbone: 'mlp',
  dataset,
  strategy,
  fingerprint: `${strategy}-${dataset}-${over.tau ?? 0}`,
  tau: 0,
  eta: 0,
  temperature: 1,
  n: 3,
  test_acc_mean: mean,
  test_acc_std: std,
  best_val_acc_mean: mean,
  aie_mean: 0.5,
  aie_min: 0.45,
  aie_max: 0.55,
  feat_l2_dist_mean: 1,
  feat_cos_dist_mean: 0.1,
  feat_dot_mean: 9,
  feat_norm_mean: 3,
  n_pending: 0,
  ...over,
});

const variants = [
  v('lp', 'a', 0.8, 0.001),
  v('ft', 'a', 0.9, 0.001),
  v('hp-tau', 'a', 0.85, 0.001, { tau: 8, best_val_acc_mean: 0.7, aie_mean: 0.3 }),
  v('hp-tau', 'a', 0.7, 0.001, { tau: 2, best_val_acc_mean: 0.95, aie_mean: 0.6 }),
  v('lp', 'b', 0.6, 0.001),
  v('ft', 'b', 0.5, 0.001),
];
const points: SeedPoint[] = [0, 1, 2].map((seed) => ({
  id: `r${seed}`,
  strategy: seed === 2 ? 'lp' : 'hp-tau',
  tau: 2,
  seed,
  aie: 0.6,
  test_acc: 0.7,
  best_val_acc: 0.95,
  feat_l2_dist: 1,
  feat_cos_dist: 0.1,
  feat_dot: 9,
  feat_norm: 3,
  pending: false,
}));
const base = { suite: { name: 's', version: 2, description: null }, versions: [1, 2], points, totals: { results: 18 } };

describe('leaderboard view', () => {
  it('ranks all cells, draws the focused one, and picks hp-tau at tau* chosen on validation', () => {
    const view = buildLeaderboardView({ ...base, variants, filters: parseFilters({}) });
    expect(view.cells.map((c) => c.dataset)).toEqual(['a', 'b']);
    expect(view.focus).toEqual({ backbone: 'mlp', dataset: 'a' });
    const a = view.cells[0]!;
    expect(a.rows.map((r) => r.strategy)).toEqual(['ft', 'lp', 'hp-tau']);
    expect(a.rows.find((r) => r.strategy === 'hp-tau')!.tau).toBe(2);
    expect(view.chart!.chosen_tau).toBe(2);
    expect(view.chart!.sweep.map((p) => p.tau)).toEqual([2, 8]);
    expect(view.chart!.points).toHaveLength(3);
    expect(view.references.map((r) => [r.dataset, r.strategy, r.id])).toEqual([
      ['a', 'ft', 'ft-a-0'],
      ['b', 'lp', 'lp-b-0'],
    ]);
    expect(view.references[0]!.aie).toEqual({ mean: 0.5, min: 0.45, max: 0.55 });
    expect(view.totals.seeds_ranked).toBe(15);
  });

  it('a strategy filter hides rows without changing the ranks of the others', () => {
    const view = buildLeaderboardView({ ...base, variants, filters: parseFilters({ strategy: ['lp,hp-tau'] }) });
    expect(view.cells[0]!.rows.map((r) => [r.strategy, r.rank])).toEqual([
      ['lp', 2],
      ['hp-tau', 3],
    ]);
    expect(view.chart!.strategies.map((s) => s.id)).toEqual(['lp', 'hp-tau']);
    expect(view.options.strategies).toEqual(['lp', 'ft', 'hp-tau']);
  });

  it('a dataset filter selects the cell and the chart focus', () => {
    const view = buildLeaderboardView({ ...base, variants, filters: parseFilters({ dataset: 'b' }) });
    expect(view.cells.map((c) => c.dataset)).toEqual(['b']);
    expect(view.focus).toEqual({ backbone: 'mlp', dataset: 'b' });
    expect(view.chart!.sweep).toEqual([]);
    expect(view.chart!.chosen_tau).toBeNull();
  });

  it('exports the rows of the view as CSV with a header and quoting', () => {
    const view = buildLeaderboardView({ ...base, variants, filters: parseFilters({ dataset: 'a' }) });
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
    const f = parseFilters(new URLSearchParams('backbone=mlp&dataset=all&strategy=lp&strategy=ft,hp-tau&pending=1'));
    expect(f).toEqual({ backbone: 'mlp', dataset: null, strategies: ['lp', 'ft', 'hp-tau'], pending: true });
    expect(filtersToQuery(f)).toBe('backbone=mlp&strategy=lp&strategy=ft&strategy=hp-tau&pending=1');
    expect(parseFilters({ pending: '0', strategy: '' })).toEqual({ backbone: null, dataset: null, strategies: null, pending: false });
  });
  it('parses suite slugs with and without a version and rejects junk', () => {
    expect(parseSuiteSlug('digits-mlp@1')).toEqual({ name: 'digits-mlp', version: 1 });
    expect(parseSuiteSlug('digits-mlp%402')).toEqual({ name: 'digits-mlp', version: 2 });
    expect(parseSuiteSlug('digits-mlp')).toEqual({ name: 'digits-mlp', version: null });
    expect(parseSuiteSlug('Bad Name')).toBeNull();
    expect(parseSuiteSlug('x@0')).toBeNull();
  });
});
