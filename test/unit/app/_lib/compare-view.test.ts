import { describe, expect, it } from 'vitest';
import { compareStrategies } from '../../../../app/_lib/compare-view';
import { buildLeaderboardView, parseFilters } from '../../../../app/_lib/leaderboard-view';
import type { SuiteObservation } from '../../../../contract';
import { suiteObservations } from '../../../fixtures/observations';

/** One variant over `accs.length` seeds (seed i has accuracy accs[i]). */
const obs = (strategy: string, tau: number, accs: number[]): SuiteObservation[] => suiteObservations(strategy, accs, { tau, aie: strategy === 'ft' ? 0.9 : 0.1 });

const seeds = 12;
const view = (o: SuiteObservation[]) =>
  buildLeaderboardView({ suite: { name: 's', version: 1, description: null }, versions: [1], filters: parseFilters({}), observations: o, totals: { results: o.length, reproductions: 0 } });

describe('compare view', () => {
  it('pairs by seed, takes the verdict from the max-T decision and restricts the plots to the two variants', () => {
    const lp = Array.from({ length: seeds }, (_, i) => 0.8 + 0.001 * (i % 3));
    const ft = lp.map((x, i) => x + 0.05 + 0.002 * (i % 2)); // ft better on every seed
    const lpft = lp.map((x, i) => x + 0.0005 * ((i % 2) * 2 - 1)); // lp-ft ~ lp
    const v = view([...obs('lp', 64, lp), ...obs('ft', 0, ft), ...obs('lp-ft', 64, lpft)]);
    const cell = v.cells[0]!;
    const c = compareStrategies(cell, v.chart, 'ft', 'lp');
    expect(c.seeds).toHaveLength(seeds);
    expect(c.seeds[3]!.diff).toBeCloseTo(ft[3]! - lp[3]!, 12);
    expect(c.paired.wins).toBe(seeds);
    expect(c.verdict.kind).toBe('a-better');
    // the same pair the other way round
    expect(compareStrategies(cell, v.chart, 'lp', 'ft').verdict.kind).toBe('b-better');
    // lp vs lp-ft: no significant difference
    expect(compareStrategies(cell, v.chart, 'lp', 'lp-ft').verdict.kind).toBe('no-difference');
    expect(new Set(c.chart!.points.map((p) => p.strategy))).toEqual(new Set(['ft', 'lp']));
    expect(c.chart!.points).toHaveLength(2 * seeds);
    expect(() => compareStrategies(cell, v.chart, 'ft', 'hp-zero')).toThrow(/hp-zero is not ranked/);
  });
});
