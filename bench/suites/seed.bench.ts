/**
 * First-start seeding (seed/load.ts) of the committed seed files (seed/envelopes/*.jsonl.gz) through
 * the real ingest, as a server start runs it: on a fresh database (every envelope stored), then a
 * restart on the same database (files recorded in seed_files: nothing read past their hash), then a
 * restart after the records are deleted (every payload looked up, nothing sent to ingest), on
 * PGlite (a folder on disk, as `npm start` uses) and on the Postgres server at 127.0.0.1:5432 (a
 * fresh database, dropped after).
 * Metrics: fresh_ms, envelopes_per_sec (fresh), restart_ms, recheck_ms; seed_bytes (the committed
 * files) and envelopes.
 *
 * The ingest imports 'server-only', which resolves only under the "react-server" condition, so each
 * database runs in a child process (this file with --seed-worker), as in ingest.bench.ts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChildWorker, serveChildWorker } from '../child-worker';
import type { BenchResult, BenchSuite } from '../types';

type Driver = 'pglite' | 'postgres';
interface WorkerResult {
  metrics: Record<string, number>;
  params: Record<string, string | number>;
}

function runWorker(driver: Driver): Promise<WorkerResult> {
  return runChildWorker(import.meta.url, ['--seed-worker', driver], `seed worker (${driver})`);
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    for (const driver of ['pglite', 'postgres'] as const) {
      try {
        const r = await runWorker(driver);
        out.push({ name: `seed_${driver}`, params: r.params, metrics: r.metrics });
      } catch (e) {
        out.push({ name: `seed_${driver}`, params: { error: String((e as Error).message).slice(0, 300) }, metrics: { failed: 1 } });
      }
    }
    return out;
  },
};
export default suite;

// ---- worker (child process) ----

async function worker(driver: Driver): Promise<WorkerResult> {
  const { createDb } = await import('../../db/connect');
  const { sql } = await import('drizzle-orm');
  const { loadSeed, seedConfig } = await import('../../seed/load');
  const { seedFilesIn } = await import('../../seed/files');
  const { ingestEnvelope } = await import('../../app/_server/ingest');
  const { freshPostgresDatabase } = await import('../../fixtures/postgres');

  const cfg = seedConfig({});
  const seedBytes = seedFilesIn(cfg.dir).reduce((n, f) => n + statSync(join(cfg.dir, f)).size, 0);
  const dir = driver === 'pglite' ? mkdtempSync(join(tmpdir(), 'headprep-seed-bench-')) : null;
  const fresh = driver === 'postgres' ? await freshPostgresDatabase() : null;
  const env = fresh ? { DATABASE_URL: fresh.url } : { HEADPREP_DATA_DIR: dir! };
  const ingest = (db: Parameters<typeof ingestEnvelope>[0], body: Uint8Array) => ingestEnvelope(db, body, { rateLimit: 0 });
  try {
    const time = async (f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    let db = await createDb(env);
    let first: Awaited<ReturnType<typeof loadSeed>> | undefined;
    const freshMs = await time(async () => (first = await loadSeed(db, cfg, ingest)));
    if (first!.failed.length) throw new Error(`seed refused ${first!.failed.length} envelopes: ${JSON.stringify(first!.failed[0])}`);
    await db.$close();
    db = await createDb(env); // a restart: a new handle on the same database
    const restartMs = await time(() => loadSeed(db, cfg, ingest));
    await db.execute(sql`delete from seed_files`);
    const recheckMs = await time(() => loadSeed(db, cfg, ingest));
    await db.$close();
    return {
      params: { files: first!.files },
      metrics: {
        envelopes: first!.envelopes,
        seed_bytes: seedBytes,
        fresh_ms: Math.round(freshMs),
        envelopes_per_sec: Math.round((first!.created / freshMs) * 1000),
        restart_ms: Math.round(restartMs),
        recheck_ms: Math.round(recheckMs),
      },
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await fresh?.drop();
  }
}

serveChildWorker('--seed-worker', (driver) => worker(driver as Driver));
