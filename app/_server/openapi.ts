import 'server-only';
import { z } from 'zod';
import {
  AdminKeyIdentitySchema,
  ApproveBodySchema,
  DisputeReviewAnswerSchema,
  DisputeReviewBodySchema,
  HealthSchema,
  IdentityDecisionSchema,
  IdentityMatchSchema,
  IdentityRefSchema,
  jsonSchemas,
  ReproducingIdentitiesSchema,
  ReproductionPageSchema,
  ReproductionSummarySchema,
  RESULT_PAYLOAD_TYPE,
  KEY_REGISTRATION_PAYLOAD_TYPE,
  REPRODUCTION_PAYLOAD_TYPE,
} from '../../contract';
import { CHECKS } from './checks';

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});
const ok = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

// Response bodies (the route handlers' JSON; the DTOs are TypeScript interfaces, mirrored here).
type S = Record<string, unknown>;
const str = (description: string): S => ({ type: 'string', description });
const nullable = (t: string, description: string): S => ({ type: [t, 'null'], description });
const obj = (properties: Record<string, S>, description: string, optional: string[] = []): S => ({
  type: 'object',
  description,
  properties,
  required: Object.keys(properties).filter((k) => !optional.includes(k)),
});
const TIERS = ['pending', 'signed', 'reproduced', 'disputed', 'refuted', 'revoked'];
const KEY_STATUS = { type: 'string', enum: ['pending', 'approved', 'revoked'], description: 'Key status.' };
const VERDICT = { type: 'string', enum: ['exact', 'within', 'differs'], description: 'exact / within tolerance / differs (docs/reproductions.md).' };
const PublicKey = obj(
  {
    key_id: str('hex sha256 of the raw public key'),
    public_key: str('base64 of the raw 32-byte Ed25519 public key'),
    name: str('submitter name'),
    status: KEY_STATUS,
    created_at: str('ISO 8601'),
    approved_at: nullable('string', 'ISO 8601, when approved'),
    revoked_at: nullable('string', 'ISO 8601, when revoked'),
  },
  'A key as the public sees it (never its contact).',
);
const AdminKey = { allOf: [ref('PublicKey'), obj({ contact: str('how maintainers reach the submitter') }, 'admin only')] };
const AdminKeyListed = { allOf: [AdminKey, { $ref: '#/components/schemas/AdminKeyIdentity' }] };
const RESULT_NUMBERS = ['test_acc', 'best_val_acc', 'last_test_acc', 'lp_test_acc', 'aie', 'feat_l2_dist', 'feat_cos_dist', 'feat_cos_sim', 'feat_dot', 'feat_norm', 'wall_time_s', 'samples_per_sec'];
const ResultSummary = obj(
  {
    id: str('result id: the first 20 hex digits of payload_sha256'),
    suite: str('name@version'),
    suite_name: str('suite name'),
    suite_version: { type: 'integer' },
    backbone: str('backbone id'),
    dataset: str('dataset id'),
    strategy: str('strategy id'),
    strategy_version: { type: 'integer' },
    tau: { type: 'integer' },
    seed: { type: 'integer' },
    fingerprint: str('protocol fingerprint'),
    key_id: str("submitter's key id"),
    trust_tier: { type: 'string', enum: TIERS },
    hidden: { type: 'boolean' },
    status: { type: 'string', enum: ['ok', 'error'] },
    received_at: str('ISO 8601'),
    ...Object.fromEntries(RESULT_NUMBERS.map((k) => [k, nullable('number', `bundle value (null for error bundles)`)])),
    best_epoch: nullable('integer', 'best-validation epoch'),
    backend: str('tfjs backend'),
    runner_version: str('runner version'),
  },
  'One stored result (headline numbers and last-epoch feature metrics are copies of bundle values).',
);
const ResultDetail = { allOf: [ref('ResultSummary'), obj({ payload_sha256: str('hex sha256 of the signed payload'), bundle: ref('ResultBundle') }, 'detail')] };
const IngestAnswer = obj(
  {
    id: str('the stored result id (for a replay or a reproduction: the original result)'),
    created: { type: 'boolean', description: 'true when this request stored a new result' },
    url: str('result page'),
    api_url: str('GET /api/results/<id>'),
    key_id: str("the stored result's owner: the signer of a new result, else the key that first stored it"),
    key_status: KEY_STATUS,
    payload_sha256: str('hex sha256 of the signed payload bytes (idempotency key)'),
    reproduction: obj(
      { id: str('reproduction id'), verdict: VERDICT, created: { type: 'boolean' }, url: str('GET /api/reproductions/<id>') },
      'present when the bundle was recorded as a reproduction of result `id` (same fingerprint and seed, first stored by another key)',
    ),
  },
  'Answer of POST /api/results.',
  ['reproduction'],
);
const MetricComparison = obj(
    {
      metric: str('dotted bundle path, e.g. energy.aie, epochs.3.val_loss, status, epochs.length'),
      original: nullable('number', 'stored value'),
      rerun: nullable('number', 'reproduction value'),
      abs_diff: nullable('number', '|original - rerun|'),
      tolerance: { type: 'number', description: 'largest allowed |difference|' },
      ok: { type: 'boolean' },
    },
  'One compared metric.',
);
const Comparison = obj(
  {
    verdict: VERDICT,
    same_environment: { type: 'boolean', description: 'same runner version and backend' },
    compared: { type: 'integer' },
    max_abs_diff: { type: 'number' },
    differing: { type: 'array', items: ref('MetricComparison'), description: 'metrics outside tolerance, largest first' },
    inexact: { type: 'array', items: ref('MetricComparison'), description: 'within tolerance but not equal (at most 50)' },
  },
  'contract/reproduction.ts compareBundles, computed by the site.',
);
/** A contract/api.ts zod shape as JSON Schema (nested shapes inlined). */
const fromZod = (schema: z.ZodType): S => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as S;
  return rest;
};
const ReproductionSummary = fromZod(ReproductionSummarySchema);
const IdentityRef = fromZod(IdentityRefSchema);
const IdentityMatch = fromZod(IdentityMatchSchema);
const ReproductionDetail = {
  allOf: [ref('ReproductionSummary'), obj({ payload_sha256: str('hex sha256 of the signed payload'), comparison: ref('Comparison'), bundle: ref('ResultBundle') }, 'detail')],
};
const ReproductionAnswer = obj(
  {
    id: str('reproduction id'),
    created: { type: 'boolean', description: 'false for a replay of a stored statement' },
    result_id: str('the reproduced result'),
    key_id: str("reproducer's key id"),
    key_status: KEY_STATUS,
    verdict: VERDICT,
    claimed_verdict: { ...VERDICT, type: ['string', 'null'] },
    counts: { type: 'boolean' },
    result_trust_tier: { type: 'string', enum: TIERS, description: "the result's tier after this reproduction" },
    comparison: ref('Comparison'),
    url: str('GET /api/reproductions/<id>'),
    result_url: str('result page'),
  },
  'Answer of POST /api/reproductions.',
);
const free = (description: string): S => ({ type: 'object', additionalProperties: true, description });
const Leaderboard = obj(
  {
    suite: str('name@version'),
    filters: free('the filters applied (see the leaderboard page URL parameters)'),
    ranking: str('how cells are ranked'),
    overall_method: str('how the overall rank is computed'),
    overall: { type: 'array', items: free('one strategy: overall rank and win rate') },
    rows: { type: 'array', items: free('one strategy in one cell: mean, 95% CI, n seeds, rank, tie group (same columns as format=csv)') },
    references: { type: 'array', items: free('reference config of a cell (as in GET /api/configs)') },
  },
  'Leaderboard of one suite version.',
);
const ConfigList = obj(
  { configs: { type: 'array', items: { type: 'object', additionalProperties: true, properties: { id: str('fingerprint'), url: str('GET /api/configs/<id>'), command: str('the command that reruns it') }, required: ['id', 'url', 'command'] } } },
  'Reference configs (best strategy per cell).',
);
const unavailable = err('the database is unreachable (503 unavailable, with Retry-After)');
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const q = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
const admin = { security: [{ adminToken: [] }] };
const adminErrors = {
  '401': err('admin_unauthorized: missing or wrong admin token'),
  '404': err('not_found'),
  '503': err('admin_disabled (no ADMIN_TOKEN), or unavailable: the database is unreachable (Retry-After)'),
};

/** OpenAPI 3.1 document of the HeadPrep API (served at /api/openapi.json). */
export function openApiDocument(origin: string): Record<string, unknown> {
  const schemas = jsonSchemas();
  const strip = (s: Record<string, unknown>) => {
    const { $schema: _s, $id: _i, ...rest } = s;
    return rest;
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'HeadPrep API',
      version: '1',
      description:
        'Signed result ingest and exports of the HeadPrep leaderboard. Every error is {error:{code,message,path?}}. See docs/api.md.',
    },
    servers: [{ url: origin }],
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the server' } },
      schemas: {
        ApiError: strip(schemas['api-error']),
        DsseEnvelope: strip(schemas['dsse-envelope']),
        KeyRegistration: strip(schemas['key-registration']),
        ResultBundle: strip(schemas['result-bundle']),
        CellConfig: strip(schemas['cell-config']),
        Suite: strip(schemas.suite),
        ReproductionStatement: strip(schemas['reproduction-statement']),
        PublicKey,
        ResultSummary,
        MetricComparison,
        Comparison,
        ReproductionSummary,
        IdentityRef,
        IdentityMatch,
        AdminKeyIdentity: fromZod(AdminKeyIdentitySchema),
      },
    },
    paths: {
      '/api/health': {
        get: {
          summary: 'Health: the database answers and is migrated; the first-start loading of the reference results',
          responses: { '200': ok('up', fromZod(HealthSchema)), '503': err('unavailable: the database is unreachable, or unmigrated: migrations are missing (the message names the reason)') },
        },
      },
      '/api/keys': {
        post: {
          summary: 'Register a public key (proof of possession)',
          description: `Body: a DSSE envelope, payloadType "${KEY_REGISTRATION_PAYLOAD_TYPE}", whose payload is a KeyRegistration signed by the key it registers; issued_at within the server window. New keys are pending until an admin approves them.`,
          requestBody: { required: true, content: { 'application/json': { schema: ref('DsseEnvelope') } } },
          responses: {
            '201': ok('registered (pending)', obj({ key: ref('PublicKey') }, 'the new key')),
            '200': ok('already registered: the stored key, unchanged', obj({ key: ref('PublicKey') }, 'the stored key')),
            '400': err('envelope_malformed, payload_type or base64'),
            '401': err('signature_invalid (does not verify with the key it registers) or key_invalid (small-order or non-canonical key)'),
            '403': err('key_revoked'),
            '413': err('body_too_large'),
            '415': err('unsupported_media_type'),
            '422': err('registration_invalid (path names the field) or registration_stale'),
            '429': err('rate_limited: the site-wide limit of new keys per window; see Retry-After'),
            '503': unavailable,
          },
        },
      },
      '/api/keys/{id}': {
        get: {
          summary: "A key's public status",
          parameters: [idParam('id', 'key id (hex sha256 of the raw public key)')],
          responses: { '200': ok('key', obj({ key: ref('PublicKey') }, 'the key')), '404': err('not_found'), '503': unavailable },
        },
      },
      '/api/results': {
        post: {
          summary: 'Submit a signed result envelope',
          description: `Body: a DSSE envelope, payloadType "${RESULT_PAYLOAD_TYPE}", payload = ResultBundle bytes. Order: size -> content type -> envelope -> signature over the exact payload bytes -> key not revoked -> replay (200, per-address replay limit) -> per-key rate limit -> bundle schema -> checks (${CHECKS.map((c) => c.name).join(', ')}) -> pending-key storage quota -> reproduction of a (fingerprint, seed) another key stored first (200 with reproduction) -> one transaction (201).`,
          requestBody: { required: true, content: { 'application/json': { schema: ref('DsseEnvelope') } } },
          responses: {
            '201': ok('stored', IngestAnswer),
            '200': ok('already stored (same payload bytes): the original id and its owner; or recorded as a reproduction (reproduction present)', IngestAnswer),
            '400': err('envelope_malformed, payload_type or base64'),
            '401': err('unknown_key, key_invalid or signature_invalid'),
            '403': err('key_revoked'),
            '413': err('body_too_large, or quota_exceeded (a pending key past HEADPREP_PENDING_KEY_QUOTA_BYTES)'),
            '415': err('unsupported_media_type'),
            '422': err('bundle_invalid or check_failed.<name> (path: payload.<field>)'),
            '429': err('rate_limited: per-key limit on new results, or per-address limit on replays; see Retry-After'),
            '503': unavailable,
          },
        },
        get: {
          summary: 'List results (newest first, cursor pagination)',
          parameters: [
            q('suite', 'name or name@version'),
            q('backbone', 'backbone id'),
            q('dataset', 'dataset id'),
            q('strategy', 'strategy id'),
            q('key', 'key id'),
            q('fingerprint', 'protocol fingerprint'),
            q('tier', 'trust tier: pending|signed|reproduced|disputed|refuted|revoked'),
            q('cursor', 'next_cursor of the previous page'),
            q('limit', '1-1000, default 100'),
            q('format', 'json (default) or csv'),
          ],
          responses: {
            '200': {
              description: 'a page of results (CSV: the same columns, Link: <next>; rel="next")',
              content: {
                'application/json': {
                  schema: obj(
                    { items: { type: 'array', items: ref('ResultSummary') }, next_cursor: nullable('string', 'cursor of the next page'), next: nullable('string', 'URL of the next page') },
                    'a page',
                  ),
                },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '400': err('bad_request (path names the parameter)'),
            '503': unavailable,
          },
        },
      },
      '/api/results/{id}': {
        get: {
          summary: 'One result with its bundle',
          parameters: [idParam('id', 'result id')],
          responses: {
            '200': ok(
              'result',
              obj(
                {
                  result: ResultDetail,
                  reproductions: { allOf: [fromZod(ReproducingIdentitiesSchema), obj({ url: str('GET /api/reproductions?result=<id>: the full list') }, 'list')] },
                  envelope_url: str('GET /api/results/<id>/envelope'),
                  url: str('result page'),
                },
                'the result',
              ),
            ),
            '404': err('not_found'),
            '503': unavailable,
          },
        },
      },
      '/api/results/{id}/envelope': {
        get: { summary: 'The submitted envelope, byte for byte', parameters: [idParam('id', 'result id')], responses: { '200': ok('envelope', ref('DsseEnvelope')), '404': err('not_found'), '503': unavailable } },
      },
      '/api/reproductions': {
        post: {
          summary: 'Submit a signed reproduction statement',
          description: `Body: a DSSE envelope, payloadType "${REPRODUCTION_PAYLOAD_TYPE}", payload = ReproductionStatement bytes. Order: size -> content type -> envelope -> signature over the exact payload bytes -> key not revoked -> replay (200) -> per-key rate limit -> statement schema -> original result exists and is the pinned payload -> not the result's own key -> the rerun bundle passes the result checks (its size capped like a result's) -> same fingerprint and seed -> a new run, not the original's run record (not_a_rerun) -> a pending key's storage quota (results and statements together) -> verdict recomputed from the two bundles and stored, result re-tiered (201). docs/reproductions.md.`,
          requestBody: { required: true, content: { 'application/json': { schema: ref('DsseEnvelope') } } },
          responses: {
            '201': ok('stored, with the verdict the site computed', ReproductionAnswer),
            '200': ok('already stored (same payload bytes)', ReproductionAnswer),
            '400': err('envelope_malformed, payload_type or base64'),
            '401': err('unknown_key, key_invalid or signature_invalid'),
            '403': err('key_revoked'),
            '404': err('not_found: no such result (path payload.original.result_id)'),
            '415': err('unsupported_media_type'),
            '413': err('body_too_large, or quota_exceeded: a pending key past its storage quota'),
            '422': err('statement_invalid, original_mismatch, own_result, config_mismatch (fingerprint or seed), not_a_rerun (path payload.bundle.started_at / finished_at / summary.wall_time_s) or check_failed.<name> (path payload.bundle.<field>)'),
            '429': err('rate_limited; see Retry-After'),
            '503': unavailable,
          },
        },
        get: {
          summary: "A page of a result's reproductions, the counting ones first",
          parameters: [{ ...q('result', 'result id (required)'), required: true }, q('limit', '1-500, default 100'), q('cursor', 'next_cursor of the previous page')],
          responses: {
            '200': ok('reproductions', fromZod(ReproductionPageSchema)),
            '400': err('bad_request: result is not a result id, or a malformed limit or cursor'),
            '503': unavailable,
          },
        },
      },
      '/api/reproductions/{id}': {
        get: {
          summary: 'One reproduction with its comparison and bundle',
          parameters: [idParam('id', 'reproduction id')],
          responses: {
            '200': ok('reproduction', obj({ reproduction: ReproductionDetail, result_url: str('result page') }, 'the reproduction')),
            '404': err('not_found'),
            '503': unavailable,
          },
        },
      },
      '/api/schema/{name}': {
        get: {
          summary: 'JSON Schema of a wire type',
          parameters: [idParam('name', Object.keys(schemas).join(' | '))],
          responses: { '200': ok('JSON Schema (draft 2020-12)', { $ref: 'https://json-schema.org/draft/2020-12/schema' }), '404': err('not_found') },
        },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1', { $ref: 'https://spec.openapis.org/oas/3.1/schema/2022-10-07' }) } } },
      '/api/admin/keys': {
        get: {
          summary: 'List keys with contacts',
          ...admin,
          parameters: [q('status', 'pending|approved|revoked')],
          responses: { '200': ok('keys', obj({ keys: { type: 'array', items: AdminKeyListed } }, 'newest first; a pending key shows the identity approving it joins by default')), '400': err('bad_request: unknown status'), ...adminErrors },
        },
      },
      '/api/admin/keys/{id}/approve': {
        post: {
          summary: 'Approve a pending key into an identity (or move an approved key to another identity)',
          ...admin,
          parameters: [idParam('id', 'key id')],
          requestBody: { required: false, content: { 'application/json': { schema: fromZod(ApproveBodySchema) } } },
          responses: {
            '200': ok('key', obj({ key: AdminKey, identity: { anyOf: [fromZod(IdentityDecisionSchema), { type: 'null' }] } }, 'the key and the identity it joined (null: nothing changed)')),
            '400': err('bad_request: identity is not "match", "new" or an identity id'),
            '409': err('conflict: key is revoked'),
            ...adminErrors,
          },
        },
      },
      '/api/admin/keys/{id}/revoke': {
        post: { summary: 'Revoke a key', ...admin, parameters: [idParam('id', 'key id')], responses: { '200': ok('key', obj({ key: AdminKey }, 'the key')), ...adminErrors } },
      },
      '/api/admin/results/{id}/hide': {
        post: { summary: 'Hide a result from leaderboards', ...admin, parameters: [idParam('id', 'result id')], responses: { '200': ok('hidden', obj({ id: str('result id'), hidden: { const: true } }, 'done')), ...adminErrors } },
      },
      '/api/admin/results/{id}/dispute': {
        post: {
          summary: "Confirm or clear a result's dispute",
          ...admin,
          parameters: [idParam('id', 'result id')],
          requestBody: { required: true, content: { 'application/json': { schema: fromZod(DisputeReviewBodySchema) } } },
          responses: { '200': ok('reviewed', fromZod(DisputeReviewAnswerSchema)), '400': err('bad_request: review is not confirmed, cleared or null'), ...adminErrors },
        },
      },
      '/api/admin/results/{id}/unhide': {
        post: { summary: 'Show a hidden result again', ...admin, parameters: [idParam('id', 'result id')], responses: { '200': ok('shown', obj({ id: str('result id'), hidden: { const: false } }, 'done')), ...adminErrors } },
      },
      '/api/configs': { get: { summary: 'Reference configs (best strategy per cell)', responses: { '200': ok('configs', ConfigList), '503': unavailable } } },
      '/api/configs/{id}': {
        get: {
          summary: 'A reference CellConfig that headprep run accepts',
          parameters: [idParam('id', 'fingerprint'), q('seed', 'seed of the returned config (0 to 2147483647)')],
          responses: { '200': ok('config', ref('CellConfig')), '400': err('bad_request (path id or seed)'), '404': err('not_found: no ranked result has this fingerprint'), '503': unavailable },
        },
      },
      '/api/leaderboard': {
        get: {
          summary: 'Leaderboard view of a suite (json|csv)',
          parameters: [q('suite', 'name@version (required)'), q('format', 'json|csv')],
          responses: {
            '200': { description: 'leaderboard', content: { 'application/json': { schema: Leaderboard }, 'text/csv': { schema: { type: 'string' } } } },
            '400': err('bad_request (path names the parameter)'),
            '404': err('not_found: unknown suite'),
            '503': unavailable,
          },
        },
      },
    },
  };
}
