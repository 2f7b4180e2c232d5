/**
 * Issue "Suites v3": the claims of /suites/digits-transfer@3 are computed once on the whole
 * published sweep. Built from the committed reference run (seed/envelopes/digits-transfer@3.jsonl.gz)
 * the way the suite page builds its view, the claims are identical with and without any
 * `?strategy=` filter, while the ranked rows do follow the filter.
 */
import { describe, expect, it } from 'vitest';
import { buildLeaderboardView, parseFilters } from '../../../../app/_lib/leaderboard-view';
import { observationOf, type SuiteObservation } from '../../../../contract';
import { seedBundles } from '../../../fixtures/seed-bundles';

const observations: SuiteObservation[] = (seedBundles().get('digits-transfer@3') ?? []).flatMap((b, i) => {
  const o = observationOf(b);
  return o ? [{ ...o, id: `r${i}`, suite_name: 'digits-transfer', suite_version: 3, pending: false }] : [];
});
const base = { suite: { name: 'digits-transfer', version: 3, description: null }, versions: [1, 2, 3], totals: { results: observations.length, reproductions: 0 } };

describe('digits-transfer@3: the claims panel does not follow the strategy filter', () => {
  const all = buildLeaderboardView({ ...base, observations, filters: parseFilters({}) });

  it('has the whole reference run and its pre-registered claims', () => {
    expect(observations).toHaveLength(275);
    expect(all.claims.map((c) => [c.id, c.verdict])).toContainEqual(['interior-tau-wins', 'not significant']);
    expect(all.claims.length).toBeGreaterThanOrEqual(7);
  });

  for (const strategy of [['lp', 'ft', 'hp-tau'], ['hp-tau'], ['ft', 'lp-ft'], ['hp-temp', 'hp-ls'], ['lp-ft']])
    it(`?strategy=${strategy.join('&strategy=')}`, () => {
      const filtered = buildLeaderboardView({ ...base, observations, filters: parseFilters({ strategy }) });
      expect(filtered.cells[0]!.rows.map((r) => r.strategy).sort()).toEqual([...strategy].sort());
      expect(filtered.claims).toEqual(all.claims);
    });
});
