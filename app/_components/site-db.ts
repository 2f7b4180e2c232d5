import 'server-only';
import { getDb, type DbHandle } from '../../db/connect';
import { ingestEnvelope } from '../_server/ingest';
import { loadSeed, seedConfig } from '../../seed/load';

const g = globalThis as typeof globalThis & { __headprepSeeded?: Promise<void> };

/**
 * The database handle for the site's pages and read endpoints. On the first call of a server
 * process the committed seed envelopes go through the real ingest (seed/load.ts: idempotent), so
 * a fresh `npm start` shows a populated leaderboard. A seeding failure is logged, never fatal.
 */
export async function getSiteDb(): Promise<DbHandle> {
  const db = await getDb();
  if (!g.__headprepSeeded) {
    g.__headprepSeeded = loadSeed(db, seedConfig(), (d, body) => ingestEnvelope(d, body, { rateLimit: 0 }))
      .then((r) => {
        if (r.files > 0)
          console.log(
            `headprep seed: ${r.files} envelopes (${r.created} new, ${r.replayed} already stored, ${r.failed.length} refused) in ${Math.round(r.ms)} ms` +
              (r.key_ids.length ? `; reference keys ${r.key_ids.map((k) => `${k.slice(0, 16)}…`).join(', ')}` : ''),
          );
        for (const f of r.failed.slice(0, 10)) console.warn(`headprep seed: ${f.file} refused: ${f.status} ${f.code}: ${f.message}`);
      })
      .catch((e: unknown) => {
        console.error(`headprep seed: failed: ${(e as Error).stack ?? e}`);
      });
  }
  await g.__headprepSeeded;
  return db;
}
