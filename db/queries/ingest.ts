import { sql } from 'drizzle-orm';
import type { Db } from '../connect';
import { preparedSql } from '../prepared';
import { keys, results, type KeyRow } from '../schema';

/** What the ingest needs of a signer's key row. */
export type SignerRow = Pick<KeyRow, 'keyId' | 'publicKey' | 'status'>;

// Key ids are 64 hex digits (the caller filters them), so a comma-joined list is unambiguous and
// binds the same way on every driver (no array-parameter serialisation differences).
const signersAndReplay = preparedSql<{ key_id: string; public_key: string; status: KeyRow['status']; existing_id: string | null }>(
  'headprep_signers_and_replay',
  () => sql`select ${keys.keyId}, ${keys.publicKey}, ${keys.status},
      (select ${results.id} from ${results} where ${results.payloadSha256} = ${sql.placeholder('sha')}) as existing_id
    from ${keys} where ${keys.keyId} = any(string_to_array(${sql.placeholder('ids')}, ','))`,
);

/**
 * The ingest hot path's one read: the signers' key rows and, in the same round trip, the id of a
 * result already stored for this payload (the replay check). Empty keyIds -> no query.
 */
export async function getSignersAndReplay(
  db: Db,
  keyIds: string[],
  payloadSha256: string,
): Promise<{ keys: Map<string, SignerRow>; existingId: string | null }> {
  const out = new Map<string, SignerRow>();
  if (keyIds.length === 0) return { keys: out, existingId: null };
  const { rows } = await signersAndReplay.run(db, { sha: payloadSha256, ids: [...new Set(keyIds)].join(',') });
  for (const r of rows) out.set(r.key_id, { keyId: r.key_id, publicKey: r.public_key, status: r.status });
  return { keys: out, existingId: rows[0]?.existing_id ?? null };
}
