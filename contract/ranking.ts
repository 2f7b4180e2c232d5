/**
 * The ranking of a suite version, as both `headprep report` and the site compute it (one module,
 * so the CLI and the leaderboard can never disagree). Pure functions from per-seed observations to
 * ranked cells, an overall Friedman/Nemenyi ranking and the paper's claims with verdicts.
 * The statistics are described in docs/science.md ("Statistics of a ranking").
 *
 * Vocabulary
 * - observation: one result of one (protocol fingerprint, seed). A second result for the same pair
 *   (another key's rerun) is a reproduction, not another seed: `oneObservationPerSeed` keeps the
 *   first and counts the rest.
 * - cell: one (backbone, dataset) pair of a suite version.
 * - variant: one fingerprint inside a cell (a strategy at one tau, eta, temperature, head).
 * - the tau sweep: ft (tau 0), hp-tau (interior taus) and lp-ft (the largest tau). ft and lp-ft ARE
 *   the sweep's ends: an hp-tau variant at the tau of an ft or lp-ft variant is the same
 *   computation and is left out of hp-tau's candidates (it never scores twice).
 * - hp-tau's tau* is chosen once per cell: the variant with the best mean VALIDATION accuracy over
 *   seeds (ties: more seeds, then the smaller tau). Test accuracy never picks tau.
 *
 * Cell ranking (paired by seed: every strategy of a seed shares the head init, split and order):
 * the leader is the strategy with the highest mean test accuracy. Every other strategy's
 * difference to the leader is the mean of its per-seed differences, with a 95% Student-t interval
 * (exact quantile) and a two-sided paired t-test; the p-values are Holm-adjusted across the
 * strategies of the cell. A strategy ties the leader unless its adjusted p < 0.05. The leader and
 * its ties form group 1 (rank 1); the same rule then repeats on the remaining strategies (rank =
 * 1 + the number of strategies in earlier groups).
 *
 * Overall: Friedman test over blocks, each block one (cell, seed) with an observation of every
 * strategy, strategies ranked within a block by test accuracy (rank 1 = best; ties averaged); the
 * Iman-Davenport F p-value; Nemenyi critical difference CD = q_0.05 sqrt(k(k+1)/(6N)) (Demsar 2006).
 */
import { averageRanks, fCdf, meanCI95, type MeanCI, holmAdjust, mean, normalQuantile, sampleStd, signTestP, spearman, studentizedRangeQuantile, tQuantile975, tTwoSidedP } from './stats';
import { STRATEGIES, STRATEGY_IDS } from './catalog';

export const ALPHA = 0.05;

/** One result of one (fingerprint, seed): what every statistic is computed from. */
export interface SeedObservation {
  backbone: string;
  dataset: string;
  strategy: string;
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
  seed: number;
  /** Test accuracy at the best-validation epoch (the headline number). */
  test_acc: number;
  best_val_acc: number;
  aie: number;
  feat_l2_dist: number;
  feat_cos_dist: number;
  feat_dot: number;
  feat_norm: number;
  /** Out-of-distribution test accuracy at the best-validation epoch, when the dataset has an OOD split. */
  ood_test_acc?: number | null;
  /** True when only a pending (unapproved) key submitted it. */
  pending?: boolean;
  /** True when an approved key other than the submitter reproduced it (trust tier "reproduced"). */
  reproduced?: boolean;
  /** True when an independent identity found it differs (trust tier "disputed": ranked, flagged). */
  disputed?: boolean;
  /** Result id, for links (optional). */
  id?: string;
}

/** An observation with the suite version it belongs to and its result id (what the site's reads return). */
export interface SuiteObservation extends SeedObservation {
  suite_name: string;
  suite_version: number;
  id: string;
  pending: boolean;
}

/** Keeps the first observation of each (fingerprint, seed); the rest are reproductions. */
export function oneObservationPerSeed<T extends Pick<SeedObservation, 'fingerprint' | 'seed'>>(obs: readonly T[]): { kept: T[]; reproductions: number } {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const o of obs) {
    const k = `${o.fingerprint}\u0000${o.seed}`;
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(o);
  }
  return { kept, reproductions: obs.length - kept.length };
}

/** Means over a variant's seeds (validation, energy, final-epoch feature change) and its seed counts. */
export interface VariantMetrics {
  best_val_acc_mean: number;
  aie_mean: number;
  aie_min: number;
  aie_max: number;
  feat_l2_dist_mean: number;
  feat_cos_dist_mean: number;
  feat_dot_mean: number;
  feat_norm_mean: number;
  /** Mean OOD test accuracy over the seeds that have one (null when none). */
  ood_test_acc_mean: number | null;
  n_pending: number;
  /** Seeds whose result an independent approved key reproduced. */
  n_reproduced: number;
  /** Seeds whose result an independent identity disputed (still ranked, flagged). */
  n_disputed: number;
}

/** Seed statistics of one variant. */
export interface VariantSummary extends VariantMetrics {
  backbone: string;
  dataset: string;
  strategy: string;
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
  n: number;
  seeds: number[];
  test_acc_mean: number;
  test_acc_std: number;
}

/** A paired comparison of two strategies over their common seeds (a - b). */
export interface PairedDiff {
  /** Seeds present in both. */
  n: number;
  mean: number;
  std: number;
  /** 95% Student-t interval of the mean difference (null when n < 2). */
  lo: number | null;
  hi: number | null;
  /** Two-sided paired t-test p-value (null when n < 2). */
  p: number | null;
  /** Seeds where a > b, a < b and a = b. */
  wins: number;
  losses: number;
  draws: number;
}

/** Paired difference of `a` minus `b`, matched by seed. */
export function pairedDiff(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): PairedDiff {
  const d: number[] = [];
  for (const [seed, x] of [...a].sort((p, q) => p[0] - q[0])) {
    const y = b.get(seed);
    if (y !== undefined) d.push(x - y);
  }
  const n = d.length;
  const m = n ? mean(d) : NaN;
  const sd = n >= 2 ? sampleStd(d) : NaN;
  let lo: number | null = null;
  let hi: number | null = null;
  let p: number | null = null;
  if (n >= 2) {
    const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
    lo = m - half;
    hi = m + half;
    // Every seed differs by the same amount: the t statistic is infinite (p = 0) unless it is 0.
    p = sd === 0 ? (m === 0 ? 1 : 0) : tTwoSidedP(m / (sd / Math.sqrt(n)), n - 1);
  }
  return {
    n,
    mean: m,
    std: sd,
    lo,
    hi,
    p,
    wins: d.filter((x) => x > 0).length,
    losses: d.filter((x) => x < 0).length,
    draws: d.filter((x) => x === 0).length,
  };
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
  /** Candidate variants the strategy had in this cell (> 1: tau* was chosen on validation). */
  variants: number;
  /** Paired difference to the cell's leader (null for the leader itself). */
  vs_leader: PairedDiff | null;
  /** Holm-adjusted p-value of vs_leader across the cell's strategies (null when untestable). */
  p_holm: number | null;
  rank: number;
  /** 1-based tie group (1 = the leader's group). */
  group: number;
}

export interface CellRanking {
  backbone: string;
  dataset: string;
  rows: RankedStrategy[];
  /** Every variant of the cell (the tau sweep among them), sorted by strategy then tau. */
  variants: VariantSummary[];
  /** Per strategy (its chosen variant): test accuracy by seed, for paired comparisons. */
  by_seed: Record<string, Record<number, number>>;
}

export function strategyInfo(id: string): { title: string; in_paper: boolean } {
  const info = (STRATEGIES as Record<string, { title: string; in_paper: boolean } | undefined>)[id];
  return info ? { title: info.title, in_paper: info.in_paper } : { title: id, in_paper: false };
}

/** Catalog order (lp, ft, lp-ft, hp-tau, ...), unknown ids last. */
export function strategyOrder(a: string, b: string): number {
  const ia = (STRATEGY_IDS as readonly string[]).indexOf(a);
  const ib = (STRATEGY_IDS as readonly string[]).indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}

function summarizeVariant(obs: SeedObservation[]): VariantSummary {
  const o = obs[0]!;
  const acc = obs.map((x) => x.test_acc);
  const aie = obs.map((x) => x.aie);
  const ood = obs.map((x) => x.ood_test_acc).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return {
    backbone: o.backbone,
    dataset: o.dataset,
    strategy: o.strategy,
    fingerprint: o.fingerprint,
    tau: o.tau,
    eta: o.eta,
    temperature: o.temperature,
    n: obs.length,
    seeds: obs.map((x) => x.seed).sort((a, b) => a - b),
    test_acc_mean: mean(acc),
    test_acc_std: obs.length >= 2 ? sampleStd(acc) : 0,
    best_val_acc_mean: mean(obs.map((x) => x.best_val_acc)),
    aie_mean: mean(aie),
    aie_min: Math.min(...aie),
    aie_max: Math.max(...aie),
    feat_l2_dist_mean: mean(obs.map((x) => x.feat_l2_dist)),
    feat_cos_dist_mean: mean(obs.map((x) => x.feat_cos_dist)),
    feat_dot_mean: mean(obs.map((x) => x.feat_dot)),
    feat_norm_mean: mean(obs.map((x) => x.feat_norm)),
    ood_test_acc_mean: ood.length ? mean(ood) : null,
    n_pending: obs.filter((x) => x.pending).length,
    n_reproduced: obs.filter((x) => x.reproduced).length,
    n_disputed: obs.filter((x) => x.disputed).length,
  };
}

/** Picks the variant with the best mean validation accuracy; ties: more seeds, smaller tau, fingerprint. */
export function chooseVariant<T extends Pick<VariantSummary, 'best_val_acc_mean' | 'n' | 'tau' | 'fingerprint'>>(variants: readonly T[]): T {
  if (variants.length === 0) throw new Error('chooseVariant: no variants');
  return [...variants].sort(
    (a, b) => b.best_val_acc_mean - a.best_val_acc_mean || b.n - a.n || a.tau - b.tau || a.fingerprint.localeCompare(b.fingerprint),
  )[0]!;
}

/** hp-tau candidates: its variants minus those at the tau of an ft or lp-ft variant (same computation). */
export function hpTauCandidates<T extends Pick<VariantSummary, 'strategy' | 'tau' | 'eta' | 'temperature'>>(variants: readonly T[]): T[] {
  const ends = new Set(variants.filter((v) => v.strategy === 'ft' || v.strategy === 'lp-ft').map((v) => v.tau));
  return variants.filter((v) => v.strategy === 'hp-tau' && !ends.has(v.tau));
}

/** The sweep's variants (ft, hp-tau, lp-ft), one per tau (ft / lp-ft win over hp-tau at the same tau), by tau. */
export function sweepVariants<T extends Pick<VariantSummary, 'strategy' | 'tau' | 'eta' | 'temperature'>>(variants: readonly T[]): T[] {
  const byTau = new Map<number, T>();
  for (const v of variants) if (v.strategy === 'ft' || v.strategy === 'lp-ft') byTau.set(v.tau, v);
  for (const v of hpTauCandidates(variants)) if (!byTau.has(v.tau)) byTau.set(v.tau, v);
  return [...byTau.values()].sort((a, b) => a.tau - b.tau);
}

interface Candidate {
  summary: VariantSummary;
  count: number;
  acc: Map<number, number>;
}

/**
 * Tie groups by paired tests against each group's leader with Holm's correction (see the header).
 * Returns rank/group per candidate plus the comparisons against the overall leader.
 */
function groupByPairedTests(cands: Candidate[]): { rank: number; group: number; vs: PairedDiff | null; pHolm: number | null }[] {
  const order = cands
    .map((_, i) => i)
    .sort((a, b) => cands[b]!.summary.test_acc_mean - cands[a]!.summary.test_acc_mean || cands[b]!.summary.n - cands[a]!.summary.n || strategyOrder(cands[a]!.summary.strategy, cands[b]!.summary.strategy));
  const out = cands.map(() => ({ rank: 0, group: 0, vs: null as PairedDiff | null, pHolm: null as number | null }));
  let left = [...order];
  let group = 0;
  let assigned = 0;
  while (left.length) {
    const leader = left[0]!;
    const others = left.slice(1);
    const diffs = others.map((i) => pairedDiff(cands[i]!.acc, cands[leader]!.acc));
    const adj = holmAdjust(diffs.map((d) => (d.p === null ? NaN : d.p)));
    group += 1;
    const rank = assigned + 1;
    const members = [leader, ...others.filter((_, j) => !(adj[j]! < ALPHA))];
    if (group === 1)
      others.forEach((i, j) => {
        out[i]!.vs = diffs[j]!;
        out[i]!.pHolm = Number.isNaN(adj[j]!) ? null : adj[j]!;
      });
    for (const i of members) {
      out[i]!.rank = rank;
      out[i]!.group = group;
    }
    assigned += members.length;
    left = left.filter((i) => !members.includes(i));
  }
  return out;
}

const cellKeyOf = (v: { backbone: string; dataset: string }) => `${v.backbone}\u0000${v.dataset}`;

/** Ranks every cell present in `observations` (one per fingerprint and seed). Cells sorted by backbone, dataset. */
export function rankCells(observations: readonly SeedObservation[]): CellRanking[] {
  const { kept } = oneObservationPerSeed(observations.filter((o) => Number.isFinite(o.test_acc)));
  const cells = new Map<string, SeedObservation[]>();
  for (const o of kept) {
    const k = cellKeyOf(o);
    let l = cells.get(k);
    if (!l) cells.set(k, (l = []));
    l.push(o);
  }
  const out: CellRanking[] = [];
  for (const obs of cells.values()) {
    const byFp = new Map<string, SeedObservation[]>();
    for (const o of obs) {
      let l = byFp.get(o.fingerprint);
      if (!l) byFp.set(o.fingerprint, (l = []));
      l.push(o);
    }
    const variants = [...byFp.values()].map(summarizeVariant);
    const accOf = (fp: string) => new Map(byFp.get(fp)!.map((o) => [o.seed, o.test_acc]));
    const byStrategy = new Map<string, VariantSummary[]>();
    const hpTau = new Set(hpTauCandidates(variants));
    for (const v of variants) {
      if (v.strategy === 'hp-tau' && !hpTau.has(v)) continue;
      let l = byStrategy.get(v.strategy);
      if (!l) byStrategy.set(v.strategy, (l = []));
      l.push(v);
    }
    const cands: Candidate[] = [...byStrategy.values()].map((vs) => {
      const s = chooseVariant(vs);
      return { summary: s, count: vs.length, acc: accOf(s.fingerprint) };
    });
    const groups = groupByPairedTests(cands);
    const rows: RankedStrategy[] = cands.map((c, i) => {
      const v = c.summary;
      return {
        strategy: v.strategy,
        ...strategyInfo(v.strategy),
        fingerprint: v.fingerprint,
        tau: v.tau,
        eta: v.eta,
        temperature: v.temperature,
        variants: c.count,
        ...meanCI95([...c.acc.values()]),
        best_val_acc_mean: v.best_val_acc_mean,
        aie_mean: v.aie_mean,
        aie_min: v.aie_min,
        aie_max: v.aie_max,
        feat_l2_dist_mean: v.feat_l2_dist_mean,
        feat_cos_dist_mean: v.feat_cos_dist_mean,
        feat_dot_mean: v.feat_dot_mean,
        feat_norm_mean: v.feat_norm_mean,
        ood_test_acc_mean: v.ood_test_acc_mean,
        n_pending: v.n_pending,
        n_reproduced: v.n_reproduced,
        n_disputed: v.n_disputed,
        vs_leader: groups[i]!.vs,
        p_holm: groups[i]!.pHolm,
        rank: groups[i]!.rank,
        group: groups[i]!.group,
      };
    });
    rows.sort((a, b) => a.rank - b.rank || b.mean - a.mean || strategyOrder(a.strategy, b.strategy));
    const bySeed: Record<string, Record<number, number>> = {};
    for (const c of cands) bySeed[c.summary.strategy] = Object.fromEntries(c.acc);
    variants.sort((a, b) => strategyOrder(a.strategy, b.strategy) || a.tau - b.tau || a.fingerprint.localeCompare(b.fingerprint));
    out.push({ backbone: obs[0]!.backbone, dataset: obs[0]!.dataset, rows, variants, by_seed: bySeed });
  }
  return out.sort((a, b) => a.backbone.localeCompare(b.backbone) || a.dataset.localeCompare(b.dataset));
}

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

// ---------------------------------------------------------------------------------------------
// The paper's claims, checked on a cell's data.

export type ClaimVerdict = 'holds' | 'not significant' | 'contradicted' | 'no data';

export interface CorrelationEvidence {
  /** What is correlated with what (e.g. "tau vs aie"). */
  what: string;
  /** The sign the paper predicts. */
  expected: 'negative' | 'positive';
  /** Per seed: Spearman rho over that seed's sweep points. */
  seeds: { seed: number; points: number; rho: number }[];
  mean_rho: number | null;
  /** Seeds whose rho has the expected sign. */
  agree: number;
  /** Seeds with a defined, non-zero rho. */
  n: number;
  /** Two-sided exact sign test over the seeds. */
  p: number | null;
  verdict: ClaimVerdict;
}

export interface ComparisonEvidence {
  what: string;
  diff: PairedDiff;
  /** Holm-adjusted p across the claim's comparisons. */
  p_holm: number | null;
  /** Seeds a paired t-test needs to detect the observed mean difference with 80% power (null when undefined). */
  seeds_needed: number | null;
}

export interface Claim {
  id: 'energy-falls-with-tau' | 'features-move-with-energy' | 'interior-tau-wins' | 'label-smoothing-raises-energy';
  statement: string;
  verdict: ClaimVerdict;
  /** One sentence with the numbers behind the verdict. */
  summary: string;
  correlations: CorrelationEvidence[];
  comparisons: ComparisonEvidence[];
}

function correlationEvidence(what: string, expected: 'negative' | 'positive', seeds: { seed: number; xs: number[]; ys: number[] }[]): CorrelationEvidence {
  const rows = seeds.filter((s) => s.xs.length >= 3).map((s) => ({ seed: s.seed, points: s.xs.length, rho: spearman(s.xs, s.ys) }));
  const defined = rows.filter((r) => Number.isFinite(r.rho) && r.rho !== 0);
  const agree = defined.filter((r) => (expected === 'negative' ? r.rho < 0 : r.rho > 0)).length;
  const n = defined.length;
  const p = n ? signTestP(agree, n) : null;
  const verdict: ClaimVerdict = n === 0 ? 'no data' : p! < ALPHA ? (agree > n - agree ? 'holds' : 'contradicted') : 'not significant';
  const finite = rows.filter((r) => Number.isFinite(r.rho));
  return { what, expected, seeds: rows, mean_rho: finite.length ? mean(finite.map((r) => r.rho)) : null, agree, n, p, verdict };
}

const combine = (vs: ClaimVerdict[]): ClaimVerdict =>
  vs.length === 0 || vs.every((v) => v === 'no data')
    ? 'no data'
    : vs.includes('contradicted')
      ? 'contradicted'
      : vs.every((v) => v === 'holds')
        ? 'holds'
        : 'not significant';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pp`;
const fmtP = (p: number | null) => (p === null ? 'p n/a' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** Comparisons verdict: all expected-positive differences significant -> holds; any significant the other way -> contradicted. */
function comparisonVerdict(cs: ComparisonEvidence[]): ClaimVerdict {
  if (cs.length === 0 || cs.every((c) => c.diff.n < 2)) return 'no data';
  if (cs.some((c) => c.p_holm !== null && c.p_holm < ALPHA && c.diff.mean < 0)) return 'contradicted';
  if (cs.every((c) => c.p_holm !== null && c.p_holm < ALPHA && c.diff.mean > 0)) return 'holds';
  return 'not significant';
}

function comparisons(items: { what: string; a: Map<number, number>; b: Map<number, number> }[]): ComparisonEvidence[] {
  const diffs = items.map((it) => pairedDiff(it.a, it.b));
  const adj = holmAdjust(diffs.map((d) => (d.p === null ? NaN : d.p)));
  return items.map((it, i) => ({
    what: it.what,
    diff: diffs[i]!,
    p_holm: Number.isNaN(adj[i]!) ? null : adj[i]!,
    seeds_needed: diffs[i]!.n >= 2 ? seedsForPower(Math.abs(diffs[i]!.mean), diffs[i]!.std) : null,
  }));
}

/**
 * The four claims of the paper on one cell's observations:
 * (i) energy falls with tau; (ii) feature change (L2 and cosine distance) rises with energy;
 * (iii) an interior tau* beats both ends of the sweep; (iv) label smoothing raises the energy at
 * the same tau. Each verdict: holds, not significant, contradicted (or no data).
 */
export function checkClaims(observations: readonly SeedObservation[]): Claim[] {
  const { kept } = oneObservationPerSeed(observations.filter((o) => Number.isFinite(o.test_acc)));
  const byFp = new Map<string, SeedObservation[]>();
  for (const o of kept) {
    let l = byFp.get(o.fingerprint);
    if (!l) byFp.set(o.fingerprint, (l = []));
    l.push(o);
  }
  const variants = [...byFp.values()].map(summarizeVariant);
  const sweep = sweepVariants(variants);
  const sweepObs = sweep.flatMap((v) => byFp.get(v.fingerprint)!);
  const seeds = [...new Set(sweepObs.map((o) => o.seed))].sort((a, b) => a - b);
  // Each seed's sweep points, grouped once (a filter per seed is quadratic at thousands of seeds).
  const bySeed = new Map<number, SeedObservation[]>();
  for (const o of sweepObs) {
    let l = bySeed.get(o.seed);
    if (!l) bySeed.set(o.seed, (l = []));
    l.push(o);
  }
  for (const l of bySeed.values()) l.sort((a, b) => a.tau - b.tau);
  const perSeed = (x: (o: SeedObservation) => number, y: (o: SeedObservation) => number) =>
    seeds.map((seed) => {
      const pts = bySeed.get(seed)!;
      return { seed, xs: pts.map(x), ys: pts.map(y) };
    });
  const claims: Claim[] = [];

  const c1 = correlationEvidence('tau vs aie', 'negative', perSeed((o) => o.tau, (o) => o.aie));
  claims.push({
    id: 'energy-falls-with-tau',
    statement: 'The initial energy (aie) falls as the head is probed longer (tau).',
    verdict: c1.verdict,
    summary: c1.n ? `rho(tau, aie) < 0 in ${c1.agree}/${c1.n} seeds (mean rho ${c1.mean_rho!.toFixed(3)}, sign test ${fmtP(c1.p)}).` : 'No seed has 3 or more sweep points.',
    correlations: [c1],
    comparisons: [],
  });

  const c2a = correlationEvidence('aie vs feat_l2_dist', 'positive', perSeed((o) => o.aie, (o) => o.feat_l2_dist));
  const c2b = correlationEvidence('aie vs feat_cos_dist', 'positive', perSeed((o) => o.aie, (o) => o.feat_cos_dist));
  claims.push({
    id: 'features-move-with-energy',
    statement: 'Features move further from their pretrained values (L2 and cosine distance) the higher the initial energy.',
    verdict: combine([c2a.verdict, c2b.verdict]),
    summary: c2a.n
      ? `rho(aie, L2) > 0 in ${c2a.agree}/${c2a.n} seeds (mean ${c2a.mean_rho!.toFixed(3)}, ${fmtP(c2a.p)}); rho(aie, cosine) > 0 in ${c2b.agree}/${c2b.n} (mean ${c2b.mean_rho!.toFixed(3)}, ${fmtP(c2b.p)}).`
      : 'No seed has 3 or more sweep points.',
    correlations: [c2a, c2b],
    comparisons: [],
  });

  const accOf = (v: VariantSummary) => new Map(byFp.get(v.fingerprint)!.map((o) => [o.seed, o.test_acc]));
  const aieOf = (v: VariantSummary) => new Map(byFp.get(v.fingerprint)!.map((o) => [o.seed, o.aie]));
  const interior = hpTauCandidates(variants).filter((v) => sweep.length >= 3 && v.tau > sweep[0]!.tau && v.tau < sweep.at(-1)!.tau);
  const c3: ComparisonEvidence[] = [];
  if (interior.length && sweep.length >= 3) {
    const star = chooseVariant(interior);
    const lo = sweep[0]!;
    const hi = sweep.at(-1)!;
    c3.push(
      ...comparisons([
        { what: `hp-tau (tau* = ${star.tau}) - tau ${lo.tau} (${lo.strategy})`, a: accOf(star), b: accOf(lo) },
        { what: `hp-tau (tau* = ${star.tau}) - tau ${hi.tau} (${hi.strategy})`, a: accOf(star), b: accOf(hi) },
      ]),
    );
  }
  claims.push({
    id: 'interior-tau-wins',
    statement: 'A mild energy wins: early-stopped probing (tau* chosen on validation) beats both ends of the sweep, finetuning from a fresh head (tau 0) and from a converged probe (largest tau).',
    verdict: comparisonVerdict(c3),
    summary: c3.length
      ? c3.map((c) => `${c.what}: ${pct(c.diff.mean)} [${c.diff.lo === null ? 'n/a' : pct(c.diff.lo)}, ${c.diff.hi === null ? 'n/a' : pct(c.diff.hi)}], Holm ${fmtP(c.p_holm)}, won ${c.diff.wins}/${c.diff.n} seeds`).join('; ') + '.'
      : 'Needs ft, at least one interior hp-tau and lp-ft (or hp-tau at both ends).',
    correlations: [],
    comparisons: c3,
  });

  const ls = variants.filter((v) => v.strategy === 'hp-ls');
  const pairs = ls.flatMap((v) => {
    const plain = sweep.find((s) => s.tau === v.tau);
    return plain ? [{ what: `aie: hp-ls (eta ${v.eta}) - ${plain.strategy} at tau ${v.tau}`, a: aieOf(v), b: aieOf(plain) }] : [];
  });
  const c4 = comparisons(pairs);
  claims.push({
    id: 'label-smoothing-raises-energy',
    statement: 'Label smoothing during probing keeps the energy higher than plain probing at the same tau.',
    verdict: comparisonVerdict(c4),
    summary: c4.length
      ? c4.map((c) => `${c.what}: ${c.diff.mean >= 0 ? '+' : ''}${c.diff.mean.toFixed(4)}, Holm ${fmtP(c.p_holm)}, higher in ${c.diff.wins}/${c.diff.n} seeds`).join('; ') + '.'
      : 'Needs hp-ls and a plain probe at the same tau.',
    correlations: [],
    comparisons: c4,
  });
  return claims;
}

/** Seeds needed to detect a paired mean difference `delta` with per-seed difference sd `sd` (two-sided t, alpha 0.05, power 0.8). */
export function seedsForPower(delta: number, sd: number, power = 0.8): number | null {
  if (!(delta > 0) || !(sd > 0)) return null;
  // Smallest n whose noncentral power (normal approximation of the t with df n-1) reaches `power`.
  // t_{0.975, n-1} > z_{0.975}, so the normal answer is a lower bound: start there, step up.
  const zPow = normalQuantile(power);
  const lower = ((normalQuantile(0.975) + zPow) * (sd / delta)) ** 2;
  if (lower > 1e7) return null;
  for (let n = Math.max(2, Math.floor(lower)); n <= 1e7; n++) {
    const t = tQuantile975(n - 1);
    if ((delta / sd) * Math.sqrt(n) - t >= zPow) return n;
  }
  return null;
}

/** The observation of an "ok" bundle (null for a failed cell). */
export function observationOf(b: {
  status: string;
  fingerprint: string;
  config: { backbone: { id: string }; dataset: { id: string }; strategy: { id: string }; tau: number; eta: number; temperature: number; seed: number };
  summary: { test_acc: number; best_val_acc: number; ood_test_acc?: number } | null;
  energy: { aie: number } | null;
  epochs: { feat_l2_dist: number; feat_cos_dist: number; feat_dot: number; feat_norm: number }[];
}): SeedObservation | null {
  const last = b.epochs.at(-1);
  if (b.status !== 'ok' || !b.summary || !b.energy || !last) return null;
  const c = b.config;
  return {
    backbone: c.backbone.id,
    dataset: c.dataset.id,
    strategy: c.strategy.id,
    fingerprint: b.fingerprint,
    tau: c.tau,
    eta: c.eta,
    temperature: c.temperature,
    seed: c.seed,
    test_acc: b.summary.test_acc,
    best_val_acc: b.summary.best_val_acc,
    aie: b.energy.aie,
    feat_l2_dist: last.feat_l2_dist,
    feat_cos_dist: last.feat_cos_dist,
    feat_dot: last.feat_dot,
    feat_norm: last.feat_norm,
    ood_test_acc: b.summary.ood_test_acc ?? null,
  };
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
