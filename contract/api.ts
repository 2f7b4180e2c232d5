/**
 * Every answer the site's API gives (keys, results, reproductions, identities, dispute reviews,
 * leaderboards, configs, health), declared once here: the route handlers' DTOs are their z.infer
 * types and the OpenAPI document (app/_server/openapi.ts) is generated from them
 * (test/integration/app/api/openapi-conformance.test.ts checks real answers against it).
 */
import { z } from 'zod';
import { ComparisonSchema, VerdictSchema } from './reproduction';
import { ResultBundleSchema } from './schemas/bundle';

/** A key's status: pending until a maintainer approves it; revoked keys stay stored. */
export const KEY_STATUSES = ['pending', 'approved', 'revoked'] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];
export const KeyStatusSchema = z.enum(KEY_STATUSES).describe('Key status.');

/** A stored result's trust tier (docs/reproductions.md). */
export const TRUST_TIERS = ['pending', 'signed', 'reproduced', 'disputed', 'refuted', 'revoked'] as const;
export type TrustTier = (typeof TRUST_TIERS)[number];
export const TrustTierSchema = z.enum(TRUST_TIERS).describe('Trust tier (docs/reproductions.md).');

const iso = z.string().describe('ISO 8601');
const url = (what: string) => z.string().describe(what);

export const IdentityRefSchema = z
  .object({
    id: z.string().describe("identity id: the key id of the identity's first approved key"),
    name: z.string().describe('display name (a person or lab)'),
  })
  .describe('An identity: the keys of one person or lab, grouped by a maintainer.');
export type IdentityRef = z.infer<typeof IdentityRefSchema>;

export const ReproductionSummarySchema = z
  .object({
    id: z.string().describe('reproduction id: first 20 hex digits of its payload sha256'),
    result_id: z.string().describe('the reproduced result'),
    key_id: z.string().describe("reproducer's key id"),
    key_status: KeyStatusSchema,
    identity: IdentityRefSchema.nullable().describe("the reproducer's identity (null while its key is pending)"),
    counts: z
      .boolean()
      .describe("counts toward the result's tier: an approved key of another identity than the result's owner, and not a differs a maintainer cleared"),
    source: z.enum(['statement', 'result']).describe('POST /api/reproductions, or a second POST /api/results of the same (fingerprint, seed)'),
    verdict: VerdictSchema,
    claimed_verdict: VerdictSchema.nullable().describe("the statement's own verdict (never used; null for source result)"),
    backend: z.string().describe('tfjs backend of the rerun'),
    runner_version: z.string().describe('runner version of the rerun'),
    received_at: iso,
    differing: z.array(z.string()).describe('metrics outside tolerance'),
    max_abs_diff: z.number(),
  })
  .describe('One reproduction.');
export type ReproductionSummary = z.infer<typeof ReproductionSummarySchema>;

export const ReproductionPageSchema = z
  .object({
    items: z.array(ReproductionSummarySchema).describe('the counting reproductions first, then the others; oldest first within each'),
    next_cursor: z.string().nullable().describe('cursor of the next page (null on the last page)'),
    next: z.string().nullable().describe('full URL of the next page'),
  })
  .describe('One page of a result\'s reproductions.');

export const ReproducingIdentitiesSchema = z
  .object({
    reproduced_by: z.array(IdentityRefSchema).describe('independent identities that found exact or within'),
    disputed_by: z.array(IdentityRefSchema).describe('independent identities that found differs (not cleared by a maintainer)'),
  })
  .describe("The identities, other than the owner's, whose reproductions count.");
export type ReproducingIdentities = z.infer<typeof ReproducingIdentitiesSchema>;

export const IdentityMatchSchema = z
  .object({
    identity_id: z.string(),
    identity_name: z.string(),
    matched_on: z.array(z.enum(['name', 'contact'])).describe('what matched an approved key of that identity (case and surrounding space ignored)'),
    keys: z.array(z.object({ key_id: z.string(), name: z.string() })).describe('the approved keys that matched'),
  })
  .describe('The identity approving a pending key joins by default; the maintainer may choose "new" instead.');
export type IdentityMatch = z.infer<typeof IdentityMatchSchema>;

export const IdentityDecisionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    decision: z.enum(['new', 'matched', 'chosen']).describe('new: a new identity; matched: an approved key had the same name or contact; chosen: named in the request'),
    matched_on: z.array(z.enum(['name', 'contact'])),
  })
  .describe('The identity an approved key joined, and why.');
export type IdentityDecision = z.infer<typeof IdentityDecisionSchema>;

export const AdminKeyIdentitySchema = z
  .object({
    identity_id: z.string().nullable().describe('the identity of an approved key (null while pending)'),
    identity_match: IdentityMatchSchema.nullable().describe('pending keys: the identity approving joins by default (null: a new one)'),
  })
  .describe('admin only: identities');

export const ApproveBodySchema = z
  .object({ identity: z.string().optional().describe('"match" (default), "new", or an identity id') })
  .describe('Optional body of POST /api/admin/keys/<id>/approve.');

export const DisputeReviewBodySchema = z
  .object({ review: z.enum(['confirmed', 'cleared']).nullable().describe('confirmed: not ranked (refuted); cleared: the differs so far stop counting; null: withdraw') })
  .describe('Body of POST /api/admin/results/<id>/dispute.');

export const DisputeReviewAnswerSchema = z
  .object({
    id: z.string().describe('result id'),
    dispute_review: z.enum(['confirmed', 'cleared']).nullable(),
    trust_tier: z.string().describe("the result's tier after the review"),
  })
  .describe('Answer of POST /api/admin/results/<id>/dispute.');

export const HealthSchema = z
  .object({
    ok: z.literal(true).describe('the database answers and every migration of this build is applied (else 503 with the error envelope)'),
    database: z
      .object({
        driver: z.string().describe('pglite, node-postgres or vercel-postgres'),
        migrations: z.number().int().describe('migrations applied'),
        latency_ms: z.number().describe('round trip of the check query'),
      })
      .describe('The database check'),
    degraded: z.string().optional().describe('present when the site runs but something failed at start (e.g. storing the reference results)'),
    seed: z
      .object({
        state: z.enum(['idle', 'running', 'done', 'failed']).describe('idle: not started in this process; running: storing in the background'),
        todo: z.number().int().describe('reference envelopes still to store when this start began'),
        done: z.number().int().describe('of those, stored (or refused) so far'),
      })
      .describe("This process's first-start loading of the committed reference results (seed/README.md)"),
  })
  .describe('GET /api/health when healthy (200); otherwise 503 with the error envelope naming the reason.');
export type Health = z.infer<typeof HealthSchema>;

/** One line of the home page's recent activity: an approved key's results in one suite version on one UTC day. */
export const ActivityRowSchema = z
  .object({
    key_id: z.string().describe('the submitting key (approved keys only)'),
    key_name: z.string(),
    suite: z.string().describe('"name@version"'),
    day: z.string().describe('UTC day of the group, YYYY-MM-DD'),
    results: z.number().int().describe('results in the group'),
    ok: z.number().int().describe("results with status 'ok' (the rest are error bundles, stored for provenance)"),
    strategies: z.number().int().describe('distinct strategies'),
    seeds: z.number().int().describe('distinct seeds'),
    first_at: z.string().describe('ISO time of the first result of the group'),
    last_at: z.string().describe('ISO time of the last result of the group'),
  })
  .describe("Recent activity of approved keys, grouped by key, suite version and day (reference imports and smoke suites are one line each, not one per result).");
export type ActivityRow = z.infer<typeof ActivityRowSchema>;

/** A suite version the site knows (published, or with stored results), its description and its stored result count: a row of the home page and of the reference configs. */
export interface SuiteVersionRow {
  name: string;
  version: number;
  description: string | null;
  results: number;
}

/** A key as the public sees it (never its contact). */
export const PublicKeySchema = z
  .object({
    key_id: z.string().describe('hex sha256 of the raw public key'),
    public_key: z.string().describe('base64 of the raw 32-byte Ed25519 public key'),
    name: z.string().describe('submitter name'),
    status: KeyStatusSchema,
    created_at: iso,
    approved_at: z.string().nullable().describe('ISO 8601, when approved'),
    revoked_at: z.string().nullable().describe('ISO 8601, when revoked'),
  })
  .describe('A key as the public sees it (never its contact).');
export type PublicKeyInfo = z.infer<typeof PublicKeySchema>;

export const AdminKeySchema = PublicKeySchema.extend({ contact: z.string().describe('how maintainers reach the submitter') }).describe(
  'A key with its contact (admin only).',
);
export const AdminKeyListedSchema = AdminKeySchema.extend(AdminKeyIdentitySchema.shape).describe('A key with its contact and identity (admin only).');
export type AdminKeyListed = z.infer<typeof AdminKeyListedSchema>;

export const KeyAnswerSchema = z.object({ key: PublicKeySchema }).describe('Answer of POST /api/keys and GET /api/keys/<id>.');
export const AdminKeyListSchema = z
  .object({ keys: z.array(AdminKeyListedSchema).describe('newest first; a pending key shows the identity approving it joins by default') })
  .describe('Answer of GET /api/admin/keys.');
export const AdminKeyAnswerSchema = z
  .object({
    key: AdminKeySchema,
    identity: IdentityDecisionSchema.nullable().optional().describe('approve only: the identity the key joined (null: nothing changed)'),
  })
  .describe('Answer of POST /api/admin/keys/<id>/approve and /revoke.');
export const HiddenAnswerSchema = z
  .object({ id: z.string().describe('result id'), hidden: z.boolean().describe('true after hide, false after unhide') })
  .describe('Answer of POST /api/admin/results/<id>/hide and /unhide.');

/** The numbers of a result copied from its bundle (null for error bundles); also the CSV columns. */
const bundleNumber = z.number().nullable().describe('bundle value (null for error bundles)');

export const ResultSummarySchema = z
  .object({
    id: z.string().describe('result id: the first 20 hex digits of payload_sha256'),
    suite: z.string().describe('name@version'),
    suite_name: z.string().describe('suite name'),
    suite_version: z.number().int(),
    backbone: z.string().describe('backbone id'),
    dataset: z.string().describe('dataset id'),
    strategy: z.string().describe('strategy id'),
    strategy_version: z.number().int(),
    tau: z.number().int(),
    seed: z.number().int(),
    fingerprint: z.string().describe('protocol fingerprint'),
    key_id: z.string().describe("submitter's key id"),
    trust_tier: TrustTierSchema,
    hidden: z.boolean(),
    status: z.enum(['ok', 'error']),
    received_at: iso,
    test_acc: bundleNumber,
    best_val_acc: bundleNumber,
    last_test_acc: bundleNumber,
    lp_test_acc: bundleNumber,
    best_epoch: z.number().int().nullable().describe('best-validation epoch'),
    aie: bundleNumber,
    feat_l2_dist: bundleNumber,
    feat_cos_dist: bundleNumber,
    feat_cos_sim: bundleNumber,
    feat_dot: bundleNumber,
    feat_norm: bundleNumber,
    wall_time_s: bundleNumber,
    samples_per_sec: bundleNumber,
    backend: z.string().describe('tfjs backend'),
    runner_version: z.string().describe('runner version'),
  })
  .describe('One stored result (headline numbers and last-epoch feature metrics are copies of bundle values).');
export type ResultSummary = z.infer<typeof ResultSummarySchema>;

export const ResultDetailSchema = ResultSummarySchema.extend({
  payload_sha256: z.string().describe('hex sha256 of the signed payload'),
  bundle: ResultBundleSchema,
}).describe('One stored result with its bundle.');
export type ResultDetail = z.infer<typeof ResultDetailSchema>;

export const ResultListSchema = z
  .object({
    items: z.array(ResultSummarySchema),
    next_cursor: z.string().nullable().describe('cursor of the next page'),
    next: z.string().nullable().describe('URL of the next page'),
  })
  .describe('Answer of GET /api/results: a page, newest first (CSV: the same columns, Link: <next>; rel="next").');

export const ResultAnswerSchema = z
  .object({
    result: ResultDetailSchema,
    reproductions: ReproducingIdentitiesSchema.extend({ url: url('GET /api/reproductions?result=<id>: the full list') }),
    envelope_url: url('GET /api/results/<id>/envelope'),
    url: url('result page'),
  })
  .describe('Answer of GET /api/results/<id>.');

export const IngestAnswerSchema = z
  .object({
    id: z.string().describe('the stored result id (for a replay or a reproduction: the original result)'),
    created: z.boolean().describe('true when this request stored a new result'),
    url: url('result page'),
    api_url: url('GET /api/results/<id>'),
    key_id: z.string().describe("the stored result's owner: the signer of a new result, else the key that first stored it"),
    key_status: KeyStatusSchema,
    payload_sha256: z.string().describe('hex sha256 of the signed payload bytes (idempotency key)'),
    reproduction: z
      .object({ id: z.string().describe('reproduction id'), verdict: VerdictSchema, created: z.boolean(), url: url('GET /api/reproductions/<id>') })
      .optional()
      .describe('present when the bundle was recorded as a reproduction of result `id` (same fingerprint and seed, first stored by another key)'),
  })
  .describe('Answer of POST /api/results.');
export type IngestAnswer = z.infer<typeof IngestAnswerSchema>;

export const ReproductionDetailSchema = ReproductionSummarySchema.extend({
  payload_sha256: z.string().describe('hex sha256 of the signed payload'),
  comparison: ComparisonSchema,
  bundle: ResultBundleSchema,
}).describe('One reproduction with its comparison and the rerun bundle.');
export type ReproductionDetail = z.infer<typeof ReproductionDetailSchema>;

export const ReproductionGetAnswerSchema = z
  .object({ reproduction: ReproductionDetailSchema, result_url: url('result page') })
  .describe('Answer of GET /api/reproductions/<id>.');

export const ReproductionAnswerSchema = z
  .object({
    id: z.string().describe('reproduction id'),
    created: z.boolean().describe('false for a replay of a stored statement'),
    result_id: z.string().describe('the reproduced result'),
    key_id: z.string().describe("reproducer's key id"),
    key_status: KeyStatusSchema,
    verdict: VerdictSchema,
    claimed_verdict: VerdictSchema.nullable().describe("the statement's own verdict (never used)"),
    counts: z.boolean(),
    result_trust_tier: TrustTierSchema.describe("the result's tier after this reproduction"),
    comparison: ComparisonSchema,
    url: url('GET /api/reproductions/<id>'),
    result_url: url('result page'),
  })
  .describe('Answer of POST /api/reproductions.');
export type ReproductionAnswer = z.infer<typeof ReproductionAnswerSchema>;

/** A reference config: the best strategy of a cell, as a config `headprep run` accepts. */
export const ReferenceConfigSummarySchema = z
  .object({
    id: z.string().describe('the protocol fingerprint; GET /api/configs/<id> returns the CellConfig JSON'),
    suite: z.string().describe('name@version'),
    backbone: z.string(),
    dataset: z.string(),
    strategy: z.string(),
    tau: z.number().int(),
    n: z.number().int().describe('seeds'),
    test_acc: z
      .object({ mean: z.number(), lo: z.number(), hi: z.number() })
      .describe('test accuracy: the 95% confidence interval of the mean over seeds (lo = hi = mean when n = 1)'),
    aie: z.object({ mean: z.number(), min: z.number(), max: z.number() }).describe('expected initial energy band: min and max AIE over the seeds'),
    tied: z.number().int().describe('strategies tied with it for first place (not significantly worse than the leader)'),
  })
  .describe('The reference config of a cell: its best strategy.');
export type ReferenceConfigSummary = z.infer<typeof ReferenceConfigSummarySchema>;

const record = (what: string) => z.record(z.string(), z.unknown()).describe(what);

export const LeaderboardAnswerSchema = z
  .object({
    suite: z.string().describe('name@version'),
    filters: record('the filters applied (see the leaderboard page URL parameters)'),
    ranking: z.string().describe('how cells are ranked'),
    overall_method: z.string().describe('how the overall rank is computed'),
    overall: record('Friedman / Nemenyi over the shown strategies (contract/ranking/overall.ts OverallRanking)'),
    claims: z.array(record('one pre-registered claim of the suite version on the focus cell, with its verdict and evidence (a correlation lists at most 50 per-seed rows; seeds_omitted counts the rest, its test uses every seed)')),
    totals: z
      .object({ results: z.number().int(), seeds_ranked: z.number().int(), ranked_results: z.number().int(), reproductions: z.number().int() })
      .describe('stored results, ranked (cell, seed) pairs, ranked observations, reproductions'),
    rows: z.array(record('one strategy in one cell: mean, 95% CI, n seeds, rank, tie marker (same columns as format=csv)')),
    references: z.array(ReferenceConfigSummarySchema),
  })
  .describe('Answer of GET /api/leaderboard: the leaderboard of one suite version.');

export const SuiteIndexSchema = z
  .object({
    suites: z.array(
      z
        .object({
          name: z.string().describe('suite name'),
          version: z.number().int().describe('suite version'),
          description: z.string().describe("the suite's one-line description"),
          ranked: z.number().int().describe('visible results it holds whose key is approved (ranked tiers)'),
          pending: z.number().int().describe('visible results waiting for their key to be approved'),
        })
        .describe('one published suite version'),
    ),
  })
  .describe('Answer of GET /api/suites: every published suite version, with its result counts.');
export type SuiteIndexRow = z.infer<typeof SuiteIndexSchema>['suites'][number];

export const ConfigListSchema = z
  .object({
    configs: z.array(
      ReferenceConfigSummarySchema.extend({ url: url('GET /api/configs/<id>'), command: z.string().describe('the command that reruns it') }).describe(
        'the reference config of a cell, with where to fetch it and how to rerun it',
      ),
    ),
  })
  .describe('Answer of GET /api/configs: reference configs (best strategy per cell).');
