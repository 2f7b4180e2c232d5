/**
 * Reproductions end to end, run unchanged on PGlite and (TEST_DATABASE_URL) Postgres: a real
 * tiny@1 cell is run by the CLI, signed, submitted over HTTP to a test site on 127.0.0.1, and
 * `headprep reproduce` (a second key, another config dir) reruns and compares it; the site's trust
 * tier follows the verdicts it recomputes.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  REPRODUCTION_PAYLOAD_TYPE,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  toBase64,
  utf8,
  type ReproductionStatement,
  type ResultBundle,
} from '../../../../../contract';
import { setDb } from '../../../../../db/connect';
import type { DbHandle } from '../../../../../db/types';
import { setKeyStatus } from '../../../../../db/mutations/keys';
import { getResultDetail } from '../../../../../db/queries/result-detail';
import { reproductions } from '../../../../../db/schema';
import { loadKey, type LoadedKey } from '../../../../../runner/submit/keystore';
import { runCli } from '../../../../fixtures/cli';
import { startRouteServer, type RouteServer } from '../../../_helpers/route-server';
import { openHardeningDb, type HardeningDb } from '../../../_helpers/databases';

/** Distinct per run: a kept Postgres test database never sees this run's (fingerprint, seed) before. */
const SEED = 2_000_000 + Math.floor(Math.random() * 1_000_000_000);
const CLI_TIMEOUT = 180_000;

interface Lab {
  name: string;
  env: Record<string, string>;
  key: LoadedKey;
}

export function defineReproductionSuite(kind: HardeningDb): void {
  describe(`reproductions on ${kind}`, () => {
    let db: DbHandle;
    let site: RouteServer;
    let dir: string;
    const saved = { ...process.env };
    const labs: Record<string, Lab> = {};

    async function lab(name: string, approve = true): Promise<Lab> {
      const env = { HEADPREP_CONFIG_DIR: join(dir, name), HEADPREP_CACHE_DIR: join(dir, 'cache'), HEADPREP_RETRIES: '1', HEADPREP_RETRY_BASE_MS: '20' };
      expect((await runCli(['keys', 'create'], env)).code).toBe(0);
      const reg = await runCli(['keys', 'register', '--site', site.url, '--name', name, '--contact', `${name}@example.org`], env);
      expect(reg.code, reg.stderr).toBe(0);
      const key = await loadKey(join(dir, name, 'key.pem'));
      if (approve) await setKeyStatus(db, key.keyid, 'approved');
      return (labs[name] = { name, env, key });
    }

    const api = async (path: string, init?: RequestInit) => {
      const r = await fetch(`${site.url}${path}`, init);
      return { status: r.status, body: (await r.json()) as Record<string, unknown> & { error?: { code: string; path?: string } } };
    };
    const postJson = (path: string, body: string) => api(path, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const tier = async (id: string) => ((await api(`/api/results/${id}`)).body.result as { trust_tier: string }).trust_tier;
    const signed = async (payload: unknown, k: LoadedKey, type: string) =>
      JSON.stringify(await signEnvelope(utf8.encode(JSON.stringify(payload)), type, k.privateKey, k.publicKey));

    /** Runs every tiny@1 cell at SEED as `owner` (signed envelopes) and returns the bundles by strategy. */
    async function runTiny(owner: Lab): Promise<Map<string, { bundle: ResultBundle; envelopeFile: string }>> {
      const out = join(dir, `run-${owner.name}`);
      const r = await runCli(['run', 'tiny@1', '--seeds', String(SEED), '--jobs', '1', '--backend', 'wasm', '--out', out], owner.env, CLI_TIMEOUT);
      expect(r.code, r.stderr).toBe(0);
      const m = new Map<string, { bundle: ResultBundle; envelopeFile: string }>();
      for (const f of await readdir(out))
        if (f.endsWith('.bundle.json')) {
          const bundle = JSON.parse(await readFile(join(out, f), 'utf8')) as ResultBundle;
          m.set(bundle.config.strategy.id, { bundle, envelopeFile: join(out, f.replace(/\.bundle\.json$/, '.envelope.json')) });
        }
      return m;
    }

    async function submitFile(owner: Lab, file: string): Promise<string> {
      const r = await postJson('/api/results', await readFile(file, 'utf8'));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.key_id).toBe(owner.key.keyid);
      return r.body.id as string;
    }

    let cells: Map<string, { bundle: ResultBundle; envelopeFile: string }>;
    let exactId: string;
    let alteredId: string;

    beforeAll(async () => {
      db = await openHardeningDb(kind);
      setDb(db);
      process.env.HEADPREP_SEED = '0';
      delete process.env.HEADPREP_RATE_LIMIT;
      dir = await mkdtemp(join(tmpdir(), 'headprep-repro-'));
      site = await startRouteServer();
      await lab('owner');
      await lab('reproducer');
      cells = await runTiny(labs.owner!);
      exactId = await submitFile(labs.owner!, cells.get('hp-tau')!.envelopeFile);
    }, 300_000);
    afterAll(async () => {
      await site?.close();
      setDb(null);
      process.env = saved;
      await db?.$close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('headprep reproduce of a real result gives exact; --submit by another approved key marks it reproduced', async () => {
      expect(await tier(exactId)).toBe('signed');
      const out = join(dir, 'repro-exact');
      const r = await runCli(['reproduce', `${site.url}/results/${exactId}`, '--backend', 'wasm', '--submit', '--out', out], labs.reproducer!.env, CLI_TIMEOUT);
      console.log(`reproduce ${exactId} (${kind}):\n${r.stdout}${r.stderr.split('\n').filter((l) => l.startsWith('submitted')).join('\n')}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^verdict: exact {2}\(\d+ metrics compared, max \|diff\| 0\.00e\+0/);
      expect(r.stderr).toMatch(/site verdict exact; result [0-9a-f]{20} is now reproduced/);
      expect(await tier(exactId)).toBe('reproduced');
      const list = await api(`/api/reproductions?result=${exactId}`);
      expect(list.body.items).toEqual([expect.objectContaining({ verdict: 'exact', claimed_verdict: 'exact', counts: true, key_id: labs.reproducer!.key.keyid, source: 'statement' })]);

      // the same rerun submitted as a result by the reproducer: one observation per (fingerprint,
      // seed), so it is recorded as a reproduction of the first result, verdict computed the same way
      const rerunFile = (await readdir(out)).find((f) => f.endsWith('.bundle.json'))!;
      const rerunText = await readFile(join(out, rerunFile), 'utf8');
      const k = labs.reproducer!.key;
      const env = JSON.stringify(await signEnvelope(utf8.encode(rerunText), RESULT_PAYLOAD_TYPE, k.privateKey, k.publicKey));
      const again = await postJson('/api/results', env);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: exactId, created: false, key_id: labs.owner!.key.keyid, reproduction: { verdict: 'exact', created: true } });
      const rows = await db.select().from(reproductions).where(eq(reproductions.resultId, exactId));
      expect(rows.map((x) => x.source).sort()).toEqual(['result', 'statement']);
      expect(await tier(exactId)).toBe('reproduced');
      // what the result page shows: both reproductions, one key, linked by id
      const detail = (await getResultDetail(db, exactId))!;
      expect(detail.trust).toBe('reproduced');
      expect(detail.reproductions.items.map((x) => [x.verdict, x.counts, x.key_id])).toEqual([
        ['exact', true, k.keyid],
        ['exact', true, k.keyid],
      ]);
    }, 300_000);

    it('on another backend (cpu instead of wasm) the rerun is within tolerance, not exact', async () => {
      const r = await runCli(['reproduce', exactId, '--site', site.url, '--backend', 'cpu'], labs.reproducer!.env, CLI_TIMEOUT);
      console.log(`reproduce ${exactId} on cpu (${kind}):\n${r.stdout}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^verdict: within {2}\(\d+ metrics compared, max \|diff\| [1-9]\.\d\de-[5-9]; original: runner [^,]+, wasm; rerun: runner [^,]+, cpu\)/);
      expect(r.stdout).not.toContain('DIFFERS');
    }, 300_000);

    it('a result whose stored metric was altered (signed by its submitter) gives differs naming the metric, and is disputed', async () => {
      const b = structuredClone(cells.get('hp-ls')!.bundle);
      b.energy!.aie = b.energy!.aie + 0.01; // no consistency check ties aie to another field
      const owner = labs.owner!;
      const r0 = await postJson('/api/results', await signed(b, owner.key, RESULT_PAYLOAD_TYPE));
      expect(r0.status).toBe(201);
      alteredId = r0.body.id as string;
      expect(await tier(alteredId)).toBe('signed');
      const r = await runCli(['reproduce', alteredId, '--site', site.url, '--backend', 'wasm', '--submit'], labs.reproducer!.env, CLI_TIMEOUT);
      console.log(`reproduce ${alteredId} (${kind}, energy.aie altered by +0.01):\n${r.stdout}`);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^verdict: differs/);
      expect(r.stdout).toMatch(/^energy\.aie +[\d.]+ +[\d.]+ +1\.00e-2 .*DIFFERS$/m);
      expect(r.stdout).toContain('differs: energy.aie');
      expect(r.stderr).toMatch(/site verdict differs; result [0-9a-f]{20} is now disputed/);
      expect(await tier(alteredId)).toBe('disputed');
      const list = await api(`/api/reproductions?result=${alteredId}`);
      expect(list.body.items).toEqual([expect.objectContaining({ verdict: 'differs', differing: ['energy.aie'], counts: true })]);
    }, 300_000);

    it("the site recomputes the verdict: a statement claiming exact for the altered result is stored as differs", async () => {
      const liar = await lab('liar');
      const items = (await api(`/api/reproductions?result=${alteredId}`)).body.items as { id: string }[];
      const honest = (await api(`/api/reproductions/${items[0]!.id}`)).body.reproduction as { bundle: ResultBundle };
      const original = (await api(`/api/results/${alteredId}`)).body.result as { payload_sha256: string };
      // a copy of another key's rerun is refused (not_a_rerun); with its own run record it is stored
      const copy: ReproductionStatement = {
        schema_version: 1,
        original: { result_id: alteredId, payload_sha256: original.payload_sha256 },
        bundle: honest.bundle,
        verdict: 'exact',
        created_at: new Date().toISOString(),
      };
      const refused = await postJson('/api/reproductions', await signed(copy, liar.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'not_a_rerun', path: 'payload.bundle.started_at' });
      const later = (iso: string) => new Date(Date.parse(iso) + 60_000).toISOString();
      const st: ReproductionStatement = {
        ...copy,
        bundle: { ...honest.bundle, started_at: later(honest.bundle.started_at), finished_at: later(honest.bundle.finished_at) },
        verdict: 'exact',
        created_at: new Date().toISOString(),
      };
      const r = await postJson('/api/reproductions', await signed(st, liar.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(r.status).toBe(201);
      // a second independent identity found differs: the result leaves the ranking
      expect(r.body).toMatchObject({ verdict: 'differs', claimed_verdict: 'exact', counts: true, result_trust_tier: 'refuted' });
      // replayed: the same row
      expect((await postJson('/api/reproductions', await signed(st, liar.key, REPRODUCTION_PAYLOAD_TYPE))).body).toMatchObject({ id: r.body.id, created: false });
    });

    it("a pending key's result of a pair does not absorb an approved key's later result of it", async () => {
      const squatter = await lab('squatter', false);
      const lp = cells.get('lp')!;
      const squat = { ...structuredClone(lp.bundle), started_at: new Date(Date.parse(lp.bundle.started_at) - 1000).toISOString() };
      const s1 = await postJson('/api/results', await signed(squat, squatter.key, RESULT_PAYLOAD_TYPE));
      expect(s1.status).toBe(201);
      expect(s1.body.key_status).toBe('pending');
      const real = await postJson('/api/results', await readFile(lp.envelopeFile, 'utf8'));
      expect(real.status).toBe(201);
      expect(real.body).toMatchObject({ created: true, key_id: labs.owner!.key.keyid });
      expect(real.body.reproduction).toBeUndefined();
    });

    it('refusals: signature first, wrong seed, own result, unknown result, pending keys do not count, revocation re-tiers', async () => {
      const owner = labs.owner!;
      const rep = labs.reproducer!;
      const base = (await api(`/api/reproductions?result=${exactId}`)).body.items as { id: string }[];
      const rerun = ((await api(`/api/reproductions/${base[0]!.id}`)).body.reproduction as { bundle: ResultBundle }).bundle;
      const sha = ((await api(`/api/results/${exactId}`)).body.result as { payload_sha256: string }).payload_sha256;
      const st = (over: Partial<ReproductionStatement> = {}): ReproductionStatement => ({
        schema_version: 1,
        original: { result_id: exactId, payload_sha256: sha },
        bundle: rerun,
        verdict: 'exact',
        created_at: new Date().toISOString(),
        ...over,
      });
      // a payload that is not even JSON, with a signature over other bytes: 401, never parsed
      const good = JSON.parse(await signed(st(), rep.key, REPRODUCTION_PAYLOAD_TYPE)) as { payload: string };
      const forged = await postJson('/api/reproductions', JSON.stringify({ ...good, payload: toBase64(utf8.encode('{not json')) }));
      expect(forged.status).toBe(401);
      expect(forged.body.error!.code).toBe('signature_invalid');
      const resultType = await postJson('/api/reproductions', await signed(st(), rep.key, RESULT_PAYLOAD_TYPE));
      expect(resultType.body.error).toMatchObject({ code: 'payload_type', path: 'payloadType' });
      const otherSeed = { ...rerun, config: { ...rerun.config, seed: rerun.config.seed + 1 } };
      const seed = await postJson('/api/reproductions', await signed(st({ bundle: otherSeed }), rep.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(seed.status).toBe(422);
      expect(seed.body.error).toMatchObject({ code: 'config_mismatch', path: 'payload.bundle.config.seed' });
      const own = await postJson('/api/reproductions', await signed(st(), owner.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(own.body.error).toMatchObject({ code: 'own_result' });
      const unknown = await postJson('/api/reproductions', await signed(st({ original: { result_id: '0'.repeat(20), payload_sha256: sha } }), rep.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'not_found', path: 'payload.original.result_id' });
      const badVerdict = await postJson('/api/reproductions', await signed({ ...st(), verdict: 'reproduced' }, rep.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(badVerdict.status).toBe(422);
      expect(badVerdict.body.error).toMatchObject({ code: 'statement_invalid', path: 'payload.verdict' });

      // a pending key's "differs" is stored but does not dispute; approved, it does; revoked, it stops
      const pending = await lab('pending-lab', false);
      const altered = structuredClone(rerun);
      altered.epochs[1]!.feat_dot += 1;
      // its own run record (a copy of the reproducer's run record would be refused: not_a_rerun)
      altered.started_at = new Date(Date.parse(rerun.started_at) + 120_000).toISOString();
      altered.finished_at = new Date(Date.parse(rerun.finished_at) + 120_000).toISOString();
      const p = await postJson('/api/reproductions', await signed(st({ bundle: altered }), pending.key, REPRODUCTION_PAYLOAD_TYPE));
      expect(p.status).toBe(201);
      expect(p.body).toMatchObject({ verdict: 'differs', counts: false, result_trust_tier: 'reproduced' });
      expect((p.body.comparison as { differing: { metric: string }[] }).differing.map((d) => d.metric)).toEqual(['epochs.1.feat_dot']);
      await setKeyStatus(db, pending.key.keyid, 'approved');
      expect(await tier(exactId)).toBe('disputed');
      await setKeyStatus(db, pending.key.keyid, 'revoked');
      expect(await tier(exactId)).toBe('reproduced');
    }, 120_000);
  });
}
