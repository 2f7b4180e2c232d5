/**
 * First-start seeding through the real ingest pipeline on PGlite: idempotent across restarts, the
 * reference key pre-approved, a maintainer's revocation never undone.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportPublicKeyPem, generateKeyPair, RESULT_PAYLOAD_TYPE, signEnvelope, utf8 } from '../../../contract';
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';
import { setKeyStatus } from '../../../db/mutations/keys';
import { getKey } from '../../../db/queries/keys';
import { planCells } from '../../../runner/run/plan';
import { initBackend } from '../../../runner/train/backend';
import { getSuite } from '../../../runner/protocols/suites/index';
import { loadSeed, seedConfig, type IngestFn } from '../../../seed/load';
import { seedBundle, selectPlanConfigs, PLAN } from '../../fixtures/bundle';

// server-only throws outside a React Server Components build; the ingest module imports it.
vi.mock('server-only', () => ({}));
const { ingestEnvelope } = await import('../../../app/_server/ingest');
const ingest: IngestFn = (db, body) => ingestEnvelope(db, body, { rateLimit: 0 });

let db: DbHandle;
let dir: string;
let keyId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'headprep-seed-'));
  mkdirSync(join(dir, 'envelopes'));
  const key = await generateKeyPair();
  writeFileSync(join(dir, 'ref.pem'), await exportPublicKeyPem(key.publicKey));
  const configs = selectPlanConfigs(await planCells(getSuite('synthetic-linear@1'), { backend: await initBackend('auto') }));
  for (const c of configs) {
    const env = await signEnvelope(utf8.encode(JSON.stringify(await seedBundle(c, { offset: 0 }))), RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
    writeFileSync(join(dir, 'envelopes', `${c.strategy.id}-${c.tau}-${c.seed}.json`), JSON.stringify(env));
  }
  db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
});

afterAll(async () => {
  await db?.$close();
});

const cfg = () => seedConfig({ HEADPREP_SEED_DIR: join(dir, 'envelopes'), HEADPREP_SEED_PUBKEY: join(dir, 'ref.pem') });
const count = async () => Number((await db.execute<{ c: number }>(sql`select count(*)::int as c from results`)).rows[0]!.c);

describe('seed loader', () => {
  it('loads every envelope through ingest with the reference key approved', async () => {
    const r = await loadSeed(db, cfg(), ingest);
    expect(r.failed).toEqual([]);
    expect(r).toMatchObject({ files: PLAN.resultsPerCell, created: PLAN.resultsPerCell, replayed: 0 });
    keyId = r.key_ids[0]!;
    expect((await getKey(db, keyId))!.status).toBe('approved');
    expect(await count()).toBe(PLAN.resultsPerCell);
  });

  it('is idempotent: a second start replays, stores nothing new', async () => {
    const r = await loadSeed(db, cfg(), ingest);
    expect(r).toMatchObject({ created: 0, replayed: PLAN.resultsPerCell, failed: [] });
    expect(await count()).toBe(PLAN.resultsPerCell);
  });

  it('never re-approves a revoked reference key; disabled and missing folders do nothing', async () => {
    await setKeyStatus(db, keyId, 'revoked');
    const r = await loadSeed(db, cfg(), ingest);
    expect((await getKey(db, keyId))!.status).toBe('revoked');
    expect(r.failed.every((f) => f.status === 403 && f.code === 'key_revoked')).toBe(true);
    expect(await count()).toBe(PLAN.resultsPerCell);
    expect((await loadSeed(db, { ...cfg(), enabled: false }, ingest)).files).toBe(0);
    expect((await loadSeed(db, seedConfig({ HEADPREP_SEED_DIR: join(dir, 'nope') }), ingest)).files).toBe(0);
  });

  it('the committed reference keys (@1 and @2) are all pre-approved by default', () => {
    expect(seedConfig({}).publicKeyPems.length).toBeGreaterThanOrEqual(2);
  });
});
