/**
 * Loads the committed seed envelopes (seed/README.md) through the real ingest pipeline, once per
 * server start (instrumentation.ts). A restart costs a few database reads (seed/load.ts skips what
 * is stored). A first start on an empty database stores every envelope, which takes a while, so the
 * server waits for it at most HEADPREP_SEED_WAIT_S seconds (default 5) and then serves while the
 * rest loads in the background; pages say so (SeedingNote) until it is done. Idempotent; a failure
 * is logged, never fatal: the site serves whatever the database holds.
 */
import 'server-only';
import { idPreview } from '../../contract';
import { getDb } from '../../db/connect';
import { loadSeed, seedConfig, type SeedReport } from '../../seed/load';
import { ingestEnvelope } from './ingest';
import { seedStatus, setSeedStatus } from './seed-status';
import { describeDatabaseError, recordSeedOutcome } from './health';
import { failureLine } from './failure-log';

const g = globalThis as typeof globalThis & { __headprepSeedRun?: Promise<void> };

export { seedStatus };

function logReport(r: SeedReport): void {
  if (r.files > 0)
    console.log(
      `headprep seed: ${r.envelopes} envelopes in ${r.files} file${r.files === 1 ? '' : 's'} (${r.created} new, ${r.stored + r.replayed} already stored, ${r.failed.length} refused) in ${Math.round(r.ms)} ms` +
        (r.key_ids.length ? `; reference keys ${r.key_ids.map(idPreview).join(', ')}` : ''),
    );
  for (const f of r.failed.slice(0, 10)) console.warn(`headprep seed: ${f.file} refused: ${f.status} ${f.code}: ${f.message}`);
  if (r.failed.length > 10) console.warn(`headprep seed: ... and ${r.failed.length - 10} more refused`);
}

/** Seeds the database (once per process; later calls return the same run). Resolves when done; never rejects. */
export function seedDatabase(): Promise<void> {
  g.__headprepSeedRun ??= (async () => {
    setSeedStatus({ state: 'running', todo: 0, done: 0 });
    try {
      const db = await getDb();
      const r = await loadSeed(db, seedConfig(), (d, body) => ingestEnvelope(d, body, { rateLimit: 0 }), (p) => {
        setSeedStatus({ state: 'running', ...p });
      });
      setSeedStatus({ ...seedStatus(), state: 'done' });
      logReport(r);
      recordSeedOutcome(r.failed.length ? `${r.failed.length} of ${r.envelopes} reference envelopes were refused (see the server log)` : null);
    } catch (e) {
      setSeedStatus({ ...seedStatus(), state: 'failed' });
      // the cause, not only the wrapper: e.g. database "headprep" does not exist (3D000)
      const cause = describeDatabaseError(e);
      recordSeedOutcome(`storing the reference results failed: ${cause}`);
      // one line, never the failed query's parameters (whole envelopes): app/_server/failure-log.ts
      console.error(failureLine('headprep seed: failed', e));
    }
  })();
  return g.__headprepSeedRun;
}

/** Seconds a server start waits for the seed before it serves (HEADPREP_SEED_WAIT_S, default 5). */
export function seedWaitMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.HEADPREP_SEED_WAIT_S;
  if (raw === undefined || raw === '') return 5000;
  const s = Number(raw);
  if (!Number.isFinite(s) || s < 0) throw new Error(`HEADPREP_SEED_WAIT_S must be a number of seconds >= 0, got "${raw}"`);
  return s * 1000;
}

/**
 * Starts seeding and waits for it at most `waitMs`; the rest goes on in the background (logged
 * when it is done, with a line saying the server did not wait for it).
 */
export async function seedAtStart(waitMs = seedWaitMs()): Promise<void> {
  const run = seedDatabase();
  let timer: NodeJS.Timeout | undefined;
  const waited = await Promise.race([
    run.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), waitMs);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
  if (!waited) {
    const s = seedStatus();
    console.log(
      `headprep seed: still loading after ${waitMs / 1000} s${s.todo ? ` (${s.done} of ${s.todo} envelopes stored)` : ''}; serving meanwhile, the rest loads in the background`,
    );
  }
}
