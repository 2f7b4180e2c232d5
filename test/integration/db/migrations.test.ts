/** Migrations, suites seeding, key lifecycle and the rate limiter on PGlite (on disk) and Postgres. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, createDb, migrationsFolder } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';
import { insertPendingKey, setKeyStatus, upsertApprovedKey } from '../../../db/mutations/keys';
import { hitRateLimit } from '../../../db/mutations/rate-limit';
import { listSuites } from '../../../db/queries/suites';
import { getKey } from '../../../db/queries/keys';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { freshPostgresDatabase } from '../_helpers/databases';
import { describePostgres } from '../_helpers/describe-postgres';

const nMigrations = readMigrationFiles({ migrationsFolder: migrationsFolder() }).length;
const migrationRows = async (db: DbHandle) =>
  Number((await db.execute<{ n: string | number }>(sql`select count(*) as n from drizzle.__drizzle_migrations`)).rows[0]!.n);

describe('PGlite on disk', () => {
  let dir: string;
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('migrates on first open and reopens without re-applying; data survives', async () => {
    dir = await mkdtemp(join(tmpdir(), 'headprep-pglite-'));
    const a = await createDb({ HEADPREP_DATA_DIR: dir });
    expect(await migrationRows(a)).toBe(nMigrations);
    const raw = new Uint8Array(32).fill(7);
    await upsertApprovedKey(a, raw, 'ref', 'ref@example.org');
    await a.$close();
    const b = await createDb({ HEADPREP_DATA_DIR: dir });
    expect(await migrationRows(b)).toBe(nMigrations);
    expect(await applyMigrations(b)).toBe(0);
    expect((await listSuites(b)).length).toBeGreaterThan(0);
    const { key, created } = await insertPendingKey(b, { publicKeyRaw: raw, name: 'other', contact: 'x@y.z' });
    expect(created).toBe(false);
    expect(key).toMatchObject({ status: 'approved', name: 'ref' });
    await b.$close();
  });
});

describePostgres('Postgres server', () => {
  it('concurrent cold starts apply migrations exactly once', async () => {
    const fresh = await freshPostgresDatabase();
    try {
      const dbs = await Promise.all(Array.from({ length: 5 }, () => createDb({ DATABASE_URL: fresh.url, HEADPREP_DB_POOL_MAX: '2' })));
      expect(await migrationRows(dbs[0]!)).toBe(nMigrations);
      const suites = await listSuites(dbs[0]!);
      expect(new Set(suites.map((s) => `${s.name}@${s.version}`)).size).toBe(suites.length);
      await Promise.all(dbs.map((d) => d.$close()));
    } finally {
      await fresh.drop();
    }
  });

  it('key lifecycle: pending -> approved -> revoked, never back', async () => {
    const fresh = await freshPostgresDatabase();
    const db = await createDb({ DATABASE_URL: fresh.url });
    try {
      const raw = new Uint8Array(32).fill(3);
      const { key } = await insertPendingKey(db, { publicKeyRaw: raw, name: 'n', contact: 'c@d.e' });
      expect(key.status).toBe('pending');
      expect((await setKeyStatus(db, key.keyId, 'approved'))!.approvedAt).toBeInstanceOf(Date);
      expect((await setKeyStatus(db, key.keyId, 'revoked'))!.status).toBe('revoked');
      expect((await setKeyStatus(db, key.keyId, 'approved'))!.status).toBe('revoked');
      expect((await upsertApprovedKey(db, raw, 'n', 'c@d.e')).status).toBe('revoked');
      expect(await setKeyStatus(db, 'f'.repeat(64), 'approved')).toBeNull();
      expect((await getKey(db, key.keyId))!.revokedAt).toBeInstanceOf(Date);
    } finally {
      await db.$close();
      await fresh.drop();
    }
  });

  it('the rate limiter counts per bucket and window in the database, also concurrently', async () => {
    const fresh = await freshPostgresDatabase();
    const db = await createDb({ DATABASE_URL: fresh.url });
    try {
      const t = Date.UTC(2026, 10, 27, 12, 0, 30);
      const hits = await Promise.all(Array.from({ length: 12 }, () => hitRateLimit(db, 'k1', 10, 60, t)));
      expect(hits.filter((h) => h.allowed)).toHaveLength(10);
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(hits[0]!.retryAfterS).toBe(30);
      expect((await hitRateLimit(db, 'k2', 10, 60, t)).allowed).toBe(true);
      expect((await hitRateLimit(db, 'k1', 10, 60, t + 60_000)).count).toBe(1);
      expect((await hitRateLimit(db, 'k1', 0, 60, t)).allowed).toBe(true);
      // A 60 s and a 3600 s window starting at the same instant (the top of an hour) count apart,
      // and sweeping old 60 s windows never resets a running hour window.
      const hour = Math.ceil(t / 3_600_000) * 3_600_000;
      for (let i = 0; i < 5; i++) await hitRateLimit(db, 'k3', 600, 60, hour + 1000);
      expect((await hitRateLimit(db, 'k3', 3, 3600, hour + 2000)).count).toBe(1);
      await hitRateLimit(db, 'k3', 600, 60, hour + 20 * 60_000); // first hit of a later 60 s window sweeps
      expect((await hitRateLimit(db, 'k3', 3, 3600, hour + 20 * 60_000)).count).toBe(2);
    } finally {
      await db.$close();
      await fresh.drop();
    }
  });
});
