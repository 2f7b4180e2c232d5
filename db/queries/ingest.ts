import { sql } from 'drizzle-orm';
import type { Db } from '../types';
import { preparedSql } from '../prepared';
import { keys, reproductions, results, type KeyRow } from '../schema';

/** What the ingest needs of a signer's key row. */
export type SignerRow = Pick<KeyRow, 'keyId' | 'publicKey' | 'status'>;

// Key ids are 64 hex digits (the caller filters them), so a comma-joined list is unambiguous and
// binds the same way on every driver (no array-parameter serialisation differences).
const signersAndReplay = preparedSql<{
  key_id: string | null;
  public_key: string | null;
  status: KeyRow['status'] | null;
  existing_id: string | null;
  existing_key_id: string | null;
  existing_key_status: KeyRow['status'] | null;
}>(
  'headprep_signers_and_replay',
  // One row per known signer, plus the stored result (id, owner key and its status) on every row;
  // the right join keeps that row when no signer is known, so a replay is recognised either way.
  () => sql`select s.key_id, s.public_key, s.status, e.id as existing_id, e.key_id as existing_key_id, ek.status as existing_key_status
    from (select ${keys.keyId} as key_id, ${keys.publicKey} as public_key, ${keys.status} as status from ${keys}
          where ${keys.keyId} = any(string_to_array(${sql.placeholder('ids')}, ','))) s
    full join (select ${results.id} as id, ${results.keyId} as key_id from ${results} where ${results.payloadSha256} = ${sql.placeholder('sha')}) e on true
    left join ${keys} ek on ek.key_id = e.key_id`,
);

/** The stored result of a payload and its owner (the key that first submitted it). */
export interface StoredReplay {
  id: string;
  keyId: string;
  keyStatus: KeyRow['status'];
}

/**
 * The ingest hot path's one read: the signers' key rows and, in the same round trip, the result
 * already stored for this payload with its owner's key (the replay check).
 */
export async function getSignersAndReplay(
  db: Db,
  keyIds: string[],
  payloadSha256: string,
): Promise<{ keys: Map<string, SignerRow>; existing: StoredReplay | null }> {
  const out = new Map<string, SignerRow>();
  const { rows } = await signersAndReplay.run(db, { sha: payloadSha256, ids: [...new Set(keyIds)].join(',') });
  for (const r of rows) if (r.key_id) out.set(r.key_id, { keyId: r.key_id, publicKey: r.public_key!, status: r.status! });
  const e = rows.find((r) => r.existing_id);
  return { keys: out, existing: e ? { id: e.existing_id!, keyId: e.existing_key_id!, keyStatus: e.existing_key_status! } : null };
}

/** Bytes of the envelopes stored under a key, results and reproductions together (the pending-key storage quota). */
export async function getStoredBytesOfKey(db: Db, keyId: string): Promise<number> {
  const res = await db.execute<{ n: string | number }>(sql`select
      (select coalesce(sum(octet_length(${results.envelope})), 0) from ${results} where ${results.keyId} = ${keyId})
    + (select coalesce(sum(octet_length(${reproductions.envelope})), 0) from ${reproductions} where ${reproductions.keyId} = ${keyId}) as n`);
  return Number(res.rows[0]?.n ?? 0);
}
