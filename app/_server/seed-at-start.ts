import 'server-only';
import { getDb } from '../../db/connect';
import { loadSeed, seedConfig } from '../../seed/load';
import { ingestEnvelope } from './ingest';
import { describeDatabaseError, recordSeedOutcome } from './health';

/**
 * Loads the committed seed envelopes (seed/README.md) through the real ingest pipeline, once per
 * server start (instrumentation.ts), before the first request is served: page reads never write.
 * Idempotent (stored payloads are replays). A failure is logged, never fatal: the site serves
 * whatever the database holds.
 */
export async function seedDatabase(): Promise<void> {
  try {
    const db = await getDb();
    const r = await loadSeed(db, seedConfig(), (d, body) => ingestEnvelope(d, body, { rateLimit: 0 }));
    if (r.files > 0)
      console.log(
        `headprep seed: ${r.files} envelopes (${r.created} new, ${r.replayed} already stored, ${r.failed.length} refused) in ${Math.round(r.ms)} ms` +
          (r.key_ids.length ? `; reference keys ${r.key_ids.map((k) => `${k.slice(0, 16)}…`).join(', ')}` : ''),
      );
    for (const f of r.failed.slice(0, 10)) console.warn(`headprep seed: ${f.file} refused: ${f.status} ${f.code}: ${f.message}`);
    recordSeedOutcome(r.failed.length ? `${r.failed.length} of ${r.files} reference envelopes were refused (see the server log)` : null);
  } catch (e) {
    // the cause, not only the wrapper: e.g. database "headprep" does not exist (3D000)
    const cause = describeDatabaseError(e);
    recordSeedOutcome(`storing the reference results failed: ${cause}`);
    console.error(`headprep seed: failed: ${cause}\n${(e as Error).stack ?? e}`);
  }
}
