import 'server-only';
import { JSON_SCHEMAS, RESULT_PAYLOAD_TYPE, KEY_REGISTRATION_PAYLOAD_TYPE } from '../../contract';
import { CHECKS } from './checks';

const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});
const ok = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({
  description,
  content: { 'application/json': { schema } },
});
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const q = (name: string, description: string) => ({ name, in: 'query', required: false, schema: { type: 'string' }, description });
const admin = { security: [{ adminToken: [] }] };
const adminErrors = { '401': err('missing or wrong admin token'), '404': err('unknown id'), '503': err('admin disabled (no ADMIN_TOKEN)') };

/** OpenAPI 3.1 document of the HeadPrep API (served at /api/openapi.json). */
export function openApiDocument(origin: string): Record<string, unknown> {
  const schemas = JSON_SCHEMAS();
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
      },
    },
    paths: {
      '/api/keys': {
        post: {
          summary: 'Register a public key (proof of possession)',
          description: `Body: a DSSE envelope, payloadType "${KEY_REGISTRATION_PAYLOAD_TYPE}", whose payload is a KeyRegistration signed by the key it registers; issued_at within the server window. New keys are pending until an admin approves them.`,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DsseEnvelope' } } } },
          responses: {
            '201': ok('registered (pending)'),
            '200': ok('already registered: the stored key'),
            '400': err('malformed envelope or wrong payloadType'),
            '401': err('signature does not verify with the registered key'),
            '403': err('the key was revoked'),
            '413': err('body too large'),
            '415': err('Content-Type is not application/json'),
            '422': err('registration_invalid or registration_stale'),
            '429': err('the site-wide limit of new keys per window is reached; see Retry-After'),
          },
        },
      },
      '/api/keys/{id}': {
        get: { summary: "A key's public status", parameters: [idParam('id', 'key id (hex sha256 of the raw public key)')], responses: { '200': ok('key'), '404': err('unknown key') } },
      },
      '/api/results': {
        post: {
          summary: 'Submit a signed result envelope',
          description: `Body: a DSSE envelope, payloadType "${RESULT_PAYLOAD_TYPE}", payload = ResultBundle bytes. Order: size -> content type -> envelope -> signature -> key status -> rate limit -> replay -> bundle schema -> checks (${CHECKS.map((c) => c.name).join(', ')}) -> one transaction. Replays return the original id with 200.`,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DsseEnvelope' } } } },
          responses: {
            '201': ok('stored'),
            '200': ok('already stored (same payload bytes): the original id'),
            '400': err('malformed envelope, bad base64 or wrong payloadType'),
            '401': err('unknown key or signature does not verify'),
            '403': err('key revoked'),
            '413': err('body too large'),
            '415': err('Content-Type is not application/json'),
            '422': err('bundle_invalid or check_failed.<name>'),
            '429': err('per-key rate limit; see Retry-After'),
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
            q('tier', 'trust tier: pending|signed|reproduced|disputed|revoked'),
            q('cursor', 'next_cursor of the previous page'),
            q('limit', '1-1000, default 100'),
            q('format', 'json (default) or csv'),
          ],
          responses: { '200': { description: 'a page of results', content: { 'application/json': {}, 'text/csv': {} } }, '400': err('bad filter') },
        },
      },
      '/api/results/{id}': { get: { summary: 'One result with its bundle', parameters: [idParam('id', 'result id')], responses: { '200': ok('result'), '404': err('unknown result') } } },
      '/api/results/{id}/envelope': {
        get: { summary: 'The submitted envelope, byte for byte', parameters: [idParam('id', 'result id')], responses: { '200': ok('envelope', { $ref: '#/components/schemas/DsseEnvelope' }), '404': err('unknown result') } },
      },
      '/api/schema/{name}': {
        get: { summary: 'JSON Schema of a wire type', parameters: [idParam('name', Object.keys(schemas).join(' | '))], responses: { '200': ok('JSON Schema'), '404': err('unknown schema') } },
      },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': ok('OpenAPI 3.1') } } },
      '/api/admin/keys': { get: { summary: 'List keys with contacts', ...admin, parameters: [q('status', 'pending|approved|revoked')], responses: { '200': ok('keys'), ...adminErrors } } },
      '/api/admin/keys/{id}/approve': { post: { summary: 'Approve a pending key', ...admin, parameters: [idParam('id', 'key id')], responses: { '200': ok('key'), '409': err('key is revoked'), ...adminErrors } } },
      '/api/admin/keys/{id}/revoke': { post: { summary: 'Revoke a key', ...admin, parameters: [idParam('id', 'key id')], responses: { '200': ok('key'), ...adminErrors } } },
      '/api/admin/results/{id}/hide': { post: { summary: 'Hide a result from leaderboards', ...admin, parameters: [idParam('id', 'result id')], responses: { '200': ok('hidden'), ...adminErrors } } },
      '/api/admin/results/{id}/unhide': { post: { summary: 'Show a hidden result again', ...admin, parameters: [idParam('id', 'result id')], responses: { '200': ok('shown'), ...adminErrors } } },
      '/api/configs': { get: { summary: 'Reference configs (best strategy per cell)', responses: { '200': ok('configs') } } },
      '/api/configs/{id}': { get: { summary: 'A reference CellConfig that headprep run accepts', parameters: [idParam('id', 'fingerprint')], responses: { '200': ok('config', { $ref: '#/components/schemas/CellConfig' }), '404': err('unknown config') } } },
      '/api/leaderboard': { get: { summary: 'Leaderboard view of a suite (json|csv)', parameters: [q('suite', 'name@version (required)'), q('format', 'json|csv')], responses: { '200': ok('leaderboard'), '400': err('bad query'), '404': err('no results') } } },
    },
  };
}
