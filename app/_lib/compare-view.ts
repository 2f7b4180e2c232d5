/**
 * Two strategies of one ranked cell side by side (/compare): their per-seed test accuracies and
 * differences, the unadjusted paired t-test for reference, and the verdict of the cell's own
 * max-T decision (contract/ranking/cells.ts: `below` lists the strategies declared better than a
 * row). Nothing is re-tested here: the verdict is the leaderboard's. Pure.
 */
import { pairedDiff, type CellRanking, type PairedDiff, type RankedStrategy } from '../../contract';
import type { EnergyChartData } from './dto';

export interface CompareVerdict {
  kind: 'a-better' | 'b-better' | 'no-difference';
  text: string;
}

export interface CompareView {
  rowA: RankedStrategy;
  rowB: RankedStrategy;
  /** Seeds both ran, ascending: test accuracies and a - b. */
  seeds: { seed: number; a: number; b: number; diff: number }[];
  maxAbsDiff: number;
  paired: PairedDiff;
  verdict: CompareVerdict;
  /** The focus chart restricted to the two strategies' ranked variants (null when the chart is of another cell). */
  chart: EnergyChartData | null;
}

export function compareStrategies(cell: CellRanking, chart: EnergyChartData | null, a: string, b: string): CompareView {
  const rowA = cell.rows.find((r) => r.strategy === a);
  const rowB = cell.rows.find((r) => r.strategy === b);
  if (!rowA || !rowB) throw new Error(`compareStrategies: strategy ${!rowA ? a : b} is not ranked in ${cell.backbone} x ${cell.dataset}`);
  const accA = new Map(Object.entries(cell.by_seed[a] ?? {}).map(([s, v]) => [Number(s), v]));
  const accB = new Map(Object.entries(cell.by_seed[b] ?? {}).map(([s, v]) => [Number(s), v]));
  const seeds = [...accA.keys()]
    .filter((s) => accB.has(s))
    .sort((x, y) => x - y)
    .map((seed) => ({ seed, a: accA.get(seed)!, b: accB.get(seed)!, diff: accA.get(seed)! - accB.get(seed)! }));
  const paired = pairedDiff(accA, accB);
  let verdict: CompareVerdict;
  if (rowB.below.includes(a)) verdict = { kind: 'a-better', text: `${a} is significantly better than ${b} (max-T adjusted, α = 0.05).` };
  else if (rowA.below.includes(b)) verdict = { kind: 'b-better', text: `${b} is significantly better than ${a} (max-T adjusted, α = 0.05).` };
  else
    verdict = {
      kind: 'no-difference',
      text:
        seeds.length < 2
          ? `Not enough common seeds (${seeds.length}) to tell ${a} and ${b} apart.`
          : `No significant difference between ${a} and ${b} (max-T adjusted p ≥ 0.05 over ${seeds.length} common seeds).`,
    };
  const inCell = chart !== null && chart.strategies.some((s) => s.id === a || s.id === b);
  const chosen = (p: { strategy: string; tau: number }) => (p.strategy === a && p.tau === rowA.tau) || (p.strategy === b && p.tau === rowB.tau);
  return {
    rowA,
    rowB,
    seeds,
    maxAbsDiff: Math.max(1e-12, ...seeds.map((s) => Math.abs(s.diff))),
    paired,
    verdict,
    chart:
      chart && inCell
        ? {
            strategies: chart.strategies.filter((s) => s.id === a || s.id === b),
            points: chart.points.filter(chosen),
            sweep: [],
            chosen_tau: null,
            seeds_total: rowA.n + rowB.n,
          }
        : null,
  };
}
