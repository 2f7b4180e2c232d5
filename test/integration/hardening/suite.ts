/**
 * Issue 11's hardening findings as tests, run unchanged on PGlite and (TEST_DATABASE_URL) Postgres:
 * route handlers called with real Requests against a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { fromHex, KEY_REGISTRATION_PAYLOAD_TYPE, keyIdOfRaw, RESULT_PAYLOAD_TYPE, toBase64, utf8 } from '../../../contract';
import { setDb, type DbHandle } from '../../../db/connect';
import { insertPendingKey, setKeyStatus } from '../../../db/mutations/keys';
import { keys, results } from '../../../db/schema';
import * as keysRoute from '../../../app/api/keys/route';
import * as resultsRoute from '../../../app/api/results/route';
import { ALL_WEAK_KEYS, SMALL_ORDER_CANONICAL } from '../../fixtures/ed25519-vectors';
import { newKey, post, registrationBody, signBundle, validBundle, type ApiErrorBody, type TestKey } from '../api/helpers';
import { openHardeningDb, type HardeningDb } from './databases';

const ADMIN = 'hardening-admin-token-0123456789';

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
        const bundle = await validBundle(4242);
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
        expect((await submit(await signBundle(await validBundle(4243), k))).status).toBe(201);
      });
    });
  });
}
