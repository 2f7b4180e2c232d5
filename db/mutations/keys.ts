import { and, eq, inArray, sql } from 'drizzle-orm';
import { keyIdOfRaw, toBase64 } from '../../contract';
import type { Db } from '../types';
import { keys, results, type KeyRow } from '../schema';
import { reproducedBy, retierResults } from './reproductions';

export interface NewKey {
  publicKeyRaw: Uint8Array;
  name: string;
  contact: string;
}

/**
 * Registers a key as pending. Idempotent: registering a key that already exists returns the stored
 * row unchanged (its status, name and contact stay as they are), with created = false.
 */
export async function insertPendingKey(db: Db, k: NewKey): Promise<{ key: KeyRow; created: boolean }> {
  const keyId = await keyIdOfRaw(k.publicKeyRaw);
  const inserted = await db
    .insert(keys)
    .values({ keyId, publicKey: toBase64(k.publicKeyRaw), name: k.name, contact: k.contact, status: 'pending' })
    .onConflictDoNothing({ target: keys.keyId })
    .returning();
  if (inserted[0]) return { key: inserted[0], created: true };
  const [row] = await db.select().from(keys).where(eq(keys.keyId, keyId));
  return { key: row!, created: false };
}

/**
 * Makes sure a key exists and is approved (the project's reference key, seeded on first start).
 * A revoked key stays revoked: revocation is never undone by seeding.
 */
export async function upsertApprovedKey(db: Db, publicKeyRaw: Uint8Array, name: string, contact: string): Promise<KeyRow> {
  const { key } = await insertPendingKey(db, { publicKeyRaw, name, contact });
  if (key.status === 'pending') return (await setKeyStatus(db, key.keyId, 'approved'))!;
  return key;
}

/**
 * Approves or revokes a key and moves its results' trust tier along in the same transaction:
 * approve: pending -> signed; revoke: every tier -> revoked (never ranked again). Results the key
 * reproduced, and its own reproduced results, are re-tiered (db/mutations/reproductions.ts).
 * Returns null when the key is unknown. Revoked keys cannot be approved again (register a new key).
 */
export async function setKeyStatus(db: Db, keyId: string, status: 'approved' | 'revoked'): Promise<KeyRow | null> {
  return db.transaction(async (tx) => {
    const [cur] = await tx.select().from(keys).where(eq(keys.keyId, keyId)).for('update');
    if (!cur) return null;
    if (status === 'approved') {
      if (cur.status !== 'pending') return cur;
      const [row] = await tx
        .update(keys)
        .set({ status: 'approved', approvedAt: sql`now()` })
        .where(eq(keys.keyId, keyId))
        .returning();
      await tx
        .update(results)
        .set({ trustTier: 'signed' })
        .where(and(eq(results.keyId, keyId), eq(results.trustTier, 'pending')));
      // its results may already have reproductions, and its own reproductions now count
      await retierResults(tx, sql`(${results.keyId} = ${keyId} or ${reproducedBy(keyId)})`);
      return row!;
    }
    if (cur.status === 'revoked') return cur;
    const [row] = await tx
      .update(keys)
      .set({ status: 'revoked', revokedAt: sql`now()` })
      .where(eq(keys.keyId, keyId))
      .returning();
    await tx
      .update(results)
      .set({ trustTier: 'revoked' })
      .where(and(eq(results.keyId, keyId), inArray(results.trustTier, ['pending', 'signed', 'reproduced', 'disputed'])));
    // its reproductions of other keys' results no longer count
    await retierResults(tx, reproducedBy(keyId));
    return row!;
  });
}
