/**
 * Leaderboard ranking: pure functions from per-variant seed statistics to ranked cells.
 *
 * Vocabulary
 * - cell: one (backbone, dataset) pair of a suite version.
 * - variant: one protocol fingerprint inside a cell (a strategy at one tau / eta / temperature).
 *   Seeds of the same fingerprint are pooled; different fingerprints never are.
 * - A strategy with several variants in a cell (hp-tau: one per tau) is represented by the
 *   variant with the best mean VALIDATION accuracy (best_val_acc), never test accuracy: choosing
 *   tau* on test would leak the test set into the ranking.
 *
 * Ranking of a cell: by mean summary test_acc (test accuracy at the best-validation epoch) with a
 * 95% Student-t interval over seeds (contract/stats). Tie groups: the leader and every strategy
 * whose interval overlaps the leader's share rank 1; the rest are ranked the same way again, and a
 * group's rank is 1 + the number of strategies in earlier groups (competition ranking).
 *
 * Overall rank across cells: mean win rate. In every cell, each pair of strategies present is one
 * comparison; the better rank wins (1), equal ranks (a statistical tie) count half. A strategy's win
 * rate is its points over its comparisons, so missing cells neither help nor hurt.
 */
import { STRATEGIES, tQuantile975, type StrategyId } from '../../contract';

import type { VariantStats } from '../../db/queries/leaderboard';

export type { VariantStats };

export interface Interval {
  n: number;
  mean: number;
  std: number;
  half_width: number;
  lo: number;
  hi: number;
}

/** 95% t-interval from aggregated (n, mean, sample std); matches contract meanCI95 on raw data. */
export function intervalFromStats(n: number, mean: number, std: number | null): Interval {
  const s = n >= 2 && std !== null && Number.isFinite(std) ? std : 0;
  const half = n >= 2 ? (tQuantile975(n - 1) * s) / Math.sqrt(n) : 0;
  return { n, mean, std: s, half_width: half, lo: mean - half, hi: mean + half };
}

export interface RankedStrategy extends Interval {
  strategy: string;
  title: string;
  /** false for strategies HeadPrep adds beyond the paper (the site labels them). */
  in_paper: boolean;
  /** The variant that represents the strategy in this cell. */
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
  /** How many variants (fingerprints) the strategy has in this cell; > 1 means one was chosen on validation. */
  variants: number;
  best_val_acc_mean: number;
  aie_mean: number;
  aie_min: number;
  aie_max: number;
  feat_l2_dist_mean: number;
  feat_cos_dist_mean: number;
  feat_dot_mean: number;
  feat_norm_mean: number;
  n_pending: number;
  rank: number;
  /** 1-based tie group index (1 = the leader's group). */
  group: number;
}

export interface CellRanking {
  backbone: string;
  dataset: string;
  rows: RankedStrategy[];
  /** Every variant of the cell (the tau sweep among them), sorted by strategy then tau. */
  variants: VariantStats[];
}

export interface OverallRow {
  strategy: string;
  title: string;
  in_paper: boolean;
  /** points / comparisons, in [0, 1]; null when the strategy never met another one. */
  win_rate: number | null;
  points: number;
  comparisons: number;
  cells: number;
  /** Mean within-cell rank, for reference. */
  mean_rank: number;
  rank: number;
}

export function strategyInfo(id: string): { title: string; in_paper: boolean } {
  const info = (STRATEGIES as Record<string, { title: string; in_paper: boolean } | undefined>)[id];
  return info ? { title: info.title, in_paper: info.in_paper } : { title: id, in_paper: false };
}

/** Picks the variant with the best mean validation accuracy; ties: more seeds, then smaller tau, then fingerprint. */
export function chooseVariant<T extends Pick<VariantStats, 'best_val_acc_mean' | 'n' | 'tau' | 'fingerprint'>>(variants: readonly T[]): T {
  if (variants.length === 0) throw new Error('chooseVariant: no variants');
  return [...variants].sort(
    (a, b) =>
      b.best_val_acc_mean - a.best_val_acc_mean || b.n - a.n || a.tau - b.tau || a.fingerprint.localeCompare(b.fingerprint),
  )[0]!;
}

/**
 * Tie groups by interval overlap with each group's leader. Input in any order; returns, per input
 * index, { rank, group }. Items are processed by mean descending (ties: larger n first, then index).
 */
export function tieGroups(items: readonly Pick<Interval, 'mean' | 'lo' | 'hi' | 'n'>[]): { rank: number; group: number }[] {
  const order = items.map((_, i) => i).sort((a, b) => items[b]!.mean - items[a]!.mean || items[b]!.n - items[a]!.n || a - b);
  const out = new Array<{ rank: number; group: number }>(items.length);
  let assigned = 0;
  let group = 0;
  const left = new Set(order);
  for (const leaderIdx of order) {
    if (!left.has(leaderIdx)) continue;
    const leader = items[leaderIdx]!;
    group += 1;
    const rank = assigned + 1;
    for (const i of order) {
      if (!left.has(i)) continue;
      const it = items[i]!;
      if (i === leaderIdx || (it.lo <= leader.hi && it.hi >= leader.lo)) {
        out[i] = { rank, group };
        left.delete(i);
        assigned += 1;
      }
    }
  }
  return out;
}

const cellKey = (v: { backbone: string; dataset: string }) => `${v.backbone}\u0000${v.dataset}`;

/** Ranks every cell present in `variants`. Cells sorted by backbone then dataset. */
export function rankCells(variants: readonly VariantStats[]): CellRanking[] {
  const cells = new Map<string, VariantStats[]>();
  for (const v of variants) {
    if (!(v.n >= 1) || !Number.isFinite(v.test_acc_mean)) continue;
    const k = cellKey(v);
    let list = cells.get(k);
    if (!list) cells.set(k, (list = []));
    list.push(v);
  }
  const out: CellRanking[] = [];
  for (const list of cells.values()) {
    const byStrategy = new Map<string, VariantStats[]>();
    for (const v of list) {
      let l = byStrategy.get(v.strategy);
      if (!l) byStrategy.set(v.strategy, (l = []));
      l.push(v);
    }
    const chosen = [...byStrategy.values()].map((vs) => ({ v: chooseVariant(vs), count: vs.length }));
    const intervals = chosen.map(({ v }) => intervalFromStats(v.n, v.test_acc_mean, v.test_acc_std));
    const ranks = tieGroups(intervals);
    const rows: RankedStrategy[] = chosen.map(({ v, count }, i) => ({
      ...intervals[i]!,
      strategy: v.strategy,
      ...strategyInfo(v.strategy),
      fingerprint: v.fingerprint,
      tau: v.tau,
      eta: v.eta,
      temperature: v.temperature,
      variants: count,
      best_val_acc_mean: v.best_val_acc_mean,
      aie_mean: v.aie_mean,
      aie_min: v.aie_min,
      aie_max: v.aie_max,
      feat_l2_dist_mean: v.feat_l2_dist_mean,
      feat_cos_dist_mean: v.feat_cos_dist_mean,
      feat_dot_mean: v.feat_dot_mean,
      feat_norm_mean: v.feat_norm_mean,
      n_pending: v.n_pending,
      rank: ranks[i]!.rank,
      group: ranks[i]!.group,
    }));
    rows.sort((a, b) => a.rank - b.rank || b.mean - a.mean || a.strategy.localeCompare(b.strategy));
    const sortedVariants = [...list].sort((a, b) => a.strategy.localeCompare(b.strategy) || a.tau - b.tau || a.fingerprint.localeCompare(b.fingerprint));
    out.push({ backbone: list[0]!.backbone, dataset: list[0]!.dataset, rows, variants: sortedVariants });
  }
  return out.sort((a, b) => a.backbone.localeCompare(b.backbone) || a.dataset.localeCompare(b.dataset));
}

/** Mean win rate across cells (see the header comment). Sorted by win rate, then mean rank. */
export function overallRanking(cells: readonly CellRanking[]): OverallRow[] {
  const acc = new Map<string, { points: number; comparisons: number; cells: number; rankSum: number }>();
  for (const cell of cells) {
    for (const a of cell.rows) {
      let s = acc.get(a.strategy);
      if (!s) acc.set(a.strategy, (s = { points: 0, comparisons: 0, cells: 0, rankSum: 0 }));
      s.cells += 1;
      s.rankSum += a.rank;
      for (const b of cell.rows) {
        if (b === a) continue;
        s.comparisons += 1;
        s.points += a.rank < b.rank ? 1 : a.rank === b.rank ? 0.5 : 0;
      }
    }
  }
  const rows = [...acc.entries()].map(([strategy, s]) => ({
    strategy,
    ...strategyInfo(strategy),
    win_rate: s.comparisons > 0 ? s.points / s.comparisons : null,
    points: s.points,
    comparisons: s.comparisons,
    cells: s.cells,
    mean_rank: s.rankSum / s.cells,
    rank: 0,
  }));
  const wr = (r: OverallRow) => r.win_rate ?? -1;
  rows.sort((a, b) => wr(b) - wr(a) || a.mean_rank - b.mean_rank || a.strategy.localeCompare(b.strategy));
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    r.rank = prev && wr(prev) === wr(r) && prev.mean_rank === r.mean_rank ? prev.rank : i + 1;
  });
  return rows;
}

/** Stable colors per strategy (the same on every chart and page); readable on light and dark. */
export const STRATEGY_COLORS: Record<StrategyId, string> = {
  lp: '#7c5cff',
  ft: '#e0493c',
  'lp-ft': '#1f9d55',
  'hp-tau': '#2f7ee6',
  'hp-ls': '#d98b00',
  'hp-mlp': '#c2418f',
  'hp-zero': '#12a3a3',
  'hp-temp': '#8a8f98',
};

export function strategyColor(id: string): string {
  return (STRATEGY_COLORS as Record<string, string | undefined>)[id] ?? '#8a8f98';
}
