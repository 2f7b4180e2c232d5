/**
 * The API suite, run unchanged on every database setup (PGlite, node-postgres, @vercel/postgres):
 * route handlers are imported and called with real Requests against a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { fromBase64, jsonSchemas, RESULT_PAYLOAD_TYPE, toBase64, utf8, type DsseEnvelope } from '../../../../contract';
import { setDb } from '../../../../db/connect';
import type { DbHandle } from '../../../../db/types';
import { countResults, getResultEpochs } from '../../../../db/queries/results';
import { resultEpochs, results } from '../../../../db/schema';
import * as keysRoute from '../../../../app/api/keys/route';
import * as keyRoute from '../../../../app/api/keys/[id]/route';
import * as resultsRoute from '../../../../app/api/results/route';
import * as resultRoute from '../../../../app/api/results/[id]/route';
import * as envelopeRoute from '../../../../app/api/results/[id]/envelope/route';
import * as schemaRoute from '../../../../app/api/schema/[name]/route';
import * as openapiRoute from '../../../../app/api/openapi.json/route';
import * as adminKeysRoute from '../../../../app/api/admin/keys/route';
import * as approveRoute from '../../../../app/api/admin/keys/[id]/approve/route';
import * as revokeRoute from '../../../../app/api/admin/keys/[id]/revoke/route';
import * as hideRoute from '../../../../app/api/admin/results/[id]/hide/route';
import * as unhideRoute from '../../../../app/api/admin/results/[id]/unhide/route';
import { openTestDb, type DbKind, type TestDb } from '../../_helpers/databases';
import { get, newKey, params, post, registrationBody, signBundle, signBytes, type ApiErrorBody, type TestKey } from '../../../fixtures/api';
import { tinyConfig, validBundle } from '../../../fixtures/bundle';

const ADMIN = 'test-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN}` };

async function register(key: TestKey): Promise<Response> {
  return keysRoute.POST(post('/api/keys', await registrationBody(key)));
}
async function approve(keyid: string, headers: Record<string, string> = auth): Promise<Response> {
  return approveRoute.POST(post(`/api/admin/keys/${keyid}/approve`, '{}', { 'content-type': 'application/json', ...headers }), params({ id: keyid }));
}
async function submit(body: BodyInit, headers?: Record<string, string>): Promise<Response> {
  return resultsRoute.POST(post('/api/results', body, headers));
}

export function defineApiSuite(kind: DbKind): void {
  describe(`API on ${kind}`, () => {
    let t: TestDb;
    let db: DbHandle;
    let approved: TestKey;
    let pending: TestKey;
    let revoked: TestKey;
    const savedEnv = { ...process.env };

    beforeAll(async () => {
      t = await openTestDb(kind);
      db = t.db;
      setDb(db);
      process.env.ADMIN_TOKEN = ADMIN;
      delete process.env.HEADPREP_RATE_LIMIT;
      [approved, pending, revoked] = await Promise.all([newKey(), newKey(), newKey()]);
      for (const k of [approved, pending, revoked]) expect((await register(k)).status).toBe(201);
      expect((await approve(approved.keyid)).status).toBe(200);
      expect((await approve(revoked.keyid)).status).toBe(200);
      const r = await revokeRoute.POST(post(`/api/admin/keys/${revoked.keyid}/revoke`, '{}', { 'content-type': 'application/json', ...auth }), params({ id: revoked.keyid }));
      expect(r.status).toBe(200);
    });
    afterAll(async () => {
      setDb(null);
      process.env = savedEnv;
      await t?.close();
    });

    describe('key registration', () => {
      it('is idempotent: the same key again returns the stored key with 200', async () => {
        const r = await register(approved);
        expect(r.status).toBe(200);
        const body = (await r.json()) as { key: { key_id: string; status: string } };
        expect(body.key).toMatchObject({ key_id: approved.keyid, status: 'approved' });
      });
      it('caps new keys site-wide (429 with Retry-After); a known key registers again freely; nothing stored over the cap', async () => {
        // a window length no other test uses, so the counter starts at zero
        process.env.HEADPREP_KEY_REGISTRATION_LIMIT = '2';
        process.env.HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S = String(7 * 24 * 3600);
        try {
          const [a, b, c] = await Promise.all([newKey(), newKey(), newKey()]);
          expect((await register(a)).status).toBe(201);
          expect((await register(b)).status).toBe(201);
          const over = await register(c);
          expect(over.status).toBe(429);
          expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(((await over.json()) as ApiErrorBody).error.code).toBe('rate_limited');
          expect((await keyRoute.GET(get(`/api/keys/${c.keyid}`), params({ id: c.keyid }))).status).toBe(404);
          expect((await register(a)).status).toBe(200);
          // approved, so the admin tests' pending list stays as they set it up
          for (const k of [a, b]) expect((await approve(k.keyid)).status).toBe(200);
        } finally {
          delete process.env.HEADPREP_KEY_REGISTRATION_LIMIT;
          delete process.env.HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S;
        }
      });
      it('new keys are pending and publicly visible without contact', async () => {
        const r = await keyRoute.GET(get(`/api/keys/${pending.keyid}`), params({ id: pending.keyid }));
        expect(r.status).toBe(200);
        const body = (await r.json()) as { key: Record<string, unknown> };
        expect(body.key.status).toBe('pending');
        expect(body.key).not.toHaveProperty('contact');
      });
      it('refuses a registration signed by another key (no proof of possession): 401', async () => {
        const k = await newKey();
        const r = await keysRoute.POST(post('/api/keys', await registrationBody(k, { signer: approved })));
        expect(r.status).toBe(401);
        expect((await keyRoute.GET(get(`/api/keys/${k.keyid}`), params({ id: k.keyid }))).status).toBe(404);
      });
      it('refuses a stale issued_at (422) and a wrong payloadType (400)', async () => {
        const k = await newKey();
        const stale = await keysRoute.POST(post('/api/keys', await registrationBody(k, { issuedAt: new Date(Date.now() - 3600_000) })));
        expect(stale.status).toBe(422);
        expect(((await stale.json()) as ApiErrorBody).error).toMatchObject({ code: 'registration_stale', path: 'payload.issued_at' });
        const wrongType = await keysRoute.POST(post('/api/keys', await registrationBody(k, { payloadType: RESULT_PAYLOAD_TYPE })));
        expect(wrongType.status).toBe(400);
        expect((await keyRoute.GET(get(`/api/keys/${k.keyid}`), params({ id: k.keyid }))).status).toBe(404);
      });
      it('refuses a wrong content type (415), malformed bodies (400) and bad key ids (400/404)', async () => {
        const k = await newKey();
        const body = await registrationBody(k);
        expect((await keysRoute.POST(post('/api/keys', body, { 'content-type': 'text/plain' }))).status).toBe(415);
        expect((await keysRoute.POST(post('/api/keys', '{"payload":'))).status).toBe(400);
        expect((await keysRoute.POST(post('/api/keys', new Uint8Array(100 * 1024).fill(0x20)))).status).toBe(413);
        expect((await keyRoute.GET(get(`/api/keys/${k.keyid}`), params({ id: k.keyid }))).status).toBe(404);
        expect((await keyRoute.GET(get('/api/keys/xyz'), params({ id: 'xyz' }))).status).toBe(400);
      });
      it('refuses re-registering a revoked key: 403', async () => {
        expect((await register(revoked)).status).toBe(403);
      });
    });

    describe('admin', () => {
      it('is disabled without ADMIN_TOKEN (503) and refuses a wrong token (401)', async () => {
        delete process.env.ADMIN_TOKEN;
        const off = await approve(pending.keyid);
        expect(off.status).toBe(503);
        expect(((await off.json()) as ApiErrorBody).error.code).toBe('admin_disabled');
        process.env.ADMIN_TOKEN = ADMIN;
        expect((await approve(pending.keyid, { authorization: 'Bearer wrong' })).status).toBe(401);
        expect((await approve(pending.keyid, {})).status).toBe(401);
        const list = await adminKeysRoute.GET(get('/api/admin/keys?status=pending', auth));
        expect(list.status).toBe(200);
        const keys = ((await list.json()) as { keys: { key_id: string; contact: string }[] }).keys;
        expect(keys.map((k) => k.key_id)).toEqual([pending.keyid]);
        expect(keys[0]!.contact).toBe('lab@example.org');
      });
      it('404 for unknown keys, 409 for approving a revoked key', async () => {
        expect((await approve('f'.repeat(64))).status).toBe(404);
        expect((await approve(revoked.keyid)).status).toBe(409);
      });
    });

    describe('POST /api/results', () => {
      it('stores a valid envelope (201), readable by id with a byte-identical envelope; a replay returns the same id (200)', async () => {
        const before = await countResults(db);
        const body = await signBundle(await validBundle(1000), approved);
        const r = await submit(body);
        expect(r.status).toBe(201);
        const created = (await r.json()) as { id: string; created: boolean; url: string; key_status: string };
        expect(created).toMatchObject({ created: true, key_status: 'approved' });
        expect(created.url).toBe(`http://headprep.test/results/${created.id}`);

        const replay = await submit(body);
        expect(replay.status).toBe(200);
        expect(((await replay.json()) as { id: string }).id).toBe(created.id);
        expect(await countResults(db)).toBe(before + 1);

        const detail = await resultRoute.GET(get(`/api/results/${created.id}`), params({ id: created.id }));
        expect(detail.status).toBe(200);
        const d = (await detail.json()) as { result: { trust_tier: string; seed: number; test_acc: number; bundle: { fingerprint: string } } };
        const bundle = await validBundle(1000);
        expect(d.result).toMatchObject({ trust_tier: 'signed', seed: 1000, test_acc: bundle.summary!.test_acc });
        const env = await envelopeRoute.GET(get(`/api/results/${created.id}/envelope`), params({ id: created.id }));
        expect(env.status).toBe(200);
        expect(Buffer.from(await env.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
        const [row] = await db.select().from(results).where(eq(results.id, created.id));
        const last = bundle.epochs.at(-1)!;
        expect(row).toMatchObject({
          suiteName: 'tiny', suiteVersion: 1, backbone: 'linear', dataset: 'synthetic-linear', strategy: 'hp-tau', strategyVersion: 1,
          tau: 2, seed: 1000, keyId: approved.keyid, trustTier: 'signed', hidden: false, status: 'ok', fingerprint: bundle.fingerprint,
          testAcc: bundle.summary!.test_acc, bestValAcc: bundle.summary!.best_val_acc, lastTestAcc: bundle.summary!.last_test_acc,
          lpTestAcc: bundle.summary!.lp_test_acc, bestEpoch: bundle.summary!.best_epoch, aie: bundle.energy!.aie, featL2Dist: last.feat_l2_dist,
          featCosDist: last.feat_cos_dist, featCosSim: last.feat_cos_sim, featDot: last.feat_dot,
          featNorm: last.feat_norm, wallTimeS: 1.5, samplesPerSec: 1200, backend: 'cpu', runnerVersion: '0.1.0',
        });
        expect(row!.bundle).toEqual(bundle);
        expect(row!.config).toEqual(bundle.config);
        expect(Buffer.from(row!.envelope).equals(Buffer.from(body))).toBe(true);
        expect(row!.receivedAt).toBeInstanceOf(Date);
        const epochs = await getResultEpochs(db, created.id);
        expect(epochs.map((e) => e.epoch)).toEqual(bundle.epochs.map((_, i) => i));
        expect(epochs).toHaveLength(bundle.config.ft.epochs + 1);
        expect(epochs.map((e) => [e.trainLoss, e.valAcc, e.testAcc, e.energy, e.featCosSim, e.featDot])).toEqual(
          bundle.epochs.map((e) => [e.train_loss, e.val_acc, e.test_acc, e.energy, e.feat_cos_sim, e.feat_dot]),
        );
      });

      it('keeps the envelope byte for byte even with odd but valid JSON formatting', async () => {
        const env = JSON.parse(await signBundle(await validBundle(1001), approved)) as DsseEnvelope;
        const body = `  {\n\t"payloadType": ${JSON.stringify(env.payloadType)},  "payload":${JSON.stringify(env.payload)},"signatures":${JSON.stringify(env.signatures)} }\n\n`;
        const r = await submit(body);
        expect(r.status).toBe(201);
        const { id } = (await r.json()) as { id: string };
        const back = await envelopeRoute.GET(get(`/api/results/${id}/envelope`), params({ id }));
        expect(await back.text()).toBe(body);
      });

      it('the same payload re-signed by another approved key is a replay of the first', async () => {
        const other = await newKey();
        expect((await register(other)).status).toBe(201);
        expect((await approve(other.keyid)).status).toBe(200);
        const bundle = await validBundle(1002);
        const first = (await (await submit(await signBundle(bundle, approved))).json()) as { id: string };
        const again = await submit(await signBundle(bundle, other));
        expect(again.status).toBe(200);
        expect(((await again.json()) as { id: string }).id).toBe(first.id);
      });

      it('stores results of pending keys as pending (not ranked) until the key is approved', async () => {
        const k = await newKey();
        expect((await register(k)).status).toBe(201);
        const r = await submit(await signBundle(await validBundle(1003), k));
        expect(r.status).toBe(201);
        const { id, key_status } = (await r.json()) as { id: string; key_status: string };
        expect(key_status).toBe('pending');
        const tier = async () => (await db.select({ t: results.trustTier }).from(results).where(eq(results.id, id)))[0]!.t;
        expect(await tier()).toBe('pending');
        expect((await approve(k.keyid)).status).toBe(200);
        expect(await tier()).toBe('signed');
        await revokeRoute.POST(post(`/api/admin/keys/${k.keyid}/revoke`, '{}', { ...auth }), params({ id: k.keyid }));
        expect(await tier()).toBe('revoked');
      });

      describe('bad input: each refused with its status and code, nothing stored', () => {
        const cases: { name: string; status: number; code: string | RegExp; path?: string; make: () => Promise<{ body: BodyInit; headers?: Record<string, string> }> }[] = [
          {
            name: 'tampered payload byte',
            status: 401,
            code: 'signature_invalid',
            make: async () => {
              const env = JSON.parse(await signBundle(await validBundle(1), approved)) as DsseEnvelope;
              const bytes = fromBase64(env.payload);
              const i = utf8.decode(bytes).indexOf('"test_acc":') + 13;
              bytes[i] = bytes[i] === 0x38 ? 0x39 : 0x38; // one digit of summary.test_acc
              return { body: JSON.stringify({ ...env, payload: toBase64(bytes) }) };
            },
          },
          {
            name: 'tampered signature',
            status: 401,
            code: 'signature_invalid',
            make: async () => {
              const env = JSON.parse(await signBundle(await validBundle(2), approved)) as DsseEnvelope;
              const sig = fromBase64(env.signatures[0]!.sig);
              sig[10] = sig[10]! ^ 0x01;
              return { body: JSON.stringify({ ...env, signatures: [{ ...env.signatures[0]!, sig: toBase64(sig) }] }) };
            },
          },
          { name: 'unknown key', status: 401, code: 'unknown_key', make: async () => ({ body: await signBundle(await validBundle(3), await newKey()) }) },
          { name: 'revoked key', status: 403, code: 'key_revoked', make: async () => ({ body: await signBundle(await validBundle(4), revoked) }) },
          {
            name: 'wrong payloadType',
            status: 400,
            code: 'payload_type',
            path: 'payloadType',
            make: async () => ({ body: await signBundle(await validBundle(5), approved, 'application/vnd.in-toto+json') }),
          },
          { name: 'malformed JSON', status: 400, code: 'envelope_malformed', make: async () => ({ body: '{"payload": "abc",' }) },
          { name: 'valid JSON of the wrong shape', status: 400, code: 'envelope_malformed', make: async () => ({ body: JSON.stringify({ hello: 'world', n: [1, 2] }) }) },
          {
            name: 'signed payload that is not a ResultBundle',
            status: 422,
            code: 'bundle_invalid',
            make: async () => ({ body: JSON.stringify(await signBytes(utf8.encode(JSON.stringify({ schema_version: 1, suite: 'tiny' })), approved)) }),
          },
          {
            name: 'NaN metric (JSON null)',
            status: 422,
            code: 'bundle_invalid',
            path: 'payload.summary.test_acc',
            make: async () => {
              const b = await validBundle(6);
              (b.summary as { test_acc: number }).test_acc = NaN; // JSON.stringify writes null
              return { body: await signBundle(b, approved) };
            },
          },
          {
            name: 'Infinity metric (1e999)',
            status: 422,
            code: 'bundle_invalid',
            path: 'payload.epochs.1.feat_dot',
            make: async () => {
              const text = JSON.stringify(await validBundle(7)).replace('"feat_dot":9', '"feat_dot":1e999');
              return { body: JSON.stringify(await signBytes(utf8.encode(text), approved)) };
            },
          },
          {
            name: 'fingerprint mismatch',
            status: 422,
            code: 'check_failed.fingerprint',
            path: 'payload.fingerprint',
            make: async () => {
              const b = await validBundle(8);
              b.config.hp.lr = 0.5; // edited after the fingerprint was computed
              return { body: await signBundle(b, approved) };
            },
          },
          {
            name: 'unknown suite',
            status: 422,
            code: 'check_failed.suite_known',
            make: async () => ({ body: await signBundle(await validBundle(9, { suite: { name: 'no-such-suite', version: 1 } }), approved) }),
          },
          {
            name: 'strategy version the catalog does not know',
            status: 422,
            code: 'check_failed.strategy_known',
            make: async () => ({ body: await signBundle(await validBundle(10, { strategy: { id: 'hp-tau', version: 7 } }), approved) }),
          },
          {
            name: 'tau outside the suite grid',
            status: 422,
            code: 'check_failed.suite_cell',
            path: 'payload.config.tau',
            make: async () => ({ body: await signBundle(await validBundle(11, { tau: 5 }), approved) }),
          },
          {
            name: "a hyper-parameter that is not the suite's (fingerprint consistent)",
            status: 422,
            code: 'check_failed.suite_cell',
            path: 'payload.config.hp.lr',
            make: async () => {
              const t = tinyConfig();
              return { body: await signBundle(await validBundle(13, { hp: { ...t.hp, lr: t.hp.lr * 2 } }), approved) };
            },
          },
          {
            name: 'summary inconsistent with the epochs',
            status: 422,
            code: 'check_failed.epochs_consistent',
            make: async () => {
              const b = await validBundle(12);
              b.summary!.test_acc = 0.5;
              return { body: await signBundle(b, approved) };
            },
          },
          {
            name: '10 MB body',
            status: 413,
            code: 'body_too_large',
            make: async () => ({ body: new Uint8Array(10 * 1024 * 1024).fill(0x20) }),
          },
          {
            name: 'wrong content type',
            status: 415,
            code: 'unsupported_media_type',
            make: async () => ({ body: await signBundle(await validBundle(13), approved), headers: { 'content-type': 'text/plain' } }),
          },
          {
            name: 'invalid UTF-8',
            status: 400,
            code: 'envelope_malformed',
            make: async () => ({ body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }),
          },
        ];
        for (const c of cases)
          it(c.name, async () => {
            const before = await countResults(db);
            const epochsBefore = await db.$count(resultEpochs);
            const { body, headers } = await c.make();
            const r = await submit(body, headers);
            expect(r.status).toBe(c.status);
            const err = (await r.json()) as ApiErrorBody;
            expect(Object.keys(err)).toEqual(['error']);
            if (typeof c.code === 'string') expect(err.error.code).toBe(c.code);
            else expect(err.error.code).toMatch(c.code);
            expect(err.error.message.length).toBeGreaterThan(10);
            if (c.path) expect(err.error.path).toBe(c.path);
            expect(await countResults(db)).toBe(before);
            expect(await db.$count(resultEpochs)).toBe(epochsBefore);
          });

        it('keeps serving after all of them', async () => {
          const r = await submit(await signBundle(await validBundle(1999), approved));
          expect(r.status).toBe(201);
        });
      });

      it('200 concurrent submissions of 50 distinct envelopes (4 times each) store exactly 50 rows', async () => {
        const before = await countResults(db);
        const bodies = await Promise.all(Array.from({ length: 50 }, async (_, i) => signBundle(await validBundle(3000 + i), approved)));
        const sends = bodies.flatMap((b) => [b, b, b, b]);
        const responses = await Promise.all(sends.map((b) => submit(b)));
        const statuses = responses.map((r) => r.status);
        const odd = responses.filter((r) => r.status !== 200 && r.status !== 201);
        expect(await Promise.all(odd.map(async (r) => `${r.status} ${await r.text()}`))).toEqual([]);
        expect(statuses.filter((s) => s === 201)).toHaveLength(50);
        expect(statuses.filter((s) => s === 200)).toHaveLength(150);
        const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id));
        expect(new Set(ids).size).toBe(50);
        for (let i = 0; i < 50; i++) expect(new Set(ids.slice(4 * i, 4 * i + 4)).size).toBe(1);
        expect(await countResults(db)).toBe(before + 50);
      });

      it('rate-limits per key from the database counter (429 with Retry-After), other keys unaffected', async () => {
        const k = await newKey();
        await register(k);
        await approve(k.keyid);
        process.env.HEADPREP_RATE_LIMIT = '3';
        process.env.HEADPREP_RATE_LIMIT_WINDOW_S = '3600';
        try {
          const codes: number[] = [];
          for (let i = 0; i < 4; i++) codes.push((await submit(await signBundle(await validBundle(4000 + i), k))).status);
          expect(codes).toEqual([201, 201, 201, 429]);
          const limited = await submit(await signBundle(await validBundle(4010), k));
          expect(limited.status).toBe(429);
          expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(((await limited.json()) as ApiErrorBody).error.code).toBe('rate_limited');
          expect((await submit(await signBundle(await validBundle(4011), approved))).status).toBe(201);
        } finally {
          delete process.env.HEADPREP_RATE_LIMIT;
          delete process.env.HEADPREP_RATE_LIMIT_WINDOW_S;
        }
      });
    });

    describe('GET endpoints', () => {
      it('lists with filters, cursor pagination and CSV', async () => {
        const all: string[] = [];
        let url = `/api/results?suite=tiny@1&strategy=hp-tau&key=${approved.keyid}&limit=7`;
        for (let page = 0; page < 50; page++) {
          const r = await resultsRoute.GET(get(url));
          expect(r.status).toBe(200);
          const body = (await r.json()) as { items: { id: string; key_id: string; suite: string }[]; next_cursor: string | null; next: string | null };
          for (const it of body.items) expect(it).toMatchObject({ key_id: approved.keyid, suite: 'tiny@1' });
          all.push(...body.items.map((i) => i.id));
          if (!body.next) break;
          url = body.next.slice('http://headprep.test'.length);
        }
        const n = await db.$count(results, eq(results.keyId, approved.keyid));
        expect(all).toHaveLength(n);
        expect(new Set(all).size).toBe(n);
        const csv = await resultsRoute.GET(get(`/api/results?key=${approved.keyid}&format=csv&limit=1000`));
        expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
        const lines = (await csv.text()).trim().split('\n');
        expect(lines[0]!.startsWith('id,suite,')).toBe(true);
        expect(lines).toHaveLength(n + 1);
        for (const [q, path] of [['limit=0', 'limit'], ['suite=Bad Suite', 'suite'], ['cursor=zzz', 'cursor'], ['format=xml', 'format'], ['key=abc', 'key']] as const) {
          const bad = await resultsRoute.GET(get(`/api/results?${q}`));
          expect(bad.status).toBe(400);
          expect(((await bad.json()) as ApiErrorBody).error.path).toBe(path);
        }
      });

      it('hide / unhide removes a result from listings and restores it', async () => {
        const r = await submit(await signBundle(await validBundle(5000), approved));
        const { id } = (await r.json()) as { id: string };
        const listed = async () =>
          ((await (await resultsRoute.GET(get(`/api/results?key=${approved.keyid}&limit=1000`))).json()) as { items: { id: string }[] }).items.some((i) => i.id === id);
        expect(await listed()).toBe(true);
        expect((await hideRoute.POST(post(`/api/admin/results/${id}/hide`, '{}', auth), params({ id }))).status).toBe(200);
        expect(await listed()).toBe(false);
        expect((await unhideRoute.POST(post(`/api/admin/results/${id}/unhide`, '{}', auth), params({ id }))).status).toBe(200);
        expect(await listed()).toBe(true);
        expect((await hideRoute.POST(post('/api/admin/results/0000/hide', '{}', auth), params({ id: '0000' }))).status).toBe(404);
      });

      it('404 with the error envelope for unknown results', async () => {
        for (const id of ['0123456789abcdef0123', '../etc']) {
          const r = await resultRoute.GET(get(`/api/results/${id}`), params({ id }));
          expect(r.status).toBe(404);
          expect(((await r.json()) as ApiErrorBody).error.code).toBe('not_found');
          expect((await envelopeRoute.GET(get(`/api/results/${id}/envelope`), params({ id }))).status).toBe(404);
        }
      });

      it('serves the JSON Schemas and the OpenAPI document', async () => {
        const s = await schemaRoute.GET(get('/api/schema/result-bundle'), params({ name: 'result-bundle' }));
        expect(s.status).toBe(200);
        expect(await s.json()).toEqual(JSON.parse(JSON.stringify(jsonSchemas()['result-bundle'])));
        expect((await schemaRoute.GET(get('/api/schema/nope'), params({ name: 'nope' }))).status).toBe(404);
        const o = (await (await openapiRoute.GET(get('/api/openapi.json'))).json()) as { openapi: string; paths: Record<string, unknown> };
        expect(o.openapi).toBe('3.1.0');
        expect(Object.keys(o.paths)).toEqual(expect.arrayContaining(['/api/keys', '/api/results', '/api/results/{id}/envelope']));
      });
    });
  });
}
