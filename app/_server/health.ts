/**
 * The database check behind GET /api/health and the pages' 503 (proxy.ts): the shared handle
 * opens (which applies migrations), answers a query, and has every migration of this build.
 * No 'server-only' import: proxy.ts (Node runtime) imports it too, and shares the handle through
 * getDb's process-wide slot.
 */
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { driverFor, getDb, migrationsFolder } from '../../db/connect';
import { describeDatabaseError } from './db-error';

export { describeDatabaseError };

export type DatabaseHealth =
  | { ok: true; driver: string; migrations: number; latency_ms: number }
  | { ok: false; driver: string; code: 'unavailable' | 'unmigrated'; reason: string };

let expected: number | null = null;
/** Migrations this build ships (db/migrations), read once. */
function expectedMigrations(): number {
  if (expected === null) expected = readMigrationFiles({ migrationsFolder: migrationsFolder() }).length;
  return expected;
}

/** Checks the database now; never throws. */
export async function checkDatabase(): Promise<DatabaseHealth> {
  const driver = driverFor(process.env);
  const t0 = performance.now();
  try {
    const db = await getDb();
    const r = await db.execute<{ n: string | number }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
    const n = Number(r.rows[0]?.n ?? 0);
    const want = expectedMigrations();
    if (n < want)
      return { ok: false, driver, code: 'unmigrated', reason: `the database has ${n} of this build's ${want} migrations applied (db/migrations); they are applied at start, so check the server log for the migration error` };
    return { ok: true, driver, migrations: n, latency_ms: Math.round((performance.now() - t0) * 10) / 10 };
  } catch (e) {
    return { ok: false, driver, code: 'unavailable', reason: describeDatabaseError(e) };
  }
}

const g = globalThis as typeof globalThis & { __headprepHealth?: { at: number; value: Promise<DatabaseHealth> }; __headprepSeedError?: string | null };

/** checkDatabase, reused for `maxAgeMs` (the pages' check runs at most once per interval). */
export function cachedDatabaseHealth(maxAgeMs = 2000): Promise<DatabaseHealth> {
  const now = Date.now();
  if (!g.__headprepHealth || now - g.__headprepHealth.at > maxAgeMs) g.__headprepHealth = { at: now, value: checkDatabase() };
  return g.__headprepHealth.value;
}

/** Records how storing the reference results at start went (null: fine), for GET /api/health's `degraded`. */
export function recordSeedOutcome(error: string | null): void {
  g.__headprepSeedError = error;
}

export function seedError(): string | null {
  return g.__headprepSeedError ?? null;
}
