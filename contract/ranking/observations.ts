/**
 * What every statistic of a ranking is computed from: one observation per (protocol fingerprint,
 * seed), the variants of a cell, hp-tau's tau* (chosen on validation), the tau sweep, and the paired
 * difference of two variants over their common seeds. Pure functions; docs/science.md ("Statistics
 * of a ranking") states the rules.
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
 */
import { mean, sampleStd, tQuantile975, tTwoSidedP } from '../stats';

export const ALPHA = 0.05;

/** Which variant a result belongs to: its cell (backbone, dataset), strategy and protocol. */
export interface VariantKey {
  backbone: string;
  dataset: string;
  strategy: string;
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
}

/** One result of one (fingerprint, seed): what every statistic is computed from. */
export interface SeedObservation extends VariantKey {
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
  /** Test accuracy of the prepared head on frozen features, before FT (the probe-only accuracy). */
  lp_test_acc?: number | null;
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
  /** Mean probe-only test accuracy (head after HP, before FT) over the seeds that have one (null when none). */
  lp_test_acc_mean: number | null;
  n_pending: number;
  /** Seeds whose result an independent approved key reproduced. */
  n_reproduced: number;
  /** Seeds whose result an independent identity disputed (still ranked, flagged). */
  n_disputed: number;
}

/** Seed statistics of one variant. */
export interface VariantSummary extends VariantKey, VariantMetrics {
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
  /** UNADJUSTED 95% Student-t interval of the mean difference (null when n < 2). */
  lo: number | null;
  hi: number | null;
  /** UNADJUSTED two-sided paired t-test p-value (null when n < 2). */
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

const finite = (xs: readonly (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));

export function summarizeVariant(obs: readonly SeedObservation[]): VariantSummary {
  const o = obs[0]!;
  const acc = obs.map((x) => x.test_acc);
  const aie = obs.map((x) => x.aie);
  const ood = finite(obs.map((x) => x.ood_test_acc));
  const lp = finite(obs.map((x) => x.lp_test_acc));
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
    lp_test_acc_mean: lp.length ? mean(lp) : null,
    n_pending: obs.filter((x) => x.pending).length,
    n_reproduced: obs.filter((x) => x.reproduced).length,
    n_disputed: obs.filter((x) => x.disputed).length,
  };
}

/** Groups observations by fingerprint (insertion order). */
export function byFingerprint<T extends Pick<SeedObservation, 'fingerprint'>>(obs: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const o of obs) {
    let l = out.get(o.fingerprint);
    if (!l) out.set(o.fingerprint, (l = []));
    l.push(o);
  }
  return out;
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

/** The observation of an "ok" bundle (null for a failed cell). */
export function observationOf(b: {
  status: string;
  fingerprint: string;
  config: { backbone: { id: string }; dataset: { id: string }; strategy: { id: string }; tau: number; eta: number; temperature: number; seed: number };
  summary: { test_acc: number; best_val_acc: number; ood_test_acc?: number; lp_test_acc?: number } | null;
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
    lp_test_acc: b.summary.lp_test_acc ?? null,
  };
}
