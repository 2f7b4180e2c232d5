/**
 * Issue 11's hardening findings as tests, run unchanged on PGlite and (TEST_DATABASE_URL) Postgres:
 * route handlers called with real Requests against a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { fromHex, KEY_REGISTRATION_PAYLOAD_TYPE, keyIdOfRaw, RESULT_PAYLOAD_TYPE, toBase64, utf8 } from '../../../../../contract';
import { setDb } from '../../../../../db/connect';
import type { DbHandle } from '../../../../../db/types';
import { insertPendingKey, setKeyStatus } from '../../../../../db/mutations/keys';
import { keys, results } from '../../../../../db/schema';
import * as keysRoute from '../../../../../app/api/keys/route';
import * as resultsRoute from '../../../../../app/api/results/route';
import * as configRoute from '../../../../../app/api/configs/[id]/route';
import * as leaderboardRoute from '../../../../../app/api/leaderboard/route';
import * as resultRoute from '../../../../../app/api/results/[id]/route';
import * as envelopeRoute from '../../../../../app/api/results/[id]/envelope/route';
import * as openapiRoute from '../../../../../app/api/openapi.json/route';
import { ALL_WEAK_KEYS, SMALL_ORDER_CANONICAL } from '../../../../fixtures/ed25519-vectors';
import { get, newKey, params, post, registrationBody, signBundle, signBytes, type ApiErrorBody, type TestKey } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { openHardeningDb, type HardeningDb } from '../../../_helpers/databases';

const ADMIN = 'hardening-admin-token-0123456789';
/** Seeds of this run's bundles: distinct per run, so a kept Postgres test database never sees a replay. */
const SEED = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

export async function submit(body: BodyInit, headers?: Record<string, string>): Promise<Response> {
  return resultsRoute.POST(post('/api/results', body, headers));
}

export async function registerApproved(db: DbHandle, k: TestKey): Promise<void> {
  expect((await keysRoute.POST(post('/api/keys', await registrationBody(k)))).status).toBe(201);
  expect((await setKeyStatus(db, k.keyid, 'approved'))?.status).toBe('approved');
}

/** A KeyRegistration envelope for raw key bytes with arbitrary signature bytes (for weak keys). */
function registrationWithSig(raw: Uint8Array, sig: Uint8Array, keyid: string, name = 'weak'): string {
  const reg = { public_key: toBase64(raw), name, contact: 'x@example.org', issued_at: new Date().toISOString() };
  return JSON.stringify({
    payload: toBase64(utf8.encode(JSON.stringify(reg))),
    payloadType: KEY_REGISTRATION_PAYLOAD_TYPE,
    signatures: [{ keyid, sig: toBase64(sig) }],
  });
}

async function keyCount(db: DbHandle): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(keys);
  return Number(r!.n);
}

async function errorOf(r: Response): Promise<ApiErrorBody['error']> {
  return ((await r.json()) as ApiErrorBody).error;
}

/** Signs arbitrary JSON text as a result payload (the bundle need not be valid). */
async function signText(text: string, k: TestKey): Promise<string> {
  return JSON.stringify(await signBytes(utf8.encode(text), k));
}

export function defineHardeningSuite(kind: HardeningDb): void {
  describe(`hardening on ${kind}`, () => {
    let db: DbHandle;
    const savedEnv = { ...process.env };

    beforeAll(async () => {
      db = await openHardeningDb(kind);
      setDb(db);
      process.env.ADMIN_TOKEN = ADMIN;
      delete process.env.HEADPREP_RATE_LIMIT;
      delete process.env.HEADPREP_KEY_REGISTRATION_LIMIT;
      process.env.HEADPREP_SEED = '0';
    });
    afterAll(async () => {
      setDb(null);
      process.env = savedEnv;
      await db?.$close();
    });

    describe('small-order and non-canonical Ed25519 keys', () => {
      it(`are refused at registration (422 at payload.public_key), all ${ALL_WEAK_KEYS.length} encodings, before a key slot is used`, async () => {
        const before = await keyCount(db);
        // R = identity, S = 0: "verifies" every message under the identity key with Web Crypto alone
        const forged = new Uint8Array(64);
        forged.set(fromHex(SMALL_ORDER_CANONICAL[0]!.hex));
        for (const v of ALL_WEAK_KEYS) {
          const raw = fromHex(v.hex);
          const keyid = await keyIdOfRaw(raw);
          const r = await keysRoute.POST(post('/api/keys', registrationWithSig(raw, forged, keyid)));
          expect(r.status, v.name).toBe(422);
          const err = ((await r.json()) as ApiErrorBody).error;
          expect(err, v.name).toMatchObject({ code: 'registration_invalid', path: 'payload.public_key' });
          expect(err.message, v.name).toMatch(/small order|canonical/);
        }
        expect(await keyCount(db)).toBe(before);
      });

      it('a small-order key stored before the fix verifies nothing at ingest (401 key_invalid, nothing stored)', async () => {
        const raw = fromHex(SMALL_ORDER_CANONICAL[0]!.hex);
        const { key } = await insertPendingKey(db, { publicKeyRaw: raw, name: 'legacy identity key', contact: 'x@example.org' });
        await setKeyStatus(db, key.keyId, 'approved');
        const bundle = await validBundle(SEED + 4242);
        const forged = new Uint8Array(64);
        forged.set(raw);
        const body = JSON.stringify({
          payload: toBase64(utf8.encode(JSON.stringify(bundle))),
          payloadType: RESULT_PAYLOAD_TYPE,
          signatures: [{ keyid: key.keyId, sig: toBase64(forged) }],
        });
        const r = await submit(body);
        expect(r.status).toBe(401);
        expect(((await r.json()) as ApiErrorBody).error.code).toBe('key_invalid');
        expect(await db.select().from(results).where(eq(results.keyId, key.keyId))).toHaveLength(0);
      });

      it('a normal key still registers and submits', async () => {
        const k = await newKey();
        await registerApproved(db, k);
        expect((await submit(await signBundle(await validBundle(SEED + 4243), k))).status).toBe(201);
      });
    });

    describe('client input that used to answer an empty 500 gets a 4xx error envelope', () => {
      let k: TestKey;
      beforeAll(async () => {
        k = await newKey();
        await registerApproved(db, k);
      });

      it('suite.version >= 2^31 (the column is 32-bit): 422 at payload.suite.version', async () => {
        const b = await validBundle(SEED + 5001);
        const text = JSON.stringify({ ...b, suite: { ...b.suite, version: 2 ** 31 }, config: { ...b.config, suite: { ...b.config.suite, version: 2 ** 31 } } });
        const r = await submit(await signText(text, k));
        expect(r.status).toBe(422);
        expect(await errorOf(r)).toMatchObject({ code: 'bundle_invalid', path: 'payload.suite.version' });
      });

      it('NUL or a lone surrogate in any bundle string, or in a key: 422 naming the field', async () => {
        const b = await validBundle(SEED + 5002);
        const cases: [string, string][] = [
          [JSON.stringify({ ...b, environment: { ...b.environment, cpu: 'cpu\u0000x' } }), 'payload.environment.cpu'],
          [JSON.stringify({ ...b, environment: { ...b.environment, os: 'linux \ud800' } }), 'payload.environment.os'],
          [JSON.stringify({ ...b, status: 'error', summary: null, error_message: 'boom \udc00' }), 'payload.error_message'],
          [JSON.stringify(b).replace('{"schema_version"', '{"x\\u0000y":1,"schema_version"'), 'payload.x\u0000y'],
        ];
        for (const [text, path] of cases) {
          const r = await submit(await signText(text, k));
          expect(r.status, path).toBe(422);
          const e = await errorOf(r);
          expect(e.code, path).toBe('bundle_invalid');
          expect(e.path, path).toBe(path);
          expect(e.message, path).toMatch(/NUL|surrogate/);
        }
        expect(await db.select().from(results).where(eq(results.seed, SEED + 5002))).toHaveLength(0);
      });

      it('NUL in a registration name: 422 at payload.name, before a new-key slot is used', async () => {
        process.env.HEADPREP_KEY_REGISTRATION_LIMIT = '1';
        process.env.HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S = String(11 * 24 * 3600 + Math.floor(Math.random() * 1e6));
        try {
          const [a, b] = [await newKey(), await newKey()];
          for (const name of ['lab\u0000', 'lab \ud800']) {
            const r = await keysRoute.POST(post('/api/keys', await registrationBody(a, { name })));
            expect(r.status).toBe(422);
            expect(await errorOf(r)).toMatchObject({ code: 'registration_invalid', path: 'payload.name' });
          }
          // the one slot of this window is still free
          expect((await keysRoute.POST(post('/api/keys', await registrationBody(b)))).status).toBe(201);
        } finally {
          delete process.env.HEADPREP_KEY_REGISTRATION_LIMIT;
          delete process.env.HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S;
        }
      });

      it('/api/configs/<fp>?seed=99999999999: 400 at seed', async () => {
        const fp = 'a'.repeat(64);
        const r = await configRoute.GET(get(`/api/configs/${fp}?seed=99999999999`), params({ id: fp }));
        expect(r.status).toBe(400);
        expect(await errorOf(r)).toMatchObject({ code: 'bad_request', path: 'seed' });
      });

      it('/api/leaderboard?suite=%25 (decoded twice before): 400 at suite', async () => {
        for (const q of ['%25', '%2525', 'tiny%40%25']) {
          const r = await leaderboardRoute.GET(get(`/api/leaderboard?suite=${q}`));
          expect(r.status, q).toBe(400);
          expect(await errorOf(r)).toMatchObject({ code: 'bad_request', path: 'suite' });
        }
      });
    });

    describe('replays', () => {
      const window = () => String(13 * 24 * 3600 + Math.floor(Math.random() * 1e6)); // a counter of its own
      afterAll(() => {
        for (const k of ['HEADPREP_RATE_LIMIT', 'HEADPREP_RATE_LIMIT_WINDOW_S', 'HEADPREP_REPLAY_LIMIT', 'HEADPREP_TRUST_PROXY']) delete process.env[k];
      });

      it("a third party replaying a public envelope past 2x the limit spends none of the owner's quota; answers name the owner", async () => {
        const LIMIT = 5;
        process.env.HEADPREP_RATE_LIMIT = String(LIMIT);
        process.env.HEADPREP_RATE_LIMIT_WINDOW_S = window();
        const [owner, claimer] = [await newKey(), await newKey()];
        await registerApproved(db, owner);
        expect((await keysRoute.POST(post('/api/keys', await registrationBody(claimer)))).status).toBe(201); // pending
        const bundle = await validBundle(SEED + 6001);
        const first = await submit(await signBundle(bundle, owner));
        expect(first.status).toBe(201);
        const { id } = (await first.json()) as { id: string };
        const publicEnvelope = await (await envelopeRoute.GET(get(`/api/results/${id}/envelope`), params({ id }))).text();
        const statuses: number[] = [];
        for (let i = 0; i < 2 * LIMIT + 1; i++) {
          const r = await submit(publicEnvelope);
          statuses.push(r.status);
          expect(await r.json()).toMatchObject({ id, created: false, key_id: owner.keyid, key_status: 'approved' });
        }
        expect(statuses).toEqual(Array(2 * LIMIT + 1).fill(200));
        // the same payload re-signed by a throwaway pending key: still the owner's result, and named so
        const claim = await submit(await signBundle(bundle, claimer));
        expect(claim.status).toBe(200);
        expect(await claim.json()).toMatchObject({ id, key_id: owner.keyid, key_status: 'approved' });
        console.log(`replay flood: ${2 * LIMIT + 1} third-party replays (per-key limit ${LIMIT}) all 200 naming the owner; owner's next new result:`);
        const next = await submit(await signBundle(await validBundle(SEED + 6002), owner));
        console.log(`  ${next.status}`);
        expect(next.status).toBe(201);
        // the owner's quota still counts new results: LIMIT - 2 more fit, then 429
        for (let i = 0; i < LIMIT - 2; i++) expect((await submit(await signBundle(await validBundle(SEED + 6003 + i), owner))).status).toBe(201);
        expect((await submit(await signBundle(await validBundle(SEED + 6100), owner))).status).toBe(429);
      });

      it('replays are limited per client address (behind a trusted proxy)', async () => {
        process.env.HEADPREP_RATE_LIMIT = '2';
        process.env.HEADPREP_RATE_LIMIT_WINDOW_S = window();
        process.env.HEADPREP_REPLAY_LIMIT = '3';
        process.env.HEADPREP_TRUST_PROXY = '1';
        const owner = await newKey();
        await registerApproved(db, owner);
        const body = await signBundle(await validBundle(SEED + 6200), owner);
        const from = (ip: string) => submit(body, { 'content-type': 'application/json', 'x-forwarded-for': `${ip}, 10.9.9.9` });
        expect((await from('198.51.100.7')).status).toBe(201);
        for (let i = 0; i < 3; i++) expect((await from('203.0.113.5')).status).toBe(200);
        const over = await from('203.0.113.5');
        expect(over.status).toBe(429);
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await errorOf(over)).message).toMatch(/replays .* from 203\.0\.113\.5/);
        expect((await from('203.0.113.6')).status).toBe(200);
        expect((await submit(await signBundle(await validBundle(SEED + 6201), owner))).status).toBe(201);
      });
    });

    describe('storage caps of unapproved keys', () => {
      afterAll(() => {
        delete process.env.HEADPREP_PENDING_KEY_QUOTA_BYTES;
      });

      it('an error bundle with 3,491 epochs from a pending key is refused (422 at payload.epochs), nothing stored', async () => {
        const k = await newKey();
        expect((await keysRoute.POST(post('/api/keys', await registrationBody(k)))).status).toBe(201); // pending
        const b = await validBundle(SEED + 8001);
        b.status = 'error';
        b.summary = null;
        b.error_message = 'diverged';
        const row = b.epochs[0]!;
        b.epochs = Array.from({ length: 3491 }, (_, epoch) => ({ ...row, epoch }));
        const r = await submit(await signBundle(b, k));
        expect(r.status).toBe(422);
        const e = await errorOf(r);
        expect(e).toMatchObject({ code: 'check_failed.epochs_capped', path: 'payload.epochs' });
        expect(e.message).toContain('3491 rows');
        expect(await db.select({ id: results.id }).from(results).where(eq(results.keyId, k.keyid))).toEqual([]);
      });

      it('a padded payload over what the suite allows is refused (422 check_failed.payload_size)', async () => {
        const k = await newKey();
        await registerApproved(db, k);
        const b = await validBundle(SEED + 8002);
        // pretty-printed with a huge indent: valid JSON, same bundle, far more bytes than a cell makes
        const text = JSON.stringify(b, null, 10).replace(/\n/g, '\n' + ' '.repeat(2000));
        const r = await submit(await signText(text, k));
        expect(r.status).toBe(422);
        expect(await errorOf(r)).toMatchObject({ code: 'check_failed.payload_size', path: 'payload' });
      });

      it('a pending key past HEADPREP_PENDING_KEY_QUOTA_BYTES gets 413 quota_exceeded; approved, it submits again', async () => {
        const k = await newKey();
        expect((await keysRoute.POST(post('/api/keys', await registrationBody(k)))).status).toBe(201); // pending
        const bodies = await Promise.all([0, 1, 2].map(async (i) => signBundle(await validBundle(SEED + 8100 + i), k)));
        // room for two envelopes, not three
        process.env.HEADPREP_PENDING_KEY_QUOTA_BYTES = String(Math.floor(bodies[0]!.length * 2.5));
        expect((await submit(bodies[0]!)).status).toBe(201);
        expect((await submit(bodies[1]!)).status).toBe(201);
        const over = await submit(bodies[2]!);
        expect(over.status).toBe(413);
        const e = await errorOf(over);
        expect(e.code).toBe('quota_exceeded');
        expect(e.message).toMatch(/pending approval .* approve the key/);
        // a replay of a stored envelope is still answered (it stores nothing)
        expect((await submit(bodies[0]!)).status).toBe(200);
        await setKeyStatus(db, k.keyid, 'approved');
        expect((await submit(bodies[2]!)).status).toBe(201);
      });
    });

    describe('absolute URLs', () => {
      let id: string;
      beforeAll(async () => {
        const k = await newKey();
        await registerApproved(db, k);
        id = ((await (await submit(await signBundle(await validBundle(SEED + 7001), k))).json()) as { id: string }).id;
      });
      afterAll(() => {
        delete process.env.HEADPREP_SITE_URL;
        delete process.env.HEADPREP_TRUST_PROXY;
      });
      const urls = async (headers: Record<string, string>) => {
        const d = (await (await resultRoute.GET(get(`/api/results/${id}`, headers), params({ id }))).json()) as { url: string; envelope_url: string };
        const o = (await openapiRoute.GET(get('/api/openapi.json', headers)).json()) as { servers: { url: string }[] };
        const list = await resultsRoute.GET(get('/api/results?limit=1', headers));
        const next = ((await list.json()) as { next: string | null }).next;
        return { url: d.url, envelope: d.envelope_url, server: o.servers[0]!.url, next };
      };

      it("come from the request's Host header, not a fixed host; forwarded headers only behind a trusted proxy", async () => {
        let u = await urls({ host: 'leaderboard.example.org:8443', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
        expect(u.url).toBe(`http://leaderboard.example.org:8443/results/${id}`);
        expect(u.envelope).toBe(`http://leaderboard.example.org:8443/api/results/${id}/envelope`);
        expect(u.server).toBe('http://leaderboard.example.org:8443');
        expect(u.next).toMatch(/^http:\/\/leaderboard\.example\.org:8443\/api\/results\?limit=1&cursor=/);
        process.env.HEADPREP_TRUST_PROXY = '1';
        u = await urls({ host: '127.0.0.1:3000', 'x-forwarded-host': 'hp.example.net', 'x-forwarded-proto': 'https' });
        expect([u.url, u.server]).toEqual([`https://hp.example.net/results/${id}`, 'https://hp.example.net']);
        // a header that is not a plain host is ignored
        u = await urls({ host: 'evil.example/x>; rel="next"' });
        expect(u.url).toBe(`http://headprep.test/results/${id}`);
      });

      it('HEADPREP_SITE_URL wins over every header', async () => {
        process.env.HEADPREP_SITE_URL = 'https://headprep.example.org/';
        const u = await urls({ host: 'other.example', 'x-forwarded-host': 'x.example' });
        expect([u.url, u.envelope, u.server]).toEqual([
          `https://headprep.example.org/results/${id}`,
          `https://headprep.example.org/api/results/${id}/envelope`,
          'https://headprep.example.org',
        ]);
        expect(u.next).toMatch(/^https:\/\/headprep\.example\.org\/api\/results\?/);
      });
    });

    describe('trust tier under concurrent revocation and approval', () => {
      const ROUNDS = 20;
      const IN_FLIGHT = 50;
      const ranked = sql`${results.trustTier} in ('signed', 'reproduced')`;

      it(`${IN_FLIGHT} submissions in flight while the key is revoked, ${ROUNDS} times: no result of the revoked key stays ranked`, async () => {
        let leftRanked = 0;
        let stored = 0;
        for (let round = 0; round < ROUNDS; round++) {
          const k = await newKey();
          await registerApproved(db, k);
          const bodies = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => validBundle(SEED + 10_000 + round * 100 + i).then((b) => signBundle(b, k))));
          let done = 0;
          const inFlight = bodies.map((b) => submit(b).then((r) => (done++, r.status)));
          // revoke once part of them has landed, the rest still in flight
          while (done < IN_FLIGHT / 5) await new Promise((r) => setTimeout(r, 1));
          expect((await setKeyStatus(db, k.keyid, 'revoked'))?.status).toBe('revoked');
          const statuses = await Promise.all(inFlight);
          expect(statuses.every((s) => s === 201 || s === 403)).toBe(true);
          const [r] = await db.select({ n: sql<number>`count(*)::int`, ranked: sql<number>`count(*) filter (where ${ranked})::int` }).from(results).where(eq(results.keyId, k.keyid));
          stored += Number(r!.n);
          leftRanked += Number(r!.ranked);
        }
        console.log(`revocation race on ${kind}: ${ROUNDS} rounds x ${IN_FLIGHT} in flight, ${stored} results stored, ${leftRanked} of the revoked keys' results left ranked`);
        expect(leftRanked).toBe(0);
      }, 300_000);

      it(`approving while ${IN_FLIGHT} submissions of a pending key are in flight leaves none pending`, async () => {
        for (let round = 0; round < 5; round++) {
          const k = await newKey();
          expect((await keysRoute.POST(post('/api/keys', await registrationBody(k)))).status).toBe(201);
          const bodies = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => validBundle(SEED + 20_000 + round * 100 + i).then((b) => signBundle(b, k))));
          let done = 0;
          const inFlight = bodies.map((b) => submit(b).then((r) => (done++, r.status)));
          while (done < IN_FLIGHT / 5) await new Promise((r) => setTimeout(r, 1));
          await setKeyStatus(db, k.keyid, 'approved');
          expect((await Promise.all(inFlight)).every((s) => s === 201)).toBe(true);
          const rows = await db.select({ tier: results.trustTier }).from(results).where(eq(results.keyId, k.keyid));
          expect(rows).toHaveLength(IN_FLIGHT);
          expect(rows.filter((x) => x.tier !== 'signed')).toEqual([]);
        }
      }, 300_000);
    });
  });
}
