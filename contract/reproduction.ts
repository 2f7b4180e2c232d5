/**
 * Reproductions: a rerun of one stored result's exact config and seed, compared metric by metric
 * with the stored bundle. The comparison is pure and shared: `headprep reproduce` prints it, and
 * POST /api/reproductions (and a second submission of the same fingerprint and seed through
 * POST /api/results) recomputes it from the two bundles, never trusting a claimed verdict.
 *
 * Verdicts:
 * - exact:   every compared metric is bit-for-bit equal (what a rerun with the same runner version
 *            and backend gives: the runner is deterministic);
 * - within:  not exact, but every metric is within its tolerance below (another backend, runner or
 *            tfjs version, another CPU);
 * - differs: at least one metric is outside its tolerance, or the status / epoch count differ.
 *
 * Timing and memory (wall_time_s, samples_per_sec, peak_memory_mb) depend on the machine and are
 * never compared.
 */
import { z } from 'zod';
import { RESULT_ID_RE } from './ids';
import { Sha256HexSchema } from './schemas/config';
import { ResultBundleSchema, type EpochRow, type ResultBundle } from './schemas/bundle';
import { parseVerifiedJson, type ParseResult } from './parse';

export const REPRODUCTION_PAYLOAD_TYPE = 'application/vnd.headprep.reproduction+json';
export const REPRODUCTION_SCHEMA_VERSION = 1 as const;

export const VERDICTS = ['exact', 'within', 'differs'] as const;
export const VerdictSchema = z
  .enum(VERDICTS)
  .describe('exact: every metric bit-for-bit equal; within: every metric within its documented tolerance; differs: at least one is not.');
export type Verdict = z.infer<typeof VerdictSchema>;

/**
 * Tolerance of one metric: |a - b| <= abs + rel * max(|a|, |b|).
 *
 * Measured (docs/reproductions.md): the 8 tiny@1 cells (linear x synthetic-linear, every strategy,
 * seed 0) run on the wasm and the cpu backends with runner 0.1.0. Every accuracy and best_epoch was
 * identical; the other metrics differed by float32 rounding only: at most 4.9e-7 absolute
 * (epochs.*.feat_dot) and 3.7e-6 relative (feat_cos_dist, near 0). The tolerances (1e-4 absolute
 * plus 1e-4 relative) are ~200x the measured absolute maxima, since rounding differences grow with
 * epochs and model size; accuracies allow 0.005 (one test example in 200 flipping). A sharper bound
 * would call a correct rerun on other hardware "differs", a looser one would hide a real change.
 */
export interface Tolerance {
  abs: number;
  rel: number;
}

const ACC: Tolerance = { abs: 0.005, rel: 0 };
const LOSS: Tolerance = { abs: 1e-4, rel: 1e-4 };
const FEAT: Tolerance = { abs: 1e-4, rel: 1e-4 };
const EXACT: Tolerance = { abs: 0, rel: 0 };

/** Compared bundle fields and their tolerances: summary and energy by name, epoch rows per field. */
export const SUMMARY_TOLERANCES = {
  test_acc: ACC,
  best_val_acc: ACC,
  last_test_acc: ACC,
  lp_test_acc: ACC,
  best_epoch: EXACT,
} as const;
export const ENERGY_TOLERANCES = {
  aie: LOSS,
  aie_q25: LOSS,
  aie_median: LOSS,
  aie_q75: LOSS,
  hp_train_acc: ACC,
  hp_train_loss: LOSS,
  head_norm: FEAT,
  feat_norm_ref: FEAT,
} as const;
export const EPOCH_TOLERANCES: Record<Exclude<keyof EpochRow, 'epoch'>, Tolerance> = {
  train_loss: LOSS,
  train_acc: ACC,
  val_loss: LOSS,
  val_acc: ACC,
  test_loss: LOSS,
  test_acc: ACC,
  energy: LOSS,
  head_grad_norm: FEAT,
  feat_l2_dist: FEAT,
  feat_cos_sim: FEAT,
  feat_cos_dist: FEAT,
  feat_dot: FEAT,
  feat_norm: FEAT,
};

export const MetricComparisonSchema = z
  .strictObject({
    metric: z.string().describe('Compared field as a dotted bundle path (summary.test_acc, energy.aie, epochs.3.val_loss) or "status" / "epochs.length".'),
    original: z.number().nullable().describe('Value in the stored bundle (status: 1 ok, 0 error).'),
    rerun: z.number().nullable().describe('Value in the reproduction bundle.'),
    abs_diff: z.number().nullable().describe('|original - rerun|; null when a side has no value.'),
    tolerance: z.number().describe('Largest |difference| allowed for a "within" verdict: abs + rel * max(|original|, |rerun|).'),
    ok: z.boolean().describe('abs_diff <= tolerance.'),
  })
  .describe('One compared metric.');
export type MetricComparison = z.infer<typeof MetricComparisonSchema>;

export const ComparisonSchema = z
  .strictObject({
    verdict: VerdictSchema,
    same_environment: z.boolean().describe('True when both bundles ran the same runner version on the same tfjs backend.'),
    compared: z.number().int().min(0).describe('How many metrics were compared.'),
    max_abs_diff: z.number().min(0).describe('Largest |difference| over the compared metrics.'),
    differing: z.array(MetricComparisonSchema).describe('Metrics outside their tolerance (empty unless the verdict is "differs").'),
    inexact: z.array(MetricComparisonSchema).describe('Metrics within tolerance but not bit-for-bit equal (at most 50, largest first).'),
  })
  .describe('The comparison of a reproduction bundle with the stored one.');
export type Comparison = z.infer<typeof ComparisonSchema>;

function compare(metric: string, a: number | null, b: number | null, t: Tolerance): MetricComparison {
  if (a === null || b === null) {
    const same = a === b;
    return { metric, original: a, rerun: b, abs_diff: null, tolerance: 0, ok: same };
  }
  const diff = Math.abs(a - b);
  const tolerance = t.abs + t.rel * Math.max(Math.abs(a), Math.abs(b));
  return { metric, original: a, rerun: b, abs_diff: diff, tolerance, ok: diff <= tolerance };
}

/**
 * Compares a reproduction bundle with the original, metric by metric (pure; the runner and the
 * site call this same function). The caller checks beforehand that both ran the same config and
 * seed (same fingerprint and config.seed); this function only compares measurements.
 */
export function compareBundles(original: ResultBundle, rerun: ResultBundle): Comparison {
  const rows: MetricComparison[] = [];
  rows.push(compare('status', original.status === 'ok' ? 1 : 0, rerun.status === 'ok' ? 1 : 0, EXACT));
  rows.push(compare('epochs.length', original.epochs.length, rerun.epochs.length, EXACT));
  for (const [k, t] of Object.entries(SUMMARY_TOLERANCES))
    rows.push(compare(`summary.${k}`, original.summary?.[k as keyof typeof SUMMARY_TOLERANCES] ?? null, rerun.summary?.[k as keyof typeof SUMMARY_TOLERANCES] ?? null, t));
  for (const [k, t] of Object.entries(ENERGY_TOLERANCES))
    rows.push(compare(`energy.${k}`, original.energy?.[k as keyof typeof ENERGY_TOLERANCES] ?? null, rerun.energy?.[k as keyof typeof ENERGY_TOLERANCES] ?? null, t));
  const n = Math.min(original.epochs.length, rerun.epochs.length);
  for (let i = 0; i < n; i++)
    for (const [k, t] of Object.entries(EPOCH_TOLERANCES)) {
      const f = k as keyof typeof EPOCH_TOLERANCES;
      rows.push(compare(`epochs.${i}.${f}`, original.epochs[i]![f], rerun.epochs[i]![f], t));
    }
  const differing = rows.filter((r) => !r.ok);
  const byDiff = (x: MetricComparison, y: MetricComparison) => (y.abs_diff ?? Infinity) - (x.abs_diff ?? Infinity);
  const inexact = rows.filter((r) => r.ok && r.abs_diff !== null && r.abs_diff > 0).sort(byDiff);
  return {
    verdict: differing.length ? 'differs' : inexact.length ? 'within' : 'exact',
    same_environment:
      original.environment.runner_version === rerun.environment.runner_version && original.environment.backend === rerun.environment.backend,
    compared: rows.length,
    max_abs_diff: rows.reduce((m, r) => (r.abs_diff !== null && r.abs_diff > m ? r.abs_diff : m), 0),
    differing: differing.sort(byDiff),
    inexact: inexact.slice(0, 50),
  };
}

export const ReproductionStatementSchema = z
  .strictObject({
    schema_version: z.literal(REPRODUCTION_SCHEMA_VERSION).describe('ReproductionStatement schema version.'),
    original: z
      .strictObject({
        result_id: z.string().regex(RESULT_ID_RE, 'expected a result id: 20 lowercase hex digits').describe('Id of the stored result that was rerun.'),
        payload_sha256: Sha256HexSchema.describe('sha256 of the original envelope\'s payload bytes: pins the exact bundle that was compared.'),
      })
      .describe('The result this statement reproduces.'),
    bundle: ResultBundleSchema.describe('The reproducer\'s own ResultBundle: the same config and seed, rerun.'),
    verdict: VerdictSchema.describe('The verdict the reproducer computed (the site recomputes it and stores its own).'),
    created_at: z.iso.datetime({ offset: true }).describe('When the statement was signed.'),
  })
  .describe('ReproductionStatement v1: a signed claim that a stored result was rerun, with the rerun\'s bundle and the verdict.');
export type ReproductionStatement = z.infer<typeof ReproductionStatementSchema>;

/** Parses verified payload bytes as a ReproductionStatement (see parseVerifiedJson). */
export function parseReproductionStatementBytes(bytes: Uint8Array): ParseResult<ReproductionStatement> {
  return parseVerifiedJson(bytes, ReproductionStatementSchema);
}

/**
 * Whether `rerun` repeats `original`'s run record instead of being a new run: the same start or
 * finish timestamp, or the same wall time to the last bit (a real rerun starts later and its
 * wall-clock time differs). Returns the repeated field (a dotted bundle path) or null.
 */
export function repeatedRunRecord(original: ResultBundle, rerun: ResultBundle): string | null {
  if (rerun.started_at === original.started_at) return 'started_at';
  if (rerun.finished_at === original.finished_at) return 'finished_at';
  const a = original.summary?.wall_time_s;
  const b = rerun.summary?.wall_time_s;
  if (a !== undefined && b !== undefined && a === b && a > 0) return 'summary.wall_time_s';
  return null;
}

/** Trust tiers a result of an approved key moves between (see deriveTrustTier). */
export type DerivedTrustTier = 'signed' | 'reproduced' | 'disputed' | 'refuted';

/** Distinct identities, other than the owner's, that found `differs` before a result is refuted. */
export const REFUTING_IDENTITIES = 2;

/** One reproduction as the tier sees it. */
export interface TierInput {
  /** The reproducer's identity; null while its key is pending or once it is revoked (does not count). */
  identity: string | null;
  verdict: Verdict;
  received_at: string;
}

/**
 * The trust tier of a result of an approved key, from its reproductions and a maintainer's review.
 * Only reproductions by an identity other than the owner's count, each identity once per verdict:
 *   refuted     a maintainer confirmed the dispute, or REFUTING_IDENTITIES identities found differs (not ranked);
 *   disputed    one identity found differs (ranked, flagged);
 *   reproduced  an identity found exact or within, none differs;
 *   signed      otherwise.
 * A maintainer's `cleared` review discards the differs received up to the review (later ones count again).
 * The site stores the same rule in SQL (db/mutations/reproductions.ts) and tests that both agree.
 */
export function deriveTrustTier(
  ownerIdentity: string,
  reps: readonly TierInput[],
  review: { kind: 'confirmed' | 'cleared'; at: string } | null = null,
): DerivedTrustTier {
  if (review?.kind === 'confirmed') return 'refuted';
  const clearedAt = review?.kind === 'cleared' ? Date.parse(review.at) : -Infinity;
  const differs = new Set<string>();
  const agrees = new Set<string>();
  for (const r of reps) {
    if (r.identity === null || r.identity === ownerIdentity) continue;
    if (r.verdict === 'differs') {
      if (Date.parse(r.received_at) > clearedAt) differs.add(r.identity);
    } else agrees.add(r.identity);
  }
  if (differs.size >= REFUTING_IDENTITIES) return 'refuted';
  if (differs.size > 0) return 'disputed';
  return agrees.size > 0 ? 'reproduced' : 'signed';
}
