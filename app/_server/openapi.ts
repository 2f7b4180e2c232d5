import 'server-only';
import { z } from 'zod';
import {
  AdminKeyAnswerSchema,
  AdminKeyListSchema,
  ApiErrorSchema,
  ApproveBodySchema,
  CellConfigSchema,
  ComparisonSchema,
  IdentityDecisionSchema,
  IdentityMatchSchema,
  IdentityRefSchema,
  MetricComparisonSchema,
  PublicKeySchema,
  ReproductionSummarySchema,
  ResultSummarySchema,
  ConfigListSchema,
  SuiteIndexSchema,
  DisputeReviewAnswerSchema,
  DisputeReviewBodySchema,
  DsseEnvelopeSchema,
  HealthSchema,
  HiddenAnswerSchema,
  IngestAnswerSchema,
  KEY_REGISTRATION_PAYLOAD_TYPE,
  KeyAnswerSchema,
  KeyRegistrationSchema,
  LeaderboardAnswerSchema,
  RANKING_RULE,
  REPRODUCTION_PAYLOAD_TYPE,
  ReproductionAnswerSchema,
  ReproductionGetAnswerSchema,
  ReproductionPageSchema,
  ReproductionStatementSchema,
  RESULT_PAYLOAD_TYPE,
  ResultAnswerSchema,
  ResultBundleSchema,
  ResultListSchema,
  SCHEMA_NAMES,
  SuiteSchema,
  TRUST_TIERS,
  KEY_STATUSES,
} from '../../contract';
import { CHECKS } from './checks';

/**
 * The components of the document: contract/ zod schemas by name, converted to JSON Schema with
 * references between them (a schema used inside another is a $ref to its component). Nothing here
 * spells a shape out by hand.
 */
export const API_COMPONENTS = {
  ApiError: ApiErrorSchema,
  DsseEnvelope: DsseEnvelopeSchema,
  KeyRegistration: KeyRegistrationSchema,
  ResultBundle: ResultBundleSchema,
  CellConfig: CellConfigSchema,
  Suite: SuiteSchema,
  ReproductionStatement: ReproductionStatementSchema,
  Health: HealthSchema,
  KeyAnswer: KeyAnswerSchema,
  AdminKeyList: AdminKeyListSchema,
  AdminKeyAnswer: AdminKeyAnswerSchema,
  ApproveBody: ApproveBodySchema,
  HiddenAnswer: HiddenAnswerSchema,
  DisputeReviewBody: DisputeReviewBodySchema,
  DisputeReviewAnswer: DisputeReviewAnswerSchema,
  IngestAnswer: IngestAnswerSchema,
  ResultList: ResultListSchema,
  ResultAnswer: ResultAnswerSchema,
  ReproductionAnswer: ReproductionAnswerSchema,
  ReproductionPage: ReproductionPageSchema,
  ReproductionGetAnswer: ReproductionGetAnswerSchema,
  LeaderboardAnswer: LeaderboardAnswerSchema,
  ConfigList: ConfigListSchema,
  SuiteIndex: SuiteIndexSchema,
  PublicKey: PublicKeySchema,
  ResultSummary: ResultSummarySchema,
  ReproductionSummary: ReproductionSummarySchema,
  Comparison: ComparisonSchema,
  MetricComparison: MetricComparisonSchema,
  IdentityRef: IdentityRefSchema,
  IdentityMatch: IdentityMatchSchema,
  IdentityDecision: IdentityDecisionSchema,
} as const;
export type ComponentName = keyof typeof API_COMPONENTS;

type Json = Record<string, unknown>;

/** API_COMPONENTS as JSON Schema (draft 2020-12), each a component of the document. */
export function componentSchemas(): Record<ComponentName, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(API_COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<ComponentName, Json> };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return schemas;
}

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const JSON_TYPE = 'application/json';
/** A documented answer: its description and the component its JSON body is ("object": any JSON object, e.g. a JSON Schema). */
type Answer = [description: string, body: ComponentName | 'object'];
const err = (description: string): Answer => [description, 'ApiError'];
const unavailable = err('unavailable: the database is unreachable (Retry-After)');
const adminErrors: Record<string, Answer> = {
  '401': err('admin_unauthorized: missing or wrong admin token'),
  '404': err('not_found'),
  '503': err('admin_disabled (no ADMIN_TOKEN), or unavailable: the database is unreachable (Retry-After)'),
};
const submitErrors: Record<string, Answer> = {
  '400': err('envelope_malformed, payload_type or base64'),
  '401': err('unknown_key, key_invalid or signature_invalid'),
  '403': err('key_revoked'),
  '413': err('body_too_large, or quota_exceeded: a pending key past HEADPREP_PENDING_KEY_QUOTA_BYTES'),
  '415': err('unsupported_media_type'),
  '429': err('rate_limited; see Retry-After'),
  '503': unavailable,
};

interface Endpoint {
  summary: string;
  description?: string;
  admin?: boolean;
  params?: { name: string; in: 'path' | 'query'; description: string; required?: boolean }[];
  body?: { schema: ComponentName; required: boolean };
  answers: Record<string, Answer>;
  /** Statuses that may also answer text/csv (format=csv). */
  csv?: string[];
  /** The media type of its 2xx JSON answers, when not application/json. */
  media?: string;
}

const id = (description: string) => ({ name: 'id', in: 'path' as const, description });
const q = (name: string, description: string, required = false) => ({ name, in: 'query' as const, description, required });
const envelopeBody = { schema: 'DsseEnvelope' as const, required: true };

const KEY_ENDPOINTS: Record<string, Record<string, Endpoint>> = {
  '/api/keys': {
    post: {
      summary: 'Register a public key (proof of possession)',
      description: `Body: a DSSE envelope, payloadType "${KEY_REGISTRATION_PAYLOAD_TYPE}", whose payload is a KeyRegistration signed by the key it registers; issued_at within the server window. New keys are pending until an admin approves them.`,
      body: envelopeBody,
      answers: {
        '201': ['registered (pending)', 'KeyAnswer'],
        '200': ['already registered: the stored key, unchanged', 'KeyAnswer'],
        ...submitErrors,
        '401': err('signature_invalid (does not verify with the key it registers) or key_invalid (small-order or non-canonical key)'),
        '422': err('registration_invalid (path names the field) or registration_stale'),
        '429': err('rate_limited: the site-wide limit of new keys per window; see Retry-After'),
      },
    },
  },
  '/api/keys/{id}': {
    get: {
      summary: "A key's public status",
      params: [id('key id (hex sha256 of the raw public key)')],
      answers: { '200': ['key', 'KeyAnswer'], '400': err('bad_request: not 64 lowercase hex digits'), '404': err('not_found'), '503': unavailable },
    },
  },
};

const RESULT_ENDPOINTS: Record<string, Record<string, Endpoint>> = {
  '/api/results': {
    post: {
      summary: 'Submit a signed result envelope',
      description: `Body: a DSSE envelope, payloadType "${RESULT_PAYLOAD_TYPE}", payload = ResultBundle bytes. Order: size -> content type -> envelope -> signature over the exact payload bytes -> key not revoked -> replay (200, per-address replay limit) -> per-key rate limit -> bundle schema -> checks (${CHECKS.map((c) => c.name).join(', ')}) -> pending-key storage quota -> reproduction of a (fingerprint, seed) another key stored first (200 with reproduction) -> one transaction (201).`,
      body: envelopeBody,
      answers: {
        '201': ['stored', 'IngestAnswer'],
        '200': ['already stored (same payload bytes): the original id and its owner; or recorded as a reproduction (reproduction present)', 'IngestAnswer'],
        ...submitErrors,
        '422': err('bundle_invalid or check_failed.<name> (path: payload.<field>)'),
        '429': err('rate_limited: per-key limit on new results, or per-address limit on replays; see Retry-After'),
      },
    },
    get: {
      summary: 'List results (newest first, cursor pagination)',
      params: [
        q('suite', 'name or name@version'),
        q('backbone', 'backbone id'),
        q('dataset', 'dataset id'),
        q('strategy', 'strategy id'),
        q('key', 'key id'),
        q('fingerprint', 'protocol fingerprint'),
        q('tier', `trust tier: ${TRUST_TIERS.join('|')}`),
        q('cursor', 'next_cursor of the previous page'),
        q('limit', '1-1000, default 100'),
        q('format', 'json (default) or csv'),
      ],
      answers: { '200': ['a page of results (CSV: the same columns, Link: <next>; rel="next")', 'ResultList'], '400': err('bad_request (path names the parameter)'), '503': unavailable },
      csv: ['200'],
    },
  },
  '/api/results/{id}': {
    get: { summary: 'One result with its bundle', params: [id('result id')], answers: { '200': ['result', 'ResultAnswer'], '404': err('not_found'), '503': unavailable } },
  },
  '/api/results/{id}/envelope': {
    get: { summary: 'The submitted envelope, byte for byte', params: [id('result id')], answers: { '200': ['envelope', 'DsseEnvelope'], '404': err('not_found'), '503': unavailable } },
  },
  '/api/reproductions': {
    post: {
      summary: 'Submit a signed reproduction statement',
      description: `Body: a DSSE envelope, payloadType "${REPRODUCTION_PAYLOAD_TYPE}", payload = ReproductionStatement bytes. Order: size -> content type -> envelope -> signature over the exact payload bytes -> key not revoked -> replay (200) -> per-key rate limit -> statement schema -> original result exists and is the pinned payload -> not the result's own key -> the rerun bundle passes the result checks (its size capped like a result's) -> same fingerprint and seed -> a new run, not the original's run record (not_a_rerun) -> a pending key's storage quota (results and statements together) -> verdict recomputed from the two bundles and stored, result re-tiered (201). docs/reproductions.md.`,
      body: envelopeBody,
      answers: {
        '201': ['stored, with the verdict the site computed', 'ReproductionAnswer'],
        '200': ['already stored (same payload bytes)', 'ReproductionAnswer'],
        ...submitErrors,
        '404': err('not_found: no such result (path payload.original.result_id)'),
        '422': err('statement_invalid, original_mismatch, own_result, config_mismatch (fingerprint or seed), not_a_rerun (path payload.bundle.started_at / finished_at / summary.wall_time_s) or check_failed.<name> (path payload.bundle.<field>)'),
      },
    },
    get: {
      summary: "A page of a result's reproductions, the counting ones first",
      params: [q('result', 'result id', true), q('limit', '1-500, default 100'), q('cursor', 'next_cursor of the previous page')],
      answers: { '200': ['reproductions', 'ReproductionPage'], '400': err('bad_request: result is not a result id, or a malformed limit or cursor'), '503': unavailable },
    },
  },
  '/api/reproductions/{id}': {
    get: {
      summary: 'One reproduction with its comparison and bundle',
      params: [id('reproduction id')],
      answers: { '200': ['reproduction', 'ReproductionGetAnswer'], '404': err('not_found'), '503': unavailable },
    },
  },
};

const ADMIN_ENDPOINTS: Record<string, Record<string, Endpoint>> = {
  '/api/admin/keys': {
    get: {
      summary: 'List keys with contacts',
      admin: true,
      params: [q('status', KEY_STATUSES.join('|'))],
      answers: { '200': ['keys', 'AdminKeyList'], '400': err('bad_request: unknown status'), ...adminErrors },
    },
  },
  '/api/admin/keys/{id}/approve': {
    post: {
      summary: 'Approve a pending key into an identity (or move an approved key to another identity)',
      admin: true,
      params: [id('key id')],
      body: { schema: 'ApproveBody', required: false },
      answers: {
        '200': ['the key and the identity it joined (null: nothing changed)', 'AdminKeyAnswer'],
        '400': err('bad_request: the key id or identity is malformed (identity: "match", "new" or an identity id)'),
        '409': err('conflict: key is revoked'),
        ...adminErrors,
      },
    },
  },
  '/api/admin/keys/{id}/revoke': {
    post: { summary: 'Revoke a key', admin: true, params: [id('key id')], answers: { '200': ['key', 'AdminKeyAnswer'], '400': err('bad_request: malformed key id'), ...adminErrors } },
  },
  '/api/admin/results/{id}/hide': {
    post: { summary: 'Hide a result from leaderboards', admin: true, params: [id('result id')], answers: { '200': ['hidden', 'HiddenAnswer'], ...adminErrors } },
  },
  '/api/admin/results/{id}/unhide': {
    post: { summary: 'Show a hidden result again', admin: true, params: [id('result id')], answers: { '200': ['shown', 'HiddenAnswer'], ...adminErrors } },
  },
  '/api/admin/results/{id}/dispute': {
    post: {
      summary: "Confirm or clear a result's dispute",
      admin: true,
      params: [id('result id')],
      body: { schema: 'DisputeReviewBody', required: true },
      answers: { '200': ['reviewed', 'DisputeReviewAnswer'], '400': err('bad_request: review is not confirmed, cleared or null'), ...adminErrors },
    },
  },
};

const EXPORT_ENDPOINTS: Record<string, Record<string, Endpoint>> = {
  '/api/health': {
    get: {
      summary: 'Health: the database answers and is migrated; the first-start loading of the reference results',
      answers: { '200': ['up', 'Health'], '503': err('unavailable: the database is unreachable, or unmigrated: migrations are missing (the message names the reason)') },
    },
  },
  '/api/schema/{name}': {
    get: {
      summary: 'JSON Schema (draft 2020-12) of a wire type',
      params: [{ name: 'name', in: 'path', description: SCHEMA_NAMES.join(' | ') }],
      answers: { '200': ['a JSON Schema (draft 2020-12)', 'object'], '404': err('not_found') },
      media: 'application/schema+json',
    },
  },
  '/api/openapi.json': { get: { summary: 'This document', answers: { '200': ['OpenAPI 3.1', 'object'] } } },
  '/api/suites': { get: { summary: 'Every published suite version, with its result counts', answers: { '200': ['suites', 'SuiteIndex'], '503': unavailable } } },
  '/api/configs': { get: { summary: 'Reference configs (best strategy per cell)', answers: { '200': ['configs', 'ConfigList'], '503': unavailable } } },
  '/api/configs/{id}': {
    get: {
      summary: 'A reference CellConfig that headprep run accepts',
      params: [id('fingerprint'), q('seed', 'seed of the returned config (0 to 2147483647)')],
      answers: { '200': ['config', 'CellConfig'], '400': err('bad_request (path id or seed)'), '404': err('not_found: no ranked result has this fingerprint'), '503': unavailable },
    },
  },
  '/api/leaderboard': {
    get: {
      summary: 'Leaderboard view of a suite (json|csv)',
      description: `Ranking: ${RANKING_RULE}`,
      params: [q('suite', 'name@version', true), q('format', 'json|csv')],
      answers: { '200': ['leaderboard', 'LeaderboardAnswer'], '400': err('bad_request (path names the parameter)'), '404': err('not_found: unknown suite'), '503': unavailable },
      csv: ['200'],
    },
  },
};

/** Every documented endpoint: path -> method -> what it takes and answers. */
export const API_ENDPOINTS: Record<string, Record<string, Endpoint>> = { ...KEY_ENDPOINTS, ...RESULT_ENDPOINTS, ...ADMIN_ENDPOINTS, ...EXPORT_ENDPOINTS };

function operation(e: Endpoint): Json {
  const content = (status: string, body: Answer[1]) => ({
    [status < '300' && e.media ? e.media : JSON_TYPE]: { schema: body === 'object' ? { type: 'object' } : ref(body) },
  });
  return {
    summary: e.summary,
    ...(e.description ? { description: e.description } : {}),
    ...(e.admin ? { security: [{ adminToken: [] }] } : {}),
    ...(e.params ? { parameters: e.params.map((p) => ({ ...p, required: p.in === 'path' || p.required === true, schema: { type: 'string' } })) } : {}),
    ...(e.body ? { requestBody: { required: e.body.required, content: { [JSON_TYPE]: { schema: ref(e.body.schema) } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(e.answers).map(([status, [description, body]]) => [
        status,
        { description, content: { ...content(status, body), ...(e.csv?.includes(status) ? { 'text/csv': { schema: { type: 'string' } } } : {}) } },
      ]),
    ),
  };
}

/** OpenAPI 3.1 document of the HeadPrep API (served at /api/openapi.json). */
export function openApiDocument(origin: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'HeadPrep API',
      version: '1',
      description: 'Signed result ingest and exports of the HeadPrep leaderboard. Every error is {error:{code,message,path?}}. See docs/api.md.',
    },
    servers: [{ url: origin }],
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN of the server' } },
      schemas: componentSchemas(),
    },
    paths: Object.fromEntries(
      Object.entries(API_ENDPOINTS).map(([path, ops]) => [path, Object.fromEntries(Object.entries(ops).map(([m, e]) => [m, operation(e)]))]),
    ),
  };
}
