/**
 * The overall ranking of a suite version across its cells: the Friedman test over blocks, each
 * block one (cell, seed) with an observation of every strategy, strategies ranked within a block by
 * test accuracy (rank 1 = best; ties averaged); the Iman-Davenport F p-value; the Nemenyi critical
 * difference CD = q_0.05 sqrt(k(k+1)/(6N)) (Demsar 2006) and its critical-difference diagram.
 */
import { averageRanks, fCdf, mean, studentizedRangeQuantile } from '../stats';
import type { CellRanking } from './cells';
import { strategyInfo, strategyOrder } from '../catalog';
import { ALPHA } from './observations';

export interface OverallRow {
  strategy: string;
  title: string;
  in_paper: boolean;
  /** Average rank over the blocks (1 = best). */
  mean_rank: number;
  rank: number;
}

export interface OverallRanking {
  /** Strategies in the test (those with an observation in every block), best average rank first. */
  rows: OverallRow[];
  /** Blocks: (cell, seed) with an observation of every strategy. */
  blocks: number;
  cells: number;
  k: number;
  /** Friedman chi-square, Iman-Davenport F and its p-value (null when k < 2 or fewer than 2 blocks). */
  chi2: number | null;
  f: number | null;
  p: number | null;
  /** Nemenyi critical difference of average ranks at alpha 0.05 (null when untestable). */
  cd: number | null;
  /** Groups of strategies (by id) whose average ranks differ by less than CD: the diagram's bars. */
  cliques: string[][];
  /** Strategies left out because some block lacks them. */
  excluded: string[];
}

/** Friedman test and Nemenyi critical difference over (cell, seed) blocks (see the header). */
export function overallRanking(cells: readonly CellRanking[]): OverallRanking {
  const all = [...new Set(cells.flatMap((c) => c.rows.map((r) => r.strategy)))].sort(strategyOrder);
  // Keep the strategies present in every cell; a block then needs every one of them on its seed.
  const strategies = all.filter((s) => cells.every((c) => c.by_seed[s] !== undefined));
  const excluded = all.filter((s) => !strategies.includes(s));
  const blocks: number[][] = [];
  let usedCells = 0;
  for (const c of cells) {
    const seeds = strategies.length
      ? Object.keys(c.by_seed[strategies[0]!]!)
          .map(Number)
          .filter((seed) => strategies.every((s) => c.by_seed[s]![seed] !== undefined))
          .sort((a, b) => a - b)
      : [];
    if (seeds.length) usedCells += 1;
    for (const seed of seeds) {
      // Rank 1 = highest accuracy: rank the negated accuracies.
      blocks.push(averageRanks(strategies.map((s) => -c.by_seed[s]![seed]!)));
    }
  }
  const k = strategies.length;
  const n = blocks.length;
  const meanRanks = strategies.map((_, j) => (n ? mean(blocks.map((b) => b[j]!)) : NaN));
  const rows: OverallRow[] = strategies
    .map((s, j) => ({ strategy: s, ...strategyInfo(s), mean_rank: meanRanks[j]!, rank: 0 }))
    .sort((a, b) => a.mean_rank - b.mean_rank || strategyOrder(a.strategy, b.strategy));
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    r.rank = prev && prev.mean_rank === r.mean_rank ? prev.rank : i + 1;
  });
  let chi2: number | null = null;
  let f: number | null = null;
  let p: number | null = null;
  let cd: number | null = null;
  let cliques: string[][] = [];
  if (k >= 2 && n >= 2) {
    chi2 = ((12 * n) / (k * (k + 1))) * meanRanks.reduce((s, r) => s + (r - (k + 1) / 2) ** 2, 0);
    const denom = n * (k - 1) - chi2;
    f = denom > 0 ? ((n - 1) * chi2) / denom : Infinity;
    p = f === Infinity ? 0 : 1 - fCdf(f, k - 1, (k - 1) * (n - 1));
    cd = (studentizedRangeQuantile(ALPHA, k) / Math.SQRT2) * Math.sqrt((k * (k + 1)) / (6 * n));
    cliques = nemenyiCliques(rows, cd);
  }
  return { rows, blocks: n, cells: usedCells, k, chi2, f, p, cd, cliques, excluded };
}

/** Maximal runs of strategies (sorted by average rank) spanning less than `cd`; runs of one are dropped. */
export function nemenyiCliques(rows: readonly Pick<OverallRow, 'strategy' | 'mean_rank'>[], cd: number): string[][] {
  const sorted = [...rows].sort((a, b) => a.mean_rank - b.mean_rank);
  const out: string[][] = [];
  let lastEnd = -1;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]!.mean_rank - sorted[i]!.mean_rank < cd) j++;
    if (j > i && j > lastEnd) {
      out.push(sorted.slice(i, j + 1).map((r) => r.strategy));
      lastEnd = j;
    }
  }
  return out;
}

/** The critical-difference diagram as text lines (average rank axis, strategies, Nemenyi bars). */
export function cdDiagramText(o: OverallRanking, width = 60): string[] {
  if (!o.rows.length) return [];
  const k = Math.max(o.k, 2);
  const x = (r: number) => Math.round(((r - 1) / (k - 1)) * (width - 1));
  const lines: string[] = [];
  const axis = Array.from({ length: width }, (_, i) => (i === 0 || i === width - 1 ? '|' : '-')).join('');
  lines.push(`rank 1 ${axis} ${k}`);
  for (const r of o.rows) {
    const pos = x(r.mean_rank);
    lines.push(`       ${' '.repeat(pos)}* ${r.strategy} (${r.mean_rank.toFixed(2)})`);
  }
  if (o.cd !== null) {
    const cdLen = Math.max(1, Math.round((o.cd / (k - 1)) * (width - 1)));
    lines.push(`CD     ${'='.repeat(cdLen)} ${o.cd.toFixed(2)} (Nemenyi, alpha 0.05)`);
    for (const c of o.cliques) {
      const ranks = c.map((s) => o.rows.find((r) => r.strategy === s)!.mean_rank);
      const a = x(Math.min(...ranks));
      const b = x(Math.max(...ranks));
      lines.push(`       ${' '.repeat(a)}${'_'.repeat(Math.max(1, b - a + 1))} not different: ${c.join(', ')}`);
    }
  }
  return lines;
}
