/**
 * First-start seeding through the real ingest pipeline on PGlite: both layouts (one gzipped
 * JSON-lines file per suite version, and the older one envelope per *.json file), idempotent
 * across restarts, a completely stored file skipped unread (seed_files), only missing envelopes
 * sent to ingest (a cut-off start resumes, a grown file costs its new lines), the reference key
 * pre-approved, a maintainer's revocation never undone.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalize, exportPublicKeyPem, generateKeyPair, RESULT_PAYLOAD_TYPE, signEnvelope, utf8 } from '../../../contract';
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';
import { setKeyStatus } from '../../../db/mutations/keys';
import { getKey } from '../../../db/queries/keys';
import { planCells } from '../../../runner/run/plan';
import { initBackend } from '../../../runner/train/backend';
import { getSuite } from '../../../runner/protocols/suites/index';
import { gzipLines } from '../../../seed/files';
import { loadSeed, seedConfig, type IngestFn } from '../../../seed/load';
import { seedBundle, selectPlanConfigs, PLAN } from '../../fixtures/bundle';

// server-only throws outside a React Server Components build; the ingest module imports it.
vi.mock('server-only', () => ({}));
const { ingestEnvelope } = await import('../../../app/_server/ingest');
const ingest: IngestFn = (db, body) => ingestEnvelope(db, body, { rateLimit: 0 });

/** `ingest`, counting its calls; throws a server error (not a refusal) on call `failAt` when given. */
function counting(failAt?: number) {
  const c = { calls: 0, fn: (async (db, body) => {
    c.calls++;
    if (c.calls === failAt) throw new Error('database went away');
    return ingest(db, body);
  }) as IngestFn };
  return c;
}

let root: string;
let pem: string;
/** Envelope files exactly as `headprep sign` writes them (canonical JSON + "\n"). */
let signed: string[];
const N = () => signed.length;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'headprep-seed-'));
  const key = await generateKeyPair();
  pem = await exportPublicKeyPem(key.publicKey);
  writeFileSync(join(root, 'ref.pem'), pem);
  const configs = selectPlanConfigs(await planCells(getSuite('synthetic-linear@1'), { backend: await initBackend('auto') }));
  signed = [];
  for (const c of configs) {
    const env = await signEnvelope(utf8.encode(JSON.stringify(await seedBundle(c, { offset: 0 }))), RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
    signed.push(`${canonicalize(env)}\n`);
  }
  expect(N()).toBe(PLAN.resultsPerCell);
});

/** A fresh folder holding `files` (name -> bytes). */
function folder(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(root, 'envelopes-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}
const gz = (envelopes: string[]) => gzipLines(envelopes.map((e) => utf8.encode(e.trimEnd())));
const cfgOf = (dir: string) => seedConfig({ HEADPREP_SEED_DIR: dir, HEADPREP_SEED_PUBKEY: join(root, 'ref.pem') });

async function freshDb(): Promise<DbHandle> {
  return createDb({ HEADPREP_DATA_DIR: 'memory://' });
}
const count = async (db: DbHandle, table = 'results') => Number((await db.execute<{ c: number }>(sql.raw(`select count(*)::int as c from ${table}`))).rows[0]!.c);

describe('seed loader, one envelope per *.json file (the older layout, the e2e seed)', () => {
  let db: DbHandle;
  let dir: string;
  let keyId: string;
  beforeAll(async () => {
    db = await freshDb();
    dir = folder(Object.fromEntries(signed.map((e, i) => [`cell-${i}.envelope.json`, e])));
  });
  afterAll(async () => {
    await db?.$close();
  });

  it('loads every envelope through ingest with the reference key approved', async () => {
    const r = await loadSeed(db, cfgOf(dir), ingest);
    expect(r.failed).toEqual([]);
    expect(r).toMatchObject({ files: N(), envelopes: N(), created: N(), stored: 0, replayed: 0 });
    keyId = r.key_ids[0]!;
    expect((await getKey(db, keyId))!.status).toBe('approved');
    expect(await count(db)).toBe(N());
  });

  it('a second start stores nothing new and reads no file again', async () => {
    const c = counting();
    const r = await loadSeed(db, cfgOf(dir), c.fn);
    expect(r).toMatchObject({ files: N(), skipped_files: N(), envelopes: N(), stored: N(), created: 0, failed: [] });
    expect(c.calls).toBe(0);
    expect(await count(db)).toBe(N());
  });

  it('never re-approves a revoked reference key; disabled and missing folders do nothing', async () => {
    await setKeyStatus(db, keyId, 'revoked');
    const r = await loadSeed(db, cfgOf(dir), ingest);
    expect((await getKey(db, keyId))!.status).toBe('revoked');
    expect(r.created).toBe(0);
    expect(await count(db)).toBe(N());
    expect((await loadSeed(db, { ...cfgOf(dir), enabled: false }, ingest)).files).toBe(0);
    expect((await loadSeed(db, seedConfig({ HEADPREP_SEED_DIR: join(root, 'nope') }), ingest)).files).toBe(0);
  });

  it('a refused envelope is reported with its file name, and only that file is looked at again next start', async () => {
    const dir2 = folder({ 'a.envelope.json': signed[0]!, 'b.json': '{"payload":"e30=","payloadType":"x","signatures":[]}' });
    const r = await loadSeed(db, cfgOf(dir2), ingest);
    expect(r).toMatchObject({ files: 2, stored: 1 });
    expect(r.failed).toEqual([expect.objectContaining({ file: 'b.json', status: 400 })]);
    const again = counting();
    expect(await loadSeed(db, cfgOf(dir2), again.fn)).toMatchObject({ skipped_files: 1 });
    expect(again.calls).toBe(1);
  });
});

describe('seed loader, <suite>@<v>.jsonl.gz (the committed layout)', () => {
  it('stores each line as the envelope file it was packed from, records the file, and skips it unread next start', async () => {
    const db = await freshDb();
    try {
      const dir = folder({ 'synthetic-linear@1.jsonl.gz': gz(signed) });
      const r = await loadSeed(db, cfgOf(dir), ingest);
      expect(r.failed).toEqual([]);
      expect(r).toMatchObject({ files: 1, skipped_files: 0, envelopes: N(), created: N(), stored: 0 });
      const { rows } = await db.execute<{ envelope: Uint8Array }>(sql`select envelope from results`);
      expect(new Set(rows.map((x) => Buffer.from(x.envelope).toString('utf8')))).toEqual(new Set(signed));
      expect(await count(db, 'seed_files')).toBe(1);
      const c = counting();
      expect(await loadSeed(db, cfgOf(dir), c.fn)).toMatchObject({ files: 1, skipped_files: 1, envelopes: N(), stored: N(), created: 0 });
      expect(c.calls).toBe(0);
      // the same envelopes in the older layout next to it: nothing new, nothing sent to ingest
      const both = folder({ 'synthetic-linear@1.jsonl.gz': gz(signed), 'x.envelope.json': signed[3]! });
      const c2 = counting();
      expect(await loadSeed(db, cfgOf(both), c2.fn)).toMatchObject({ files: 2, envelopes: N() + 1, stored: N() + 1 });
      expect(c2.calls).toBe(0);
    } finally {
      await db.$close();
    }
  });

  it('a start cut off by a server error goes on where it stopped; a grown file costs only its new lines', async () => {
    const db = await freshDb();
    try {
      const k = Math.floor(N() / 2);
      const dir = folder({ 'synthetic-linear@1.jsonl.gz': gz(signed.slice(0, k)) });
      const cut = counting(3);
      await expect(loadSeed(db, cfgOf(dir), cut.fn)).rejects.toThrow(/database went away/);
      expect(await count(db)).toBe(2);
      expect(await count(db, 'seed_files')).toBe(0);
      const resumed = counting();
      expect(await loadSeed(db, cfgOf(dir), resumed.fn)).toMatchObject({ created: k - 2, stored: 2, failed: [] });
      expect(resumed.calls).toBe(k - 2);

      writeFileSync(join(dir, 'synthetic-linear@1.jsonl.gz'), gz(signed)); // scripts/pack-seed.ts added the rest
      const grown = counting();
      expect(await loadSeed(db, cfgOf(dir), grown.fn)).toMatchObject({ skipped_files: 0, envelopes: N(), created: N() - k, stored: k });
      expect(grown.calls).toBe(N() - k);
      expect(await count(db)).toBe(N());
      expect(await count(db, 'seed_files')).toBe(2); // one row per file content; the old one is harmless
    } finally {
      await db.$close();
    }
  });

  it('a refused line is reported as <file>:<line>; the file is not recorded, so only that line is tried again', async () => {
    const db = await freshDb();
    try {
      const stranger = await generateKeyPair();
      const env = await signEnvelope(utf8.encode('{"not":"a bundle"}'), RESULT_PAYLOAD_TYPE, stranger.privateKey, stranger.publicKey);
      const lines = [signed[0]!, `${canonicalize(env)}\n`, signed[1]!];
      const dir = folder({ 'synthetic-linear@1.jsonl.gz': gz(lines) });
      const r = await loadSeed(db, cfgOf(dir), ingest);
      expect(r).toMatchObject({ created: 2, envelopes: 3 });
      expect(r.failed).toEqual([expect.objectContaining({ file: 'synthetic-linear@1.jsonl.gz:2', status: 401, code: 'unknown_key' })]);
      expect(await count(db, 'seed_files')).toBe(0);
      const again = counting();
      const r2 = await loadSeed(db, cfgOf(dir), again.fn);
      expect(again.calls).toBe(1);
      expect(r2).toMatchObject({ stored: 2, failed: [expect.objectContaining({ file: 'synthetic-linear@1.jsonl.gz:2' })] });
    } finally {
      await db.$close();
    }
  });

  it('a .gz that does not gunzip fails the start with the file named', async () => {
    const db = await freshDb();
    try {
      mkdirSync(join(root, 'badgz'), { recursive: true });
      writeFileSync(join(root, 'badgz', 'x@1.jsonl.gz'), 'plain text');
      await expect(loadSeed(db, cfgOf(join(root, 'badgz')), ingest)).rejects.toThrow(/x@1\.jsonl\.gz: not a gzip file/);
    } finally {
      await db.$close();
    }
  });
});

describe('reference keys', () => {
  it('the committed reference keys (@1 and @2) are all pre-approved by default', () => {
    expect(seedConfig({}).publicKeyPems.length).toBeGreaterThanOrEqual(2);
    expect(pem).toMatch(/BEGIN PUBLIC KEY/);
  });
});
