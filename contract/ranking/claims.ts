/**
 * The pre-registered claims of a suite version, checked on one cell's WHOLE sweep (every strategy
 * of the suite version; a viewer's strategy filter never reaches here). Which variants each claim
 * compares comes from the suite's `claims` block or the default of its grid (./claims-spec.ts).
 *
 * (i)    energy falls with tau                 manipulation check  Spearman per seed, sign test
 * (ii)   features move more at higher energy   finding             Spearman per seed, sign test
 * (iii-a) after FT, tau* beats both ends        finding             paired t on test acc, Holm over 2
 * (iii-b) the FT gain at tau* against the converged end  finding   paired t on test acc - probe-only acc
 * (iv)   label smoothing keeps energy up       manipulation check  paired t on aie, Holm
 * (v)    more energy at a fixed probe length   finding             paired t on test acc, Holm
 * (vi)   Kumar et al.'s FT / LP / LP-FT pattern finding            paired t on ID and OOD acc, Holm over 4
 *
 * Every claim carries a power note: for a sign test whether p < 0.05 is reachable with its seeds
 * (never with <= 5) and the per-seed agreement rate it detects at 80% power; for a paired t-test
 * the effect it detects at 80% power with its n and observed sd, at Holm's first-step level.
 */
import { holmAdjust, mean, signTestP, spearman } from '../stats';
import type { SuiteClaims, VariantRef } from '../schemas/claims';
import { refMatches } from './claims-spec';
import { detectableEffect, seedsForPower, signTestReach, type SignTestReach } from './power';
import {
  ALPHA,
  byFingerprint,
  chooseVariant,
  oneObservationPerSeed,
  pairedDiff,
  summarizeVariant,
  type PairedDiff,
  type SeedObservation,
  type VariantSummary,
} from './observations';

export type ClaimVerdict = 'holds' | 'not significant' | 'contradicted' | 'no data';

export type ClaimId =
  | 'energy-falls-with-tau'
  | 'features-move-with-energy'
  | 'interior-tau-wins'
  | 'ft-gain-at-tau-star'
  | 'label-smoothing-raises-energy'
  | 'fixed-probe-energy'
  | 'kumar-pattern';

export interface CorrelationEvidence {
  /** What is correlated with what (e.g. "tau vs aie"). */
  what: string;
  /** The sign the claim predicts. */
  expected: 'negative' | 'positive';
  /** Per seed: Spearman rho over that seed's sweep points. */
  seeds: { seed: number; points: number; rho: number }[];
  /** Set where a view lists only the first seeds' rows (the site's, at most a few dozen): how many it left out. The test used all n. */
  seeds_omitted?: number;
  mean_rho: number | null;
  /** Seeds whose rho has the expected sign. */
  agree: number;
  /** Seeds with a defined, non-zero rho. */
  n: number;
  /** Two-sided exact sign test over the seeds. */
  p: number | null;
  verdict: ClaimVerdict;
  /** What the sign test can show with these n seeds. */
  reach: SignTestReach;
}

export type ClaimMetric = 'test_acc' | 'ft_gain' | 'lp_test_acc' | 'aie' | 'ood_test_acc';

export interface ComparisonEvidence {
  what: string;
  metric: ClaimMetric;
  /** The sign of a - b the claim predicts. */
  expected: 'positive' | 'negative';
  diff: PairedDiff;
  /** Holm-adjusted p across the claim's comparisons (null when untestable). */
  p_holm: number | null;
  verdict: ClaimVerdict;
  /** Seeds a paired t-test needs to detect the observed mean difference with 80% power (null when undefined). */
  seeds_needed: number | null;
  /** The |difference| a paired t-test detects with 80% power at these n and sd, at level alpha / m (Holm's first step). */
  detectable: number | null;
}

export interface Claim {
  id: ClaimId;
  /** (i), (ii), (iii-a), (iii-b), (iv), (v), (vi). */
  label: string;
  /** Manipulation checks hold by construction when the pipeline works: they are not findings. */
  kind: 'manipulation check' | 'finding';
  statement: string;
  verdict: ClaimVerdict;
  /** One sentence with the numbers behind the verdict. */
  summary: string;
  /** What the test can detect with the seeds it has (and when it cannot reach significance). */
  power: string;
  correlations: CorrelationEvidence[];
  comparisons: ComparisonEvidence[];
  /** Differences shown for context, outside the verdict's family (unadjusted). */
  context: ComparisonEvidence[];
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pp`;
const fmtP = (p: number | null) => (p === null ? 'p n/a' : p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

/** Claim verdict from its parts: "no data" parts are left out; any contradiction wins; all hold -> holds. */
export function combineVerdicts(vs: readonly ClaimVerdict[]): ClaimVerdict {
  const data = vs.filter((v) => v !== 'no data');
  if (data.length === 0) return 'no data';
  if (data.includes('contradicted')) return 'contradicted';
  return data.every((v) => v === 'holds') ? 'holds' : 'not significant';
}

function correlationEvidence(what: string, expected: 'negative' | 'positive', seeds: { seed: number; xs: number[]; ys: number[] }[]): CorrelationEvidence {
  const rows = seeds.filter((s) => s.xs.length >= 3).map((s) => ({ seed: s.seed, points: s.xs.length, rho: spearman(s.xs, s.ys) }));
  const defined = rows.filter((r) => Number.isFinite(r.rho) && r.rho !== 0);
  const agree = defined.filter((r) => (expected === 'negative' ? r.rho < 0 : r.rho > 0)).length;
  const n = defined.length;
  const p = n ? signTestP(agree, n) : null;
  const verdict: ClaimVerdict = n === 0 ? 'no data' : p! < ALPHA ? (agree > n - agree ? 'holds' : 'contradicted') : 'not significant';
  const finiteRows = rows.filter((r) => Number.isFinite(r.rho));
  return { what, expected, seeds: rows, mean_rho: finiteRows.length ? mean(finiteRows.map((r) => r.rho)) : null, agree, n, p, verdict, reach: signTestReach(n) };
}

interface Item {
  what: string;
  metric: ClaimMetric;
  expected: 'positive' | 'negative';
  a: Map<number, number>;
  b: Map<number, number>;
}

/** Paired comparisons with Holm's correction across those that are testable. */
function comparisons(items: readonly Item[]): ComparisonEvidence[] {
  const diffs = items.map((it) => pairedDiff(it.a, it.b));
  const adj = holmAdjust(diffs.map((d) => (d.p === null ? NaN : d.p)));
  const m = diffs.filter((d) => d.p !== null).length;
  return items.map((it, i) => {
    const d = diffs[i]!;
    const p = Number.isNaN(adj[i]!) ? null : adj[i]!;
    const sign = it.expected === 'positive' ? 1 : -1;
    const verdict: ClaimVerdict = d.n < 2 || p === null ? 'no data' : p < ALPHA ? (sign * d.mean > 0 ? 'holds' : 'contradicted') : 'not significant';
    return {
      what: it.what,
      metric: it.metric,
      expected: it.expected,
      diff: d,
      p_holm: p,
      verdict,
      seeds_needed: d.n >= 2 ? seedsForPower(Math.abs(d.mean), d.std) : null,
      detectable: d.n >= 2 ? detectableEffect(d.n, d.std, ALPHA / Math.max(1, m)) : null,
    };
  });
}

/** Unadjusted context differences (not part of any verdict). */
function context(items: readonly Item[]): ComparisonEvidence[] {
  return items.map((it) => {
    const d = pairedDiff(it.a, it.b);
    return { what: it.what, metric: it.metric, expected: it.expected, diff: d, p_holm: null, verdict: 'no data' as const, seeds_needed: null, detectable: d.n >= 2 ? detectableEffect(d.n, d.std) : null };
  });
}

const unit = (m: ClaimMetric) => (m === 'aie' ? 'energy' : 'pp');
const fmtDiff = (m: ClaimMetric, x: number) => (m === 'aie' ? `${x >= 0 ? '+' : ''}${x.toFixed(4)}` : pct(x));

function comparisonSummary(cs: readonly ComparisonEvidence[]): string {
  return (
    cs
      .map((c) =>
        c.diff.n === 0
          ? `${c.what}: no data`
          : `${c.what}: ${fmtDiff(c.metric, c.diff.mean)}${c.diff.lo !== null ? ` [${fmtDiff(c.metric, c.diff.lo)}, ${fmtDiff(c.metric, c.diff.hi!)}]` : ''}, Holm ${fmtP(c.p_holm)}, ${c.expected === 'positive' ? 'higher' : 'lower'} in ${c.expected === 'positive' ? c.diff.wins : c.diff.losses}/${c.diff.n} seeds`,
      )
      .join('; ') + '.'
  );
}

function comparisonPower(cs: readonly ComparisonEvidence[]): string {
  const parts = cs.filter((c) => c.diff.n >= 2);
  if (!parts.length) return 'No comparison has 2 or more paired seeds: nothing can be tested.';
  return (
    parts
      .map((c) => {
        const det = c.detectable === null ? 'any non-zero difference (the seeds agree exactly)' : `|difference| >= ${c.metric === 'aie' ? c.detectable.toFixed(4) : `${(c.detectable * 100).toFixed(2)} pp`}`;
        const need = c.verdict !== 'holds' && c.verdict !== 'contradicted' && c.seeds_needed !== null ? `; the observed ${fmtDiff(c.metric, c.diff.mean)} would need ${c.seeds_needed} seeds` : '';
        return `${c.what}: with ${c.diff.n} seeds (sd ${c.metric === 'aie' ? c.diff.std.toFixed(4) : `${(c.diff.std * 100).toFixed(2)} pp`}) 80% power to detect ${det}${need}`;
      })
      .join('; ') + `. Paired t-tests at level 0.05 / ${parts.length} (Holm's first step), in ${unit(parts[0]!.metric)}.`
  );
}

function correlationPower(cs: readonly CorrelationEvidence[]): string {
  const c = cs[0];
  if (!c || c.n === 0) return 'No seed has 3 or more sweep points: nothing can be tested.';
  const r = c.reach;
  if (!r.can_reach)
    return `With ${c.n} seed(s) the sign test cannot reach p < 0.05 (its smallest p is ${r.min_p.toFixed(3)}): it needs 6 or more seeds, so "not significant" here says nothing either way.`;
  return `With ${c.n} seeds the sign test needs ${r.agree_needed}/${c.n} agreeing seeds for p < 0.05; it has 80% power when each seed agrees with probability >= ${r.detectable_rate === null ? 'n/a' : r.detectable_rate.toFixed(2)}.`;
}

/** What every claim reads: the cell's variants (one observation per seed) and their per-seed series. */
interface ClaimData {
  variants: VariantSummary[];
  byFp: Map<string, SeedObservation[]>;
  resolve(ref: VariantRef): VariantSummary | null;
  acc(v: VariantSummary): Map<number, number>;
  aie(v: VariantSummary): Map<number, number>;
  probe(v: VariantSummary): Map<number, number>;
  ood(v: VariantSummary): Map<number, number>;
  gain(v: VariantSummary): Map<number, number>;
  name(v: VariantSummary): string;
}

function claimData(observations: readonly SeedObservation[]): ClaimData {
  const { kept } = oneObservationPerSeed(observations.filter((o) => Number.isFinite(o.test_acc)));
  const byFp = byFingerprint(kept);
  const variants = [...byFp.values()].map(summarizeVariant);
  const seriesOf = (v: VariantSummary, f: (o: SeedObservation) => number | null | undefined) =>
    new Map(
      byFp
        .get(v.fingerprint)!
        .map((o) => [o.seed, f(o)] as const)
        .filter((p): p is readonly [number, number] => typeof p[1] === 'number' && Number.isFinite(p[1])),
    );
  return {
    variants,
    byFp,
    resolve: (ref) => variants.find((v) => refMatches(ref, v)) ?? null,
    acc: (v) => seriesOf(v, (o) => o.test_acc),
    aie: (v) => seriesOf(v, (o) => o.aie),
    probe: (v) => seriesOf(v, (o) => o.lp_test_acc),
    ood: (v) => seriesOf(v, (o) => o.ood_test_acc),
    gain: (v) => seriesOf(v, (o) => (typeof o.lp_test_acc === 'number' ? o.test_acc - o.lp_test_acc : null)),
    name: (v) => `${v.strategy} (tau ${v.tau}${v.strategy === 'hp-ls' ? `, eta ${v.eta}` : ''}${v.strategy === 'hp-temp' ? `, T ${v.temperature}` : ''})`,
  };
}

/** The registered tau sweep in this cell: its two ends, the interior taus, and every point by seed. */
interface Sweep {
  registered: boolean;
  low: VariantSummary | null;
  high: VariantSummary | null;
  interior: VariantSummary[];
  /** Low end, interior and high end, by tau. */
  points: VariantSummary[];
  /** Per seed, x and y of every sweep point it has (by tau). */
  perSeed(x: (o: SeedObservation) => number, y: (o: SeedObservation) => number): { seed: number; xs: number[]; ys: number[] }[];
  /** Why a sweep claim has no data. */
  noSweep: string;
}

function sweepOf(d: ClaimData, spec: SuiteClaims): Sweep {
  const sw = spec.sweep;
  const low = sw ? d.resolve(sw.low) : null;
  const high = sw ? d.resolve(sw.high) : null;
  const interior = sw
    ? d.variants.filter((v) => v.strategy === sw.interior.strategy && sw.interior.taus.includes(v.tau) && v.tau !== low?.tau && v.tau !== high?.tau)
    : [];
  const points = [low, ...interior, high].filter((v): v is VariantSummary => v !== null).sort((a, b) => a.tau - b.tau);
  const bySeed = new Map<number, SeedObservation[]>();
  for (const v of points)
    for (const o of d.byFp.get(v.fingerprint)!) {
      let l = bySeed.get(o.seed);
      if (!l) bySeed.set(o.seed, (l = []));
      l.push(o);
    }
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  for (const l of bySeed.values()) l.sort((a, b) => a.tau - b.tau);
  return {
    registered: !!sw,
    low,
    high,
    interior,
    points,
    perSeed: (x, y) => seeds.map((seed) => ({ seed, xs: bySeed.get(seed)!.map(x), ys: bySeed.get(seed)!.map(y) })),
    noSweep: sw ? 'Needs 3 or more sweep points (low end, an interior tau, high end) in a seed.' : 'The suite registers no tau sweep.',
  };
}

/** (i) and (ii): correlations along the sweep, seed by seed. */
function sweepCorrelationClaims(sweep: Sweep): Claim[] {
  const { points, perSeed, noSweep } = sweep;
  const out: Claim[] = [];
  const c1 = correlationEvidence('tau vs aie', 'negative', points.length >= 3 ? perSeed((o) => o.tau, (o) => o.aie) : []);
  out.push({
    id: 'energy-falls-with-tau',
    label: '(i)',
    kind: 'manipulation check',
    statement: 'The initial energy (aie) falls as the head is probed longer (tau): it holds by construction when probing works.',
    verdict: c1.verdict,
    summary: c1.n ? `rho(tau, aie) < 0 in ${c1.agree}/${c1.n} seeds (mean rho ${c1.mean_rho!.toFixed(3)}, sign test ${fmtP(c1.p)}).` : noSweep,
    power: correlationPower([c1]),
    correlations: [c1],
    comparisons: [],
    context: [],
  });

  const c2a = correlationEvidence('aie vs feat_l2_dist', 'positive', points.length >= 3 ? perSeed((o) => o.aie, (o) => o.feat_l2_dist) : []);
  const c2b = correlationEvidence('aie vs feat_cos_dist', 'positive', points.length >= 3 ? perSeed((o) => o.aie, (o) => o.feat_cos_dist) : []);
  out.push({
    id: 'features-move-with-energy',
    label: '(ii)',
    kind: 'finding',
    statement: 'Features move further from their pretrained values (L2 and cosine distance) the higher the initial energy.',
    verdict: combineVerdicts([c2a.verdict, c2b.verdict]),
    summary: c2a.n
      ? `rho(aie, L2) > 0 in ${c2a.agree}/${c2a.n} seeds (mean ${c2a.mean_rho!.toFixed(3)}, ${fmtP(c2a.p)}); rho(aie, cosine) > 0 in ${c2b.agree}/${c2b.n} (mean ${c2b.mean_rho!.toFixed(3)}, ${fmtP(c2b.p)}).`
      : noSweep,
    power: correlationPower([c2a]),
    correlations: [c2a, c2b],
    comparisons: [],
    context: [],
  });
  return out;
}

/** (iii-a) and (iii-b): tau* against the ends of the sweep, after finetuning and in the FT gain. */
function interiorTauClaims(d: ClaimData, sweep: Sweep): Claim[] {
  const { acc, gain, probe, name } = d;
  const { low, high, interior, noSweep } = sweep;
  const sw = sweep.registered;
  const out: Claim[] = [];
  const star = interior.length ? chooseVariant(interior) : null;
  const sweepOk = star && low && high;
  const c3 = sweepOk
    ? comparisons([
        { what: `tau* ${star.tau} - ${name(low)}`, metric: 'test_acc', expected: 'positive', a: acc(star), b: acc(low) },
        { what: `tau* ${star.tau} - ${name(high)}`, metric: 'test_acc', expected: 'positive', a: acc(star), b: acc(high) },
      ])
    : [];
  out.push({
    id: 'interior-tau-wins',
    label: '(iii-a)',
    kind: 'finding',
    statement:
      'After finetuning, early-stopped probing (tau* chosen on validation among the interior taus) beats both ends of the sweep: a fresh head (tau 0) and a converged probe.',
    verdict: combineVerdicts(c3.map((c) => c.verdict)),
    summary: c3.length ? `Test accuracy after FT: ${comparisonSummary(c3)}` : sw ? 'Needs the low end, an interior tau and the high end of the sweep.' : noSweep,
    power: c3.length ? comparisonPower(c3) : 'Nothing to test.',
    correlations: [],
    comparisons: c3,
    context: [],
  });

  // The family is tau* against the converged end. Against tau 0 the probe-only accuracy is a random
  // head's, so the gain there is nearly all of ft's accuracy and the comparison mostly measures the
  // probe: it is shown as context, outside the verdict.
  const c3b = sweepOk
    ? comparisons([{ what: `FT gain: tau* ${star.tau} - ${name(high)}`, metric: 'ft_gain', expected: 'positive', a: gain(star), b: gain(high) }])
    : [];
  const ctx3b = sweepOk
    ? context([
        { what: `probe-only acc: tau* ${star.tau} - ${name(high)}`, metric: 'lp_test_acc', expected: 'positive', a: probe(star), b: probe(high) },
        { what: `FT gain: tau* ${star.tau} - ${name(low)}`, metric: 'ft_gain', expected: 'positive', a: gain(star), b: gain(low) },
        { what: `probe-only acc: tau* ${star.tau} - ${name(low)}`, metric: 'lp_test_acc', expected: 'positive', a: probe(star), b: probe(low) },
      ])
    : [];
  const hasGain = c3b.some((c) => c.diff.n > 0);
  out.push({
    id: 'ft-gain-at-tau-star',
    label: '(iii-b)',
    kind: 'finding',
    statement:
      "The finetuning part of (iii-a): the FT gain (test accuracy after FT minus the probe-only accuracy of the same seed's head before FT) is larger at tau* than at the converged end, so the win is made during finetuning, not already in the probe.",
    verdict: combineVerdicts(c3b.map((c) => c.verdict)),
    summary: hasGain
      ? `${comparisonSummary(c3b)} Unadjusted context: ${ctx3b.map((c) => `${c.what} ${c.diff.n ? pct(c.diff.mean) : 'no data'}`).join('; ')} (at tau 0 the probe-only accuracy is a random head's, so the gain against ft mostly measures the probe: shown, not tested).`
      : sweepOk
        ? 'No probe-only accuracy (lp_test_acc) in these results.'
        : 'Needs the low end, an interior tau and the high end of the sweep.',
    power: hasGain ? comparisonPower(c3b) : 'Nothing to test.',
    correlations: [],
    comparisons: hasGain ? c3b : [],
    context: ctx3b,
  });
  return out;
}

/** (iv) label smoothing keeps the energy up. */
function labelSmoothingClaim(d: ClaimData, spec: SuiteClaims): Claim {
  const { resolve, aie, name } = d;
  const c4 = comparisons(
    (spec.label_smoothing ?? []).flatMap((p) => {
      const a = resolve(p.smoothed);
      const b = resolve(p.plain);
      return a && b ? [{ what: `aie: ${name(a)} - ${name(b)}`, metric: 'aie' as const, expected: 'positive' as const, a: aie(a), b: aie(b) }] : [];
    }),
  );
  return {
    id: 'label-smoothing-raises-energy',
    label: '(iv)',
    kind: 'manipulation check',
    statement: 'Label smoothing during probing keeps the energy higher than plain probing of the same length: smoothing puts a floor under the energy by construction.',
    verdict: combineVerdicts(c4.map((c) => c.verdict)),
    summary: c4.length ? comparisonSummary(c4) : 'Needs hp-ls and a plain probe at the same tau.',
    power: c4.length ? comparisonPower(c4) : 'Nothing to test.',
    correlations: [],
    comparisons: c4,
    context: [],
  };
}

/** (v) more energy at a fixed probe length. */
function fixedProbeClaim(d: ClaimData, spec: SuiteClaims): Claim {
  const { resolve, acc, aie, name } = d;
  const fp = spec.fixed_probe;
  const base = fp ? resolve(fp.baseline) : null;
  const more = fp && base ? fp.higher_energy.map(resolve).filter((v): v is VariantSummary => v !== null) : [];
  const c5 = base ? comparisons(more.map((v) => ({ what: `${name(v)} - ${name(base)}`, metric: 'test_acc' as const, expected: 'positive' as const, a: acc(v), b: acc(base) }))) : [];
  const ctx5 = base ? context(more.map((v) => ({ what: `aie: ${name(v)} - ${name(base)}`, metric: 'aie' as const, expected: 'positive' as const, a: aie(v), b: aie(base) }))) : [];
  return {
    id: 'fixed-probe-energy',
    label: '(v)',
    kind: 'finding',
    statement:
      'At a fixed probe length, more energy (temperature, label smoothing) beats the plain converged probe after finetuning: the cleanest test of the energy itself, free of head early stopping.',
    verdict: combineVerdicts(c5.map((c) => c.verdict)),
    summary: c5.length
      ? `Test accuracy after FT: ${comparisonSummary(c5)} Energy at the start of FT (unadjusted): ${ctx5.map((c) => `${c.what.replace('aie: ', '')} ${c.diff.n ? fmtDiff('aie', c.diff.mean) : 'no data'}`).join('; ')}.`
      : 'Needs a baseline probe and a higher-energy probe of the same length (hp-temp or hp-ls at the tau of lp-ft).',
    power: c5.length ? comparisonPower(c5) : 'Nothing to test.',
    correlations: [],
    comparisons: c5,
    context: ctx5,
  };
}

/** (vi) Kumar et al. */
function kumarClaim(d: ClaimData, spec: SuiteClaims): Claim {
  const { resolve, acc, ood } = d;
  const kp = spec.kumar;
  const lp = kp ? resolve(kp.lp) : null;
  const ft = kp ? resolve(kp.ft) : null;
  const lpft = kp ? resolve(kp.lp_ft) : null;
  const c6 =
    lp && ft && lpft
      ? comparisons([
          { what: 'ID: FT - LP', metric: 'test_acc', expected: 'positive', a: acc(ft), b: acc(lp) },
          { what: 'OOD: FT - LP', metric: 'ood_test_acc', expected: 'negative', a: ood(ft), b: ood(lp) },
          { what: 'ID: LP-FT - FT', metric: 'test_acc', expected: 'positive', a: acc(lpft), b: acc(ft) },
          { what: 'OOD: LP-FT - FT', metric: 'ood_test_acc', expected: 'positive', a: ood(lpft), b: ood(ft) },
        ])
      : [];
  const oodMissing = c6.length > 0 && c6.filter((c) => c.metric === 'ood_test_acc').every((c) => c.diff.n === 0);
  return {
    id: 'kumar-pattern',
    label: '(vi)',
    kind: 'finding',
    statement:
      "Kumar et al. (ICLR 2022): finetuning (FT) beats the linear probe (LP) in distribution but loses to it out of distribution; LP-FT beats FT on both.",
    verdict: combineVerdicts(c6.map((c) => c.verdict)),
    summary: c6.length
      ? `${comparisonSummary(c6.filter((c) => c.diff.n > 0))}${oodMissing ? ' OOD: no data (the dataset has no OOD split).' : ''}`
      : 'Needs lp, ft and lp-ft.',
    power: c6.length ? comparisonPower(c6) : 'Nothing to test.',
    correlations: [],
    comparisons: c6,
    context: [],
  };
}

/** The claims of one cell's observations (its whole sweep) under `spec`. */
export function checkClaims(observations: readonly SeedObservation[], spec: SuiteClaims): Claim[] {
  const d = claimData(observations);
  const sweep = sweepOf(d, spec);
  return [...sweepCorrelationClaims(sweep), ...interiorTauClaims(d, sweep), labelSmoothingClaim(d, spec), fixedProbeClaim(d, spec), kumarClaim(d, spec)];
}
