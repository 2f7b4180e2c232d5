/**
 * The server start's seeding (app/_server/seed-at-start.ts) on PGlite, with a real committed seed
 * file: the start waits at most HEADPREP_SEED_WAIT_S, then serves while the rest is stored in the
 * background; GET /api/health and the pages' SeedingNote say so until it is done.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb, setDb } from '../../../../db/connect';

vi.mock('server-only', () => ({}));
const { seedAtStart, seedDatabase, seedStatus, seedWaitMs } = await import('../../../../app/_server/seed-at-start');
const { SeedingNote } = await import('../../../../app/_components/seeding-note');
const health = await import('../../../../app/api/health/route');

const saved = { ...process.env };
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'headprep-seed-start-'));
  copyFileSync(join(process.cwd(), 'seed', 'envelopes', 'digits-transfer@1.jsonl.gz'), join(dir, 'digits-transfer@1.jsonl.gz'));
  setDb(null);
  delete process.env.DATABASE_URL;
  delete process.env.POSTGRES_URL;
  process.env.HEADPREP_DATA_DIR = 'memory://';
  process.env.HEADPREP_SEED_DIR = dir;
  delete process.env.HEADPREP_SEED;
});
afterAll(async () => {
  await (await getDb()).$close();
  setDb(null);
  process.env = saved;
});

describe('seeding at server start', () => {
  it('HEADPREP_SEED_WAIT_S: default 5 s, 0 allowed, anything else is refused by name', () => {
    expect(seedWaitMs({})).toBe(5000);
    expect(seedWaitMs({ HEADPREP_SEED_WAIT_S: '0' })).toBe(0);
    expect(seedWaitMs({ HEADPREP_SEED_WAIT_S: '2.5' })).toBe(2500);
    expect(() => seedWaitMs({ HEADPREP_SEED_WAIT_S: 'soon' })).toThrow(/HEADPREP_SEED_WAIT_S/);
  });

  it('serves after the wait while the seed loads in the background, and says so until it is done', async () => {
    expect(seedStatus().state).toBe('idle');
    expect(renderToStaticMarkup(createElement(SeedingNote))).toBe('');
    await seedAtStart(0);
    expect(seedStatus().state).toBe('running');
    expect(((await (await health.GET()).json()) as { seed: { state: string } }).seed.state).toBe('running');
    expect(renderToStaticMarkup(createElement(SeedingNote))).toMatch(/Loading the reference results(: \d+ of \d+ stored so far)?\. Rankings/);

    await seedDatabase(); // the same run: resolves when it is done
    expect(seedStatus()).toEqual({ state: 'done', todo: 45, done: 45 });
    expect(await (await health.GET()).json()).toMatchObject({ ok: true, seed: { state: 'done', todo: 45, done: 45 } });
    expect(renderToStaticMarkup(createElement(SeedingNote))).toBe('');
    const { rows } = await (await getDb()).execute<{ c: number }>(sql`select count(*)::int as c from results where suite_name = 'digits-transfer'`);
    expect(rows[0]!.c).toBe(45);
  });
});
