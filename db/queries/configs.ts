/** Reference config reads: the exact CellConfig a ranked result ran, by protocol fingerprint. */
import { sql } from 'drizzle-orm';
import { CellConfigSchema, type CellConfig } from '../../contract';
import type { Db } from '../types';
import { RANKED_TIERS } from '../schema';

/**
 * The config stored with a ranked (approved key, ok, not hidden) result of this fingerprint, seed
 * `seed` when such a result exists, else the smallest stored seed. Null when none is ranked.
 * Every result of one fingerprint has the same config up to the seed (that is what the
 * fingerprint means), so any of them is the reference config.
 */
export async function getConfigByFingerprint(db: Db, fingerprint: string, seed: number | null = null): Promise<CellConfig | null> {
  const tiers = sql.join(RANKED_TIERS.map((t) => sql`${t}`), sql`, `);
  const res = await db.execute<{ config: CellConfig | string }>(sql`
    select config from results
     where fingerprint = ${fingerprint} and status = 'ok' and not hidden and trust_tier in (${tiers})
     order by (seed = ${seed ?? -1}) desc, seed asc, seq asc
     limit 1
  `);
  const c = res.rows[0]?.config;
  if (c === undefined) return null;
  // Parsing restores the schema's field order (jsonb stores keys in its own order).
  return CellConfigSchema.parse(typeof c === 'string' ? JSON.parse(c) : c);
}
