/**
 * Response shapes of the site's trust endpoints (reproduction lists, identities, dispute reviews,
 * health), declared once here: the route handlers' DTOs are their z.infer types and the OpenAPI
 * document (app/_server/openapi.ts) is generated from them.
 */
import { z } from 'zod';
import { VerdictSchema } from './reproduction';
import type { SuiteObservation } from './ranking/observations';

const KeyStatusSchema = z.enum(['pending', 'approved', 'revoked']).describe('Key status.');
const iso = z.string().describe('ISO 8601');

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

/** Every suite version's observations (approved keys only), descriptions and result counts: what the home page, the reference configs and the overall views are built from. */
export interface AllSuitesData {
  observations: SuiteObservation[];
  suites: { name: string; version: number; description: string | null; results: number }[];
}
