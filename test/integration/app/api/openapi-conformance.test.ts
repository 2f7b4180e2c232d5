/**
 * The published OpenAPI document against the real answers: a site on PGlite, seeded through the
 * real ingest path (keys registered and approved, signed tiny@1 results, a reproduction), is asked
 * every endpoint the document served at /api/openapi.json lists, and every answer (successes and
 * errors) is validated against that document's schema for its status and content type
 * (test/fixtures/json-schema-check.ts). An undocumented status fails, and so does an endpoint
 * the test never called; the last tests show that an answer of another shape fails.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPRODUCTION_PAYLOAD_TYPE, utf8, type ResultBundle } from '../../../../contract';
import { setDb } from '../../../../db/connect';
import { newKey, registrationBody, signBundle, signBytes, type TestKey } from '../../../fixtures/api';
import { validBundle } from '../../../fixtures/bundle';
import { schemaErrors } from '../../../fixtures/json-schema-check';
import { openTestDb, type TestDb } from '../../_helpers/databases';
import { startRouteServer, type RouteServer } from '../../_helpers/route-server';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: Json }> }> }>>;
}

const ADMIN = 'conformance-admin-token-0123456789';
const admin = { authorization: `Bearer ${ADMIN}` };
const NOT_THERE = '0'.repeat(20);

/** The documented schema of one answer, or why there is none. */
function documented(doc: Doc, method: string, template: string, status: number, contentType: string): Json | string {
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) return `${method} ${template} is not documented`;
  const res = op.responses[String(status)];
  if (!res) return `${method} ${template} answered ${status}, which is not documented (documented: ${Object.keys(op.responses).join(', ')})`;
  const media = Object.keys(res.content).find((m) => contentType.startsWith(m));
  if (!media) return `${method} ${template} ${status} answered ${contentType}, not one of ${Object.keys(res.content).join(', ')}`;
  return res.content[media]!.schema;
}

/** Every error of `body` against the document's schema for this answer. */
function conformance(doc: Doc, method: string, template: string, status: number, contentType: string, body: unknown): string[] {
  const schema = documented(doc, method, template, status, contentType);
  if (typeof schema === 'string') return [schema];
  return schemaErrors(schema, body, doc).map((e) => `${method} ${template} ${status}: ${e}`);
}

describe('OpenAPI conformance on a seeded site (PGlite)', () => {
  let t: TestDb;
  let site: RouteServer;
  let doc: Doc;
  const saved = { ...process.env };
  /** "METHOD template status" of every answer checked. */
  const seen = new Set<string>();
  const answers = new Map<string, unknown>();
  let owner: TestKey;
  let reproducer: TestKey;
  let bundle: ResultBundle;
  let resultId: string;
  let fingerprint: string;

  /** Calls the site, checks the answer against the document and returns its body. */
  async function call(method: string, template: string, path: string, expected: number, init: { body?: string; headers?: Record<string, string> } = {}) {
    const r = await fetch(`${site.url}${path}`, {
      method,
      body: init.body,
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
    const type = r.headers.get('content-type') ?? '';
    const text = await r.text();
    const body: unknown = /^application\/([a-z+]+\+)?json/.test(type) ? JSON.parse(text) : text;
    expect(r.status, `${method} ${path}: ${text.slice(0, 300)}`).toBe(expected);
    expect(conformance(doc, method, template, r.status, type, body)).toEqual([]);
    seen.add(`${method} ${template} ${r.status}`);
    answers.set(`${method} ${template} ${r.status}`, body);
    return body as Json;
  }

  beforeAll(async () => {
    t = await openTestDb('pglite');
    setDb(t.db);
    process.env.ADMIN_TOKEN = ADMIN;
    process.env.HEADPREP_SEED = '0';
    delete process.env.HEADPREP_RATE_LIMIT;
    site = await startRouteServer();
    doc = (await (await fetch(`${site.url}/api/openapi.json`)).json()) as Doc;
    [owner, reproducer] = await Promise.all([newKey(), newKey()]);
  });
  afterAll(async () => {
    await site?.close();
    setDb(null);
    process.env = saved;
    await t?.close();
  });

  it('keys: register, replay, look up, list, approve, revoke, and their errors', async () => {
    await call('POST', '/api/keys', '/api/keys', 201, { body: await registrationBody(owner) });
    await call('POST', '/api/keys', '/api/keys', 200, { body: await registrationBody(owner) });
    await call('POST', '/api/keys', '/api/keys', 400, { body: '{"payload":1}' });
    await call('POST', '/api/keys', '/api/keys', 201, { body: await registrationBody(reproducer, { name: 'other lab', contact: 'other@example.org' }) });
    await call('GET', '/api/keys/{id}', `/api/keys/${owner.keyid}`, 200);
    await call('GET', '/api/keys/{id}', `/api/keys/${'f'.repeat(64)}`, 404);
    await call('GET', '/api/keys/{id}', '/api/keys/nothex', 400);
    await call('GET', '/api/admin/keys', '/api/admin/keys', 200, { headers: admin });
    await call('GET', '/api/admin/keys', '/api/admin/keys?status=pending', 200, { headers: admin });
    await call('GET', '/api/admin/keys', '/api/admin/keys?status=sleepy', 400, { headers: admin });
    await call('GET', '/api/admin/keys', '/api/admin/keys', 401);
    for (const k of [owner, reproducer]) await call('POST', '/api/admin/keys/{id}/approve', `/api/admin/keys/${k.keyid}/approve`, 200, { body: '{}', headers: admin });
    await call('POST', '/api/admin/keys/{id}/approve', `/api/admin/keys/${'e'.repeat(64)}/approve`, 404, { body: '{}', headers: admin });
    await call('POST', '/api/admin/keys/{id}/approve', `/api/admin/keys/${owner.keyid}/approve`, 400, { body: '{"identity":"someone"}', headers: admin });
    const spare = await newKey();
    await call('POST', '/api/keys', '/api/keys', 201, { body: await registrationBody(spare, { name: 'spare', contact: 'spare@example.org' }) });
    await call('POST', '/api/admin/keys/{id}/revoke', `/api/admin/keys/${spare.keyid}/revoke`, 200, { body: '{}', headers: admin });
    await call('POST', '/api/admin/keys/{id}/approve', `/api/admin/keys/${spare.keyid}/approve`, 409, { body: '{}', headers: admin });
    await call('POST', '/api/admin/keys/{id}/revoke', '/api/admin/keys/nothex/revoke', 400, { body: '{}', headers: admin });
  });

  it('results: submit, replay, list (json and csv), read, envelope, and their errors', async () => {
    for (const seed of [0, 1, 2]) {
      const b = await validBundle(seed);
      const answer = await call('POST', '/api/results', '/api/results', 201, { body: await signBundle(b, owner) });
      if (seed === 0) [bundle, resultId, fingerprint] = [b, answer.id as string, b.fingerprint];
    }
    await call('POST', '/api/results', '/api/results', 200, { body: await signBundle(bundle, owner) });
    await call('POST', '/api/results', '/api/results', 400, { body: '[]' });
    await call('POST', '/api/results', '/api/results', 401, { body: await signBundle(await validBundle(7), await newKey()) });
    await call('POST', '/api/results', '/api/results', 422, { body: await signBundle({ ...bundle, fingerprint: 'a'.repeat(64) }, owner) });
    await call('GET', '/api/results', '/api/results?limit=2', 200);
    await call('GET', '/api/results', '/api/results?format=csv', 200);
    await call('GET', '/api/results', '/api/results?limit=0', 400);
    await call('GET', '/api/results/{id}', `/api/results/${resultId}`, 200);
    await call('GET', '/api/results/{id}', `/api/results/${NOT_THERE}`, 404);
    await call('GET', '/api/results/{id}/envelope', `/api/results/${resultId}/envelope`, 200);
    await call('GET', '/api/results/{id}/envelope', `/api/results/${NOT_THERE}/envelope`, 404);
  });

  it('reproductions: a statement, a second submission of a (fingerprint, seed), the list, one, and their errors', async () => {
    const payloadSha256 = (answers.get('GET /api/results/{id} 200') as { result: { payload_sha256: string } }).result.payload_sha256;
    // a rerun: the same config and seed, another run record
    const rerunOf = (b: ResultBundle, day: number): ResultBundle => ({
      ...b,
      started_at: `2026-11-${day}T10:00:00.000Z`,
      finished_at: `2026-11-${day}T10:00:01.600Z`,
      summary: { ...b.summary, wall_time_s: 1.6 },
    }) as ResultBundle;
    const rerun = rerunOf(bundle, 28);
    const statement = { schema_version: 1, original: { result_id: resultId, payload_sha256: payloadSha256 }, bundle: rerun, verdict: 'exact', created_at: new Date().toISOString() };
    const signed = async (s: unknown) => JSON.stringify(await signBytes(utf8.encode(JSON.stringify(s)), reproducer, REPRODUCTION_PAYLOAD_TYPE));
    const stored = await call('POST', '/api/reproductions', '/api/reproductions', 201, { body: await signed(statement) });
    await call('POST', '/api/reproductions', '/api/reproductions', 200, { body: await signed(statement) });
    await call('POST', '/api/reproductions', '/api/reproductions', 404, { body: await signed({ ...statement, original: { ...statement.original, result_id: NOT_THERE } }) });
    await call('POST', '/api/reproductions', '/api/reproductions', 422, { body: await signed({ ...statement, verdict: 'maybe' }) });
    await call('POST', '/api/reproductions', '/api/reproductions', 400, { body: '{}' });
    const second = await call('POST', '/api/results', '/api/results', 200, { body: await signBundle(rerunOf(await validBundle(1), 29), reproducer) });
    expect(second.reproduction).toBeDefined();
    await call('GET', '/api/reproductions', `/api/reproductions?result=${resultId}`, 200);
    await call('GET', '/api/reproductions', '/api/reproductions?result=nope', 400);
    await call('GET', '/api/reproductions/{id}', `/api/reproductions/${stored.id as string}`, 200);
    await call('GET', '/api/reproductions/{id}', `/api/reproductions/${NOT_THERE}`, 404);
  });

  it('admin result moderation: hide, unhide, dispute, and their errors', async () => {
    const [, other] = ((await call('GET', '/api/results', '/api/results', 200)).items as { id: string }[]).filter((r) => r.id !== resultId);
    await call('POST', '/api/admin/results/{id}/hide', `/api/admin/results/${other!.id}/hide`, 200, { body: '{}', headers: admin });
    await call('POST', '/api/admin/results/{id}/hide', `/api/admin/results/${NOT_THERE}/hide`, 404, { body: '{}', headers: admin });
    await call('POST', '/api/admin/results/{id}/unhide', `/api/admin/results/${other!.id}/unhide`, 200, { body: '{}', headers: admin });
    await call('POST', '/api/admin/results/{id}/unhide', `/api/admin/results/${other!.id}/unhide`, 401, { body: '{}' });
    await call('POST', '/api/admin/results/{id}/dispute', `/api/admin/results/${resultId}/dispute`, 200, { body: '{"review":null}', headers: admin });
    await call('POST', '/api/admin/results/{id}/dispute', `/api/admin/results/${resultId}/dispute`, 400, { body: '{"review":"maybe"}', headers: admin });
  });

  it('exports: health, leaderboard (json and csv), suites, configs, schemas, this document, and their errors', async () => {
    await call('GET', '/api/health', '/api/health', 200);
    await call('GET', '/api/leaderboard', '/api/leaderboard?suite=tiny@1', 200);
    await call('GET', '/api/leaderboard', '/api/leaderboard?suite=tiny@1&format=csv', 200);
    await call('GET', '/api/leaderboard', '/api/leaderboard', 400);
    await call('GET', '/api/leaderboard', '/api/leaderboard?suite=nothing-here@1', 404);
    const { suites } = (await call('GET', '/api/suites', '/api/suites', 200)) as { suites: { name: string; version: number }[] };
    expect(suites).toContainEqual(expect.objectContaining({ name: 'tiny', version: 1 }));
    const { configs } = (await call('GET', '/api/configs', '/api/configs', 200)) as { configs: { id: string }[] };
    expect(configs.map((c) => c.id)).toContain(fingerprint);
    await call('GET', '/api/configs/{id}', `/api/configs/${fingerprint}?seed=3`, 200);
    await call('GET', '/api/configs/{id}', `/api/configs/${fingerprint}?seed=-1`, 400);
    await call('GET', '/api/configs/{id}', `/api/configs/${'d'.repeat(64)}`, 404);
    await call('GET', '/api/schema/{name}', '/api/schema/result-bundle', 200);
    await call('GET', '/api/schema/{name}', '/api/schema/nothing', 404);
    await call('GET', '/api/openapi.json', '/api/openapi.json', 200);
    expect(site.thrown).toEqual([]);
  });

  it('every documented endpoint was called, with a success and an error where the site can give one on demand', () => {
    // no request makes these fail on a healthy database (their only errors are 503s)
    const onlySuccess = new Set(['GET /api/health', 'GET /api/openapi.json', 'GET /api/configs', 'GET /api/suites']);
    const missing: string[] = [];
    for (const [template, ops] of Object.entries(doc.paths))
      for (const method of Object.keys(ops)) {
        const name = `${method.toUpperCase()} ${template}`;
        const statuses = [...seen].filter((s) => s.startsWith(`${name} `)).map((s) => Number(s.slice(name.length + 1)));
        if (!statuses.some((s) => s < 300)) missing.push(`${name}: no success`);
        if (!onlySuccess.has(name) && !statuses.some((s) => s >= 400)) missing.push(`${name}: no error`);
      }
    expect(missing).toEqual([]);
  });

  it('fails when an answer changes shape: a missing, renamed, extra or retyped field, an error without its message', () => {
    const result = answers.get('GET /api/results/{id} 200') as Json & { result: Json };
    const check = (body: unknown, key = 'GET /api/results/{id} 200') => {
      const [method, template, status] = key.split(' ');
      return conformance(doc, method!, template!, Number(status), 'application/json', body);
    };
    expect(check(result)).toEqual([]);
    const { trust_tier: tier, ...withoutTier } = result.result;
    expect(check({ ...result, result: withoutTier })).toEqual([expect.stringContaining('result.trust_tier: required, missing')]);
    expect(check({ ...result, result: { ...withoutTier, trustTier: tier } }).join('\n')).toMatch(/trust_tier: required[\s\S]*trustTier: not in the schema/);
    expect(check({ ...result, extra: 1 })).toEqual([expect.stringContaining('$.extra: not in the schema')]);
    expect(check({ ...result, result: { ...result.result, seed: '0' } })).toEqual([expect.stringContaining('$.result.seed: expected integer, got string')]);
    expect(check({ ...result, result: { ...result.result, trust_tier: 'gold' } })).toEqual([expect.stringContaining('is not one of')]);
    const notFound = answers.get('GET /api/results/{id} 404') as { error: Json };
    expect(check(notFound, 'GET /api/results/{id} 404')).toEqual([]);
    expect(check({ error: { code: 'not_found' } }, 'GET /api/results/{id} 404')).toEqual([expect.stringContaining('message: required, missing')]);
    expect(check(result, 'GET /api/results/{id} 418')).toEqual([expect.stringContaining('answered 418, which is not documented')]);
  });
});
