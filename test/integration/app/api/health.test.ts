/**
 * GET /api/health tells the truth about the database: 200 with the driver and migration count on
 * a migrated PGlite (and `degraded` once storing the reference results failed); 503 with the
 * reason for a Postgres server without the named database, and for a port nothing listens on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb, setDb } from '../../../../db/connect';
import { GET } from '../../../../app/api/health/route';
import { recordSeedOutcome } from '../../../../app/_server/health';
import { POSTGRES_URL } from '../../_helpers/databases';
import { freePort } from '../../_helpers/route-server';

vi.mock('server-only', () => ({}));

const saved = { ...process.env };
afterEach(() => {
  setDb(null);
  process.env = { ...saved };
  recordSeedOutcome(null);
});

async function health() {
  const r = await GET();
  return { status: r.status, retry: r.headers.get('retry-after'), body: (await r.json()) as { ok?: boolean; database?: { migrations: number }; degraded?: string; error?: { code: string; message: string } } };
}

describe('GET /api/health', () => {
  it('200 on a migrated database; degraded names a failed seed', async () => {
    const db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
    setDb(db);
    const ok = await health();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, database: { driver: 'pglite' } });
    expect(ok.body.database!.migrations).toBeGreaterThanOrEqual(4);
    expect(ok.body.degraded).toBeUndefined();
    recordSeedOutcome('storing the reference results failed: boom');
    expect((await health()).body.degraded).toMatch(/reference results failed: boom/);
    await db.$close();
  });

  it('503 with the reason when nothing listens on the database port', async () => {
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await freePort()}/headprep_gone`;
    const r = await health();
    expect(r.status).toBe(503);
    expect(r.retry).toBe('5');
    expect(r.body.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it.skipIf(!POSTGRES_URL)('503 with the reason for a database that does not exist on the server', async () => {
    const u = new URL(POSTGRES_URL!);
    u.pathname = `/headprep_missing_${Date.now().toString(36)}`;
    process.env.DATABASE_URL = u.toString();
    const r = await health();
    expect(r.status).toBe(503);
    expect(r.body.error!.code).toBe('unavailable');
    expect(r.body.error!.message).toMatch(/database "headprep_missing_\w+" does not exist \(3D000\)/);
  });
});
