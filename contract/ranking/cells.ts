/**
 * The ranking of one cell (backbone x dataset), as both `headprep report` and the site compute it.
 *
 * Each strategy is represented by one variant (hp-tau by tau*, chosen on validation; any strategy
 * with several variants by the best mean validation accuracy). Rows are ordered by mean test
 * accuracy and numbered 1, 2, 3, ... (equal means share a number): the rank follows the means.
 * The leader is rank 1. Which differences are real is decided by a within-seed permutation max-T
 * test over every pair of strategies (./max-t.ts): a strategy is "worse than the leader" when the
 * pair's adjusted p < 0.05, and otherwise "ties the leader" (a marker, not a rank). Under the null
 * that all strategies are equal, the probability that ANY strategy is declared worse than the
 * leader is <= 5%, the data-driven choice of the leader included. The simultaneous intervals come
 * from the same permutation distribution; the unadjusted Student-t interval and p stay in
 * `vs_leader` for reference, labelled so.
 */
import { strategyInfo, strategyOrder } from '../catalog';
import { meanCI95, type MeanCI } from '../stats';
import { maxTTest, PERMUTATIONS } from './max-t';
import {
  ALPHA,
  byFingerprint,
  chooseVariant,
  hpTauCandidates,
  oneObservationPerSeed,
  pairedDiff,
  summarizeVariant,
  type PairedDiff,
  type SeedObservation,
  type VariantMetrics,
  type VariantSummary,
} from './observations';

/** The paired difference to the leader with the max-T decision. */
export interface LeaderComparison extends PairedDiff {
  /** Max-T adjusted p (the family: every pair of strategies in the cell; null when untestable). */
  p_adj: number | null;
  /** Simultaneous 95% interval, mean +- critical_t * sd / sqrt(n) (null when untestable). */
  lo_adj: number | null;
  hi_adj: number | null;
}

export interface RankedStrategy extends MeanCI, VariantMetrics {
  strategy: string;
  title: string;
  /** false for strategies HeadPrep adds beyond the paper (the site labels them). */
  in_paper: boolean;
  /** The variant that represents the strategy in this cell. */
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
  /** Candidate variants the strategy had in this cell (> 1: the variant was chosen on validation). */
  variants: number;
  /** Paired difference to the cell's leader (null for the leader itself). */
  vs_leader: LeaderComparison | null;
  /** Position by mean test accuracy: 1, 2, 3, ... (equal means share it). */
  rank: number;
  /** The leader, or not significantly worse than it (max-T adjusted p >= 0.05). */
  ties_leader: boolean;
  /** Strategies declared better than this one by the max-T test (any pair, not only the leader). */
  below: string[];
}

/** How the cell's decisions were made (for the report, the JSON and the page's caption). */
export interface CellTest {
  method: 'within-seed permutation max-T';
  alpha: number;
  permutations: number;
  /** PRNG seed string (the cell's fingerprints and seeds). */
  seed: string;
  /** |t| above which a pair is declared different (null when no pair is testable). */
  critical_t: number | null;
  /** The smallest adjusted p these seeds and strategies can give (>= alpha: nothing can be declared). */
  min_p: number;
  /** Seeds with every strategy present. */
  complete_seeds: number;
}

export interface CellRanking {
  backbone: string;
  dataset: string;
  rows: RankedStrategy[];
  /** Every variant of the cell (the tau sweep among them), sorted by strategy then tau. */
  variants: VariantSummary[];
  /** Per strategy (its chosen variant): test accuracy by seed, for paired comparisons. */
  by_seed: Record<string, Record<number, number>>;
  test: CellTest;
}

interface Candidate {
  summary: VariantSummary;
  count: number;
  acc: Map<number, number>;
}

const cellKeyOf = (v: { backbone: string; dataset: string }) => `${v.backbone}\u0000${v.dataset}`;

/** The strategies of a cell and the variant each is represented by. */
function candidates(obs: readonly SeedObservation[]): { variants: VariantSummary[]; cands: Candidate[] } {
  const byFp = byFingerprint(obs);
  const variants = [...byFp.values()].map(summarizeVariant);
  const byStrategy = new Map<string, VariantSummary[]>();
  const hpTau = new Set(hpTauCandidates(variants));
  for (const v of variants) {
    if (v.strategy === 'hp-tau' && !hpTau.has(v)) continue;
    let l = byStrategy.get(v.strategy);
    if (!l) byStrategy.set(v.strategy, (l = []));
    l.push(v);
  }
  const cands = [...byStrategy.values()].map((vs) => {
    const s = chooseVariant(vs);
    return { summary: s, count: vs.length, acc: new Map(byFp.get(s.fingerprint)!.map((o) => [o.seed, o.test_acc])) };
  });
  return { variants, cands };
}

/** Ranks one cell's observations (already one per fingerprint and seed). */
export function rankCell(obs: readonly SeedObservation[], permutations = PERMUTATIONS): CellRanking {
  const { variants, cands } = candidates(obs);
  // Order by mean (the rank); ties: more seeds, then catalog order.
  const stats = cands.map((c) => meanCI95([...c.acc.values()]));
  const order = cands
    .map((_, i) => i)
    .sort((a, b) => stats[b]!.mean - stats[a]!.mean || cands[b]!.summary.n - cands[a]!.summary.n || strategyOrder(cands[a]!.summary.strategy, cands[b]!.summary.strategy));
  const sorted = order.map((i) => cands[i]!);
  const sortedStats = order.map((i) => stats[i]!);
  const k = sorted.length;
  // 1, 2, 3, ... by mean; exactly equal means share the number of the first
  const ranks: number[] = [];
  sortedStats.forEach((st, i) => ranks.push(i > 0 && st.mean === sortedStats[i - 1]!.mean ? ranks[i - 1]! : i + 1));
  const seeds = [...new Set(sorted.flatMap((c) => [...c.acc.keys()]))].sort((a, b) => a - b);
  const matrix = seeds.map((s) => sorted.map((c) => c.acc.get(s)));
  const seedString = `max-T|${[...sorted.map((c) => c.summary.fingerprint)].sort().join(',')}|${seeds.join(',')}`;
  const test = maxTTest(matrix, k, seedString, ALPHA, permutations);
  const declared = (a: number, b: number) => {
    const p = test.p_adj[a]![b]!;
    return !Number.isNaN(p) && p < ALPHA;
  };
  const rows: RankedStrategy[] = sorted.map((c, i) => {
    const v = c.summary;
    let vs: LeaderComparison | null = null;
    if (i > 0) {
      const d = pairedDiff(c.acc, sorted[0]!.acc);
      const p = test.p_adj[i]![0]!;
      const half = d.n >= 2 && test.critical_t !== null ? (test.critical_t * d.std) / Math.sqrt(d.n) : null;
      vs = {
        ...d,
        p_adj: Number.isNaN(p) ? null : p,
        lo_adj: half === null ? null : d.mean - half,
        hi_adj: half === null ? null : d.mean + half,
      };
    }
    return {
      strategy: v.strategy,
      ...strategyInfo(v.strategy),
      fingerprint: v.fingerprint,
      tau: v.tau,
      eta: v.eta,
      temperature: v.temperature,
      variants: c.count,
      ...sortedStats[i]!,
      best_val_acc_mean: v.best_val_acc_mean,
      aie_mean: v.aie_mean,
      aie_min: v.aie_min,
      aie_max: v.aie_max,
      feat_l2_dist_mean: v.feat_l2_dist_mean,
      feat_cos_dist_mean: v.feat_cos_dist_mean,
      feat_dot_mean: v.feat_dot_mean,
      feat_norm_mean: v.feat_norm_mean,
      ood_test_acc_mean: v.ood_test_acc_mean,
      lp_test_acc_mean: v.lp_test_acc_mean,
      n_pending: v.n_pending,
      n_reproduced: v.n_reproduced,
      n_disputed: v.n_disputed,
      vs_leader: vs,
      rank: ranks[i]!,
      ties_leader: i === 0 || !(declared(i, 0) && vs !== null && vs.mean < 0),
      below: sorted.flatMap((o, j) => (j !== i && declared(i, j) && test.t[i]![j]! < 0 ? [o.summary.strategy] : [])),
    };
  });
  const bySeed: Record<string, Record<number, number>> = {};
  for (const c of cands) bySeed[c.summary.strategy] = Object.fromEntries(c.acc);
  variants.sort((a, b) => strategyOrder(a.strategy, b.strategy) || a.tau - b.tau || a.fingerprint.localeCompare(b.fingerprint));
  const o = obs[0]!;
  return {
    backbone: o.backbone,
    dataset: o.dataset,
    rows,
    variants,
    by_seed: bySeed,
    test: {
      method: 'within-seed permutation max-T',
      alpha: ALPHA,
      permutations: test.permutations,
      seed: test.seed,
      critical_t: test.critical_t,
      min_p: test.min_p,
      complete_seeds: matrix.filter((r) => r.every((x) => x !== undefined)).length,
    },
  };
}

/** Splits observations into cells (one observation per fingerprint and seed, finite test accuracy). */
export function cellsOf(observations: readonly SeedObservation[]): SeedObservation[][] {
  const { kept } = oneObservationPerSeed(observations.filter((o) => Number.isFinite(o.test_acc)));
  const cells = new Map<string, SeedObservation[]>();
  // by seed (a stable sort): every sum runs in the same order whatever order the rows came in
  for (const o of [...kept].sort((a, b) => a.seed - b.seed)) {
    const k = cellKeyOf(o);
    let l = cells.get(k);
    if (!l) cells.set(k, (l = []));
    l.push(o);
  }
  return [...cells.values()];
}

/** Ranks every cell present in `observations` (one per fingerprint and seed). Cells sorted by backbone, dataset. */
export function rankCells(observations: readonly SeedObservation[], permutations = PERMUTATIONS): CellRanking[] {
  return cellsOf(observations)
    .map((obs) => rankCell(obs, permutations))
    .sort((a, b) => a.backbone.localeCompare(b.backbone) || a.dataset.localeCompare(b.dataset));
}
