/**
 * Trust against one determined person, run unchanged on PGlite and (TEST_DATABASE_URL) Postgres,
 * through the ingest pipelines the routes call (app/_server/ingest.ts, reproductions.ts):
 * per-result serialisation of tier updates under concurrent verdicts, identities, disputes and
 * maintainer reviews, copies refused as reruns, and the pending-key size and storage limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import {
  deriveTrustTier,
  REPRODUCTION_PAYLOAD_TYPE,
  utf8,
  type ReproductionStatement,
  type ResultBundle,
} from '../../../../../contract';
import type { DbHandle } from '../../../../../db/types';
import { setDb } from '../../../../../db/connect';
import { GET as getResultRoute } from '../../../../../app/api/results/[id]/route';
import { GET as adminKeysRoute } from '../../../../../app/api/admin/keys/route';
import { POST as approveRoute } from '../../../../../app/api/admin/keys/[id]/approve/route';
import { POST as disputeRoute } from '../../../../../app/api/admin/results/[id]/dispute/route';
import { insertPendingKey, setKeyStatus, setKeyStatusWithIdentity } from '../../../../../db/mutations/keys';
import { reviewDispute } from '../../../../../db/mutations/reproductions';
import { identityMatchFor } from '../../../../../db/queries/keys';
import { listReproductions, listReproductionsByKey } from '../../../../../db/queries/reproductions';
import { countKeyResults, listKeyResultsPage } from '../../../../../db/queries/key-page';
import { getLeaderboardData } from '../../../../../db/queries/leaderboard';
import { getResult } from '../../../../../db/queries/results';
import { ingestEnvelope } from '../../../../../app/_server/ingest';
import { ingestReproduction } from '../../../../../app/_server/reproductions';
import { ApiFailure } from '../../../../../app/_server/errors';
import { newKey, signBundle, signBytes, type TestKey } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { rejection } from '../../../../fixtures/rejection';
import { openHardeningDb, type HardeningDb } from '../../../_helpers/databases';

/** Distinct per run: a kept Postgres test database never sees this run's seeds before. */
const SEED0 = 100_000_000 + Math.floor(Math.random() * 1_000_000_000);
let nextSeed = SEED0;

export function defineTrustSuite(kind: HardeningDb): void {
  describe(`trust on ${kind}`, () => {
    let db: DbHandle;
    const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

    beforeAll(async () => {
      db = await openHardeningDb(kind);
      setDb(db);
    }, 120_000);
    afterAll(async () => {
      setDb(null);
      await db?.$close();
    });

    /** A registered key; approved (joining a new identity unless `identity` says otherwise) unless pending. */
    async function key(label: string, opts: { pending?: boolean; name?: string; contact?: string; identity?: string } = {}): Promise<TestKey> {
      const k = await newKey();
      await insertPendingKey(db, { publicKeyRaw: k.raw, name: opts.name ?? `${label} ${run}`, contact: opts.contact ?? `${label}-${run}@example.org` });
      if (!opts.pending) await setKeyStatus(db, k.keyid, 'approved', { identity: opts.identity ?? 'new' });
      return k;
    }

    /** Stores a new result of `owner` at a fresh seed; returns its id, payload hash and bundle. */
    async function result(owner: TestKey): Promise<{ id: string; sha: string; bundle: ResultBundle }> {
      const bundle = await validBundle(nextSeed++);
      const r = await ingestEnvelope(db, utf8.encode(await signBundle(bundle, owner)));
      expect(r.status).toBe(201);
      return { id: r.id, sha: r.payload_sha256, bundle };
    }

    /** A genuine-looking rerun of `b`: later timestamps and another wall time; `differs` alters a metric. */
    function rerun(b: ResultBundle, differs = false, shift = 1): ResultBundle {
      const x = structuredClone(b);
      x.started_at = new Date(Date.parse(b.started_at) + shift * 60_000).toISOString();
      x.finished_at = new Date(Date.parse(b.finished_at) + shift * 60_000).toISOString();
      if (x.summary) x.summary.wall_time_s = x.summary.wall_time_s + shift / 7;
      if (differs) x.energy!.aie += 0.01;
      return x;
    }

    function statement(target: { id: string; sha: string }, bundle: ResultBundle, verdict: ReproductionStatement['verdict'] = 'exact'): ReproductionStatement {
      return { schema_version: 1, original: { result_id: target.id, payload_sha256: target.sha }, bundle, verdict, created_at: new Date().toISOString() };
    }

    async function reproduce(k: TestKey, st: ReproductionStatement | string) {
      const bytes = utf8.encode(typeof st === 'string' ? st : JSON.stringify(st));
      return ingestReproduction(db, utf8.encode(JSON.stringify(await signBytes(bytes, k, REPRODUCTION_PAYLOAD_TYPE))), { pendingQuotaBytes: 0 });
    }

    const refusal = (p: Promise<unknown>) => rejection(p, ApiFailure);

    const tier = async (id: string) => (await getResult(db, id))!.trust_tier;

    /** The tier the listed reproductions imply (contract deriveTrustTier over every page). */
    async function impliedTier(id: string, ownerIdentity: string): Promise<string> {
      const all = [];
      for (let cursor: string | null = null; ; ) {
        const page = await listReproductions(db, id, { cursor, limit: 2 });
        all.push(...page.items);
        if (!(cursor = page.next_cursor)) break;
      }
      return deriveTrustTier(
        ownerIdentity,
        all.map((r) => ({ identity: r.counts ? r.identity!.id : null, verdict: r.verdict, received_at: r.received_at })),
      );
    }

    it('20 results x (1 differs + 3 exact) sent at once: every tier is what its listed reproductions imply', async () => {
      const owner = await key('owner');
      const reps = [await key('rep-a'), await key('rep-b'), await key('rep-c'), await key('rep-d')];
      const targets = [];
      for (let i = 0; i < 20; i++) targets.push(await result(owner));
      const t0 = performance.now();
      const outcomes = await Promise.all(
        targets.flatMap((t, i) =>
          reps.map((k, j) => {
            // which reproducer finds `differs` rotates, so the differs is sometimes first, sometimes last
            const differs = j === i % 4;
            return reproduce(k, statement(t, rerun(t.bundle, differs, j + 1), differs ? 'differs' : 'exact'));
          }),
        ),
      );
      console.log(`[trust ${kind}] 80 concurrent statements on 20 results: ${(performance.now() - t0).toFixed(0)} ms`);
      expect(outcomes.every((o) => o.status === 201 && o.counts)).toBe(true);
      const tiers = await Promise.all(targets.map((t) => tier(t.id)));
      const implied = await Promise.all(targets.map((t) => impliedTier(t.id, owner.keyid)));
      expect(tiers).toEqual(implied);
      expect(tiers).toEqual(Array(20).fill('disputed'));
    }, 120_000);

    it('a second key of the same identity does not reproduce; another identity does; the default identity matches name or contact', async () => {
      const owner = await key('solo');
      const t = await result(owner);
      // a second key with the owner's contact: the default decision is the owner's identity, and says why
      const k2 = await newKey();
      const { key: pending } = await insertPendingKey(db, { publicKeyRaw: k2.raw, name: `solo laptop ${run}`, contact: `SOLO-${run}@example.org ` });
      const match = await identityMatchFor(db, pending);
      expect(match).toMatchObject({ identity_id: owner.keyid, matched_on: ['contact'] });
      const approved = await setKeyStatusWithIdentity(db, k2.keyid, 'approved');
      expect(approved!.identity).toMatchObject({ id: owner.keyid, decision: 'matched', matched_on: ['contact'] });
      const same = await reproduce(k2, statement(t, rerun(t.bundle)));
      expect(same).toMatchObject({ status: 201, verdict: 'exact', counts: false, result_trust_tier: 'signed' });
      const other = await key('independent');
      const ok = await reproduce(other, statement(t, rerun(t.bundle, false, 2)));
      expect(ok).toMatchObject({ counts: true, result_trust_tier: 'reproduced' });
      // the list names the identities, counting one first
      const page = await listReproductions(db, t.id);
      expect(page.items.map((r) => [r.counts, r.identity?.id])).toEqual([
        [true, other.keyid],
        [false, owner.keyid],
      ]);
      // the maintainer can move a key to another identity: k2 as its own identity now counts too
      const moved = await setKeyStatusWithIdentity(db, k2.keyid, 'approved', { identity: 'new' });
      expect(moved!.identity).toMatchObject({ id: k2.keyid, decision: 'new' });
      expect((await listReproductions(db, t.id)).items.every((r) => r.counts)).toBe(true);
      expect(await tier(t.id)).toBe('reproduced');
      // the API names the independent identities
      const res = await getResultRoute(new Request(`http://headprep.test/api/results/${t.id}`), { params: Promise.resolve({ id: t.id }) });
      const body = (await res.json()) as { reproductions: { reproduced_by: { id: string; name: string }[]; disputed_by: unknown[]; url: string } };
      expect(body.reproductions.reproduced_by.map((x) => x.id).sort()).toEqual([other.keyid, k2.keyid].sort());
      expect(body.reproductions).toMatchObject({ disputed_by: [], url: `http://headprep.test/api/reproductions?result=${t.id}` });
    });

    it('disputes: one identity flags (still ranked), a second refutes; a second result of the pair is a reproduction; a maintainer confirms or clears', async () => {
      const owner = await key('disputed-owner');
      const [x, y, z] = [await key('x'), await key('y'), await key('z')];
      const t = await result(owner);
      expect(await reproduce(x, statement(t, rerun(t.bundle, true)))).toMatchObject({ verdict: 'differs', result_trust_tier: 'disputed' });
      // still ranked, flagged: the leaderboard keeps the seed and marks it disputed
      const observed = async () => (await getLeaderboardData(db, { name: 'tiny', version: 1 }, { pending: false }))!.observations.find((o) => o.id === t.id);
      expect(await observed()).toMatchObject({ seed: t.bundle.config.seed, disputed: true });
      // a second differs by the same identity (another key of x's) changes nothing
      const x2 = await key('x-second', { identity: x.keyid });
      expect(await reproduce(x2, statement(t, rerun(t.bundle, true, 3)))).toMatchObject({ counts: true, result_trust_tier: 'disputed' });
      // a second result of the pair by another identity, through POST /api/results: a reproduction, never a new seed
      const second = await ingestEnvelope(db, utf8.encode(await signBundle(rerun(t.bundle, true, 4), y)));
      expect(second).toMatchObject({ status: 200, id: t.id, created: false, reproduction: { verdict: 'differs', created: true } });
      expect(await tier(t.id)).toBe('refuted');
      expect(await observed()).toBeUndefined(); // refuted: off the ranking
      // a maintainer clears: the differs so far no longer count
      expect(await reviewDispute(db, t.id, 'cleared')).toBe('signed');
      expect(await reproduce(z, statement(t, rerun(t.bundle, false, 5)))).toMatchObject({ result_trust_tier: 'reproduced' });
      expect(await tier(t.id)).toBe(await impliedTierWithReview(t.id, owner.keyid));
      // and can confirm instead
      expect(await reviewDispute(db, t.id, 'confirmed')).toBe('refuted');
      expect(await reviewDispute(db, t.id, null)).toBe('refuted'); // two identities still found differs
      // a refuted result left the ranking: a new result of its pair is stored as the pair's observation
      const fresh = await ingestEnvelope(db, utf8.encode(await signBundle(rerun(t.bundle, false, 9), await key('fresh'))));
      expect(fresh).toMatchObject({ status: 201, created: true });
      expect(fresh.reproduction).toBeUndefined();
      expect(await reviewDispute(db, 'f'.repeat(20), 'cleared')).toBeNull();
    });

    async function impliedTierWithReview(id: string, ownerIdentity: string): Promise<string> {
      const r = await db.execute<{ dispute_review: 'confirmed' | 'cleared' | null; reviewed_at: string | Date | null }>(
        sql`select dispute_review, reviewed_at from results where id = ${id}`,
      );
      const row = r.rows[0]!;
      const page = await listReproductions(db, id, { limit: 500 });
      return deriveTrustTier(
        ownerIdentity,
        page.items.map((p) => ({ identity: p.key_status === 'approved' ? p.identity!.id : null, verdict: p.verdict, received_at: p.received_at })),
        row.dispute_review ? { kind: row.dispute_review, at: new Date(row.reviewed_at!).toISOString() } : null,
      );
    }

    it('admin API: the pending list shows the default identity, approve says its decision, dispute reviews re-tier', async () => {
      const saved = process.env.ADMIN_TOKEN;
      process.env.ADMIN_TOKEN = 'trust-admin-token';
      try {
        const auth = { authorization: 'Bearer trust-admin-token', 'content-type': 'application/json' };
        const owner = await key('admin-owner');
        const k = await newKey();
        await insertPendingKey(db, { publicKeyRaw: k.raw, name: `admin-owner ${run}`, contact: `other-${run}@example.org` });
        const list = await adminKeysRoute(new Request('http://headprep.test/api/admin/keys?status=pending', { headers: auth }));
        const listed = ((await list.json()) as { keys: { key_id: string; identity_match: unknown }[] }).keys.find((x) => x.key_id === k.keyid)!;
        expect(listed.identity_match).toMatchObject({ identity_id: owner.keyid, matched_on: ['name'] });
        const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
        const bad = await approveRoute(new Request(`http://headprep.test/x`, { method: 'POST', headers: auth, body: '{"identity":"someone"}' }), ctx(k.keyid));
        expect(bad.status).toBe(400);
        const ok = await approveRoute(new Request(`http://headprep.test/x`, { method: 'POST', headers: auth, body: '{"identity":"new"}' }), ctx(k.keyid));
        expect(ok.status).toBe(200);
        expect(((await ok.json()) as { identity: unknown }).identity).toMatchObject({ id: k.keyid, decision: 'new', matched_on: [] });
        // a plain POST without a body (the CLI's) takes the default: here the owner's identity, by name
        const k3 = await newKey();
        await insertPendingKey(db, { publicKeyRaw: k3.raw, name: `admin-owner ${run}`, contact: `third-${run}@example.org` });
        const plain = await approveRoute(new Request(`http://headprep.test/x`, { method: 'POST', headers: { authorization: auth.authorization } }), ctx(k3.keyid));
        expect(((await plain.json()) as { identity: unknown }).identity).toMatchObject({ id: owner.keyid, decision: 'matched', matched_on: ['name'] });
        // dispute review
        const t = await result(owner);
        await reproduce(k, statement(t, rerun(t.bundle, true)));
        expect(await tier(t.id)).toBe('disputed');
        const confirm = await disputeRoute(new Request('http://headprep.test/x', { method: 'POST', headers: auth, body: '{"review":"confirmed"}' }), ctx(t.id));
        expect(await confirm.json()).toEqual({ id: t.id, dispute_review: 'confirmed', trust_tier: 'refuted' });
        const clear = await disputeRoute(new Request('http://headprep.test/x', { method: 'POST', headers: auth, body: '{"review":"cleared"}' }), ctx(t.id));
        expect(await clear.json()).toEqual({ id: t.id, dispute_review: 'cleared', trust_tier: 'signed' });
        const wrong = await disputeRoute(new Request('http://headprep.test/x', { method: 'POST', headers: auth, body: '{"review":"maybe"}' }), ctx(t.id));
        expect(wrong.status).toBe(400);
        const noAuth = await disputeRoute(new Request('http://headprep.test/x', { method: 'POST', body: '{"review":null}', headers: { 'content-type': 'application/json' } }), ctx(t.id));
        expect(noAuth.status).toBe(401);
      } finally {
        process.env.ADMIN_TOKEN = saved;
      }
    });

    it('a statement whose bundle repeats the original run record is refused 422 not_a_rerun', async () => {
      const owner = await key('copied');
      const other = await key('copier');
      const t = await result(owner);
      const copy = await refusal(reproduce(other, statement(t, t.bundle)));
      expect(copy).toMatchObject({ status: 422, code: 'not_a_rerun', path: 'payload.bundle.started_at' });
      expect(copy.message).toMatch(/copy, not a rerun.*headprep reproduce/);
      const sameWall = { ...rerun(t.bundle), summary: { ...t.bundle.summary!, wall_time_s: t.bundle.summary!.wall_time_s } };
      expect(await refusal(reproduce(other, statement(t, sameWall)))).toMatchObject({ code: 'not_a_rerun', path: 'payload.bundle.summary.wall_time_s' });
      expect(await tier(t.id)).toBe('signed');
    });

    it('a signed payload nested 10,000 levels deep is 422 on both upload endpoints, never a 500', async () => {
      const k = await key('deep');
      const t = await result(await key('deep-owner'));
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const bundleText = JSON.stringify(await validBundle(nextSeed++)).replace('"schema_version":1', `"schema_version":1,"x":${deep}`);
      const asResult = await refusal(ingestEnvelope(db, utf8.encode(JSON.stringify(await signBytes(utf8.encode(bundleText), k)))));
      expect(asResult).toMatchObject({ status: 422, code: 'bundle_invalid', message: expect.stringMatching(/nested deeper than 64 levels/) });
      const stText = JSON.stringify(statement(t, rerun(t.bundle))).replace('"schema_version":1', `"schema_version":1,"x":${deep}`);
      const asStatement = await refusal(reproduce(k, stText));
      expect(asStatement).toMatchObject({ status: 422, code: 'statement_invalid', message: expect.stringMatching(/nested deeper than 64 levels/) });
      expect(asStatement.path).toMatch(/^payload\.x(\.0)+$/);
    });

    it('a pending key: statements obey the result size cap, and the quota counts results and statements together', async () => {
      const owner = await key('quota-owner');
      const t = await result(owner);
      const pending = await key('pending', { pending: true });
      // 1.5 MB of whitespace inside the statement: over the rerun bundle's cap
      const padded = JSON.stringify(statement(t, rerun(t.bundle))).replace('"bundle":', `"bundle":${' '.repeat(1_500_000)}`);
      expect(await refusal(reproduce(pending, padded))).toMatchObject({ status: 422, code: 'check_failed.payload_size', path: 'payload.bundle' });
      // the quota: a statement and a result of the pending key fill it; the next one of either kind is refused
      const stBody = async (b: ResultBundle) =>
        utf8.encode(JSON.stringify(await signBytes(utf8.encode(JSON.stringify(statement(t, b))), pending, REPRODUCTION_PAYLOAD_TYPE)));
      const first = await stBody(rerun(t.bundle, false, 7));
      const quota = first.byteLength * 2 + 100;
      expect(await ingestReproduction(db, first, { pendingQuotaBytes: quota })).toMatchObject({ status: 201, counts: false });
      const own = utf8.encode(await signBundle(await validBundle(nextSeed++), pending));
      expect(await ingestEnvelope(db, own, { pendingQuotaBytes: quota })).toMatchObject({ status: 201 });
      const over = await refusal(ingestReproduction(db, await stBody(rerun(t.bundle, false, 8)), { pendingQuotaBytes: quota }));
      expect(over).toMatchObject({ status: 413, code: 'quota_exceeded' });
      expect(over.message).toMatch(/results and reproductions/);
      const overResult = await refusal(ingestEnvelope(db, utf8.encode(await signBundle(await validBundle(nextSeed++), pending)), { pendingQuotaBytes: quota }));
      expect(overResult).toMatchObject({ status: 413, code: 'quota_exceeded' });
    });

    it('the reproduction list pages with a cursor, counting reproductions first: 30 pending differs do not bury one that counts', async () => {
      const owner = await key('buried');
      const t = await result(owner);
      const flood = await key('flood', { pending: true });
      for (let i = 0; i < 30; i++) await reproduce(flood, statement(t, rerun(t.bundle, true, 10 + i)));
      const honest = await key('honest');
      await reproduce(honest, statement(t, rerun(t.bundle, false, 50)));
      const first = await listReproductions(db, t.id, { limit: 10 });
      expect(first.items[0]).toMatchObject({ counts: true, verdict: 'exact', key_id: honest.keyid });
      expect(first.next_cursor).toMatch(/^0\.\d+$/);
      const seen = new Set(first.items.map((r) => r.id));
      for (let cursor = first.next_cursor; cursor; ) {
        const p = await listReproductions(db, t.id, { limit: 10, cursor });
        for (const r of p.items) {
          expect(seen.has(r.id)).toBe(false);
          seen.add(r.id);
        }
        cursor = p.next_cursor;
      }
      expect(seen.size).toBe(31);
      expect(await tier(t.id)).toBe('reproduced');
      // the key page's lists: the flood key's 30 reproductions in pages of 10, newest first
      const byKey: string[] = [];
      for (let cursor: string | null = null; ; ) {
        const p = await listReproductionsByKey(db, flood.keyid, { limit: 10, cursor });
        byKey.push(...p.items.map((r) => r.received_at));
        if (!(cursor = p.next_cursor)) break;
      }
      expect(byKey).toHaveLength(30);
      expect([...byKey].sort().reverse()).toEqual(byKey);
      // and the owner's results, paged (2 per page here)
      await result(owner);
      await result(owner);
      const first2 = await listKeyResultsPage(db, owner.keyid, { limit: 2 });
      const rest = await listKeyResultsPage(db, owner.keyid, { limit: 2, cursor: first2.next_cursor });
      expect(first2.items.map((r) => r.seed)).toEqual([nextSeed - 1, nextSeed - 2]);
      expect(rest.items.map((r) => r.id)).toEqual([t.id]);
      expect(rest.next_cursor).toBeNull();
      expect(await countKeyResults(db, owner.keyid)).toEqual({ total: 3, pending: 0 });
    });
  });
}
