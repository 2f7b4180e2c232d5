import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../connect';
import { keys, results, type KeyRow } from '../schema';

/**
 * The ingest hot path's one read: the signers' key rows and, in the same round trip, the id of a
 * result already stored for this payload (the replay check). Empty keyIds -> no query.
 */
export async function getSignersAndReplay(
  db: Db,
  keyIds: string[],
  payloadSha256: string,
): Promise<{ keys: Map<string, KeyRow>; existingId: string | null }> {
  const out = new Map<string, KeyRow>();
  if (keyIds.length === 0) return { keys: out, existingId: null };
  const rows = await db
    .select({
      key: keys,
      existingId: sql<string | null>`(select ${results.id} from ${results} where ${results.payloadSha256} = ${payloadSha256})`,
    })
    .from(keys)
    .where(inArray(keys.keyId, [...new Set(keyIds)]));
  for (const r of rows) out.set(r.key.keyId, r.key);
  return { keys: out, existingId: rows[0]?.existingId ?? null };
}
