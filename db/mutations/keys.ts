import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { keyIdOfRaw, toBase64, type IdentityDecision } from '../../contract';
import type { Db, Tx } from '../types';
import { identities, keys, results, type KeyRow, type TrustTier } from '../schema';
import { identityMatchFor } from '../queries/keys';
import { lockResults, reproducedBy, retierResults } from './reproductions';

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
 * Which identity a key joins when approved: `match` (the default: the identity of an approved key
 * whose name or contact matches, identityMatchFor, else a new one), `new` (an identity of its
 * own), or the id of an existing identity. The answer says which was decided and why.
 */
export type IdentityChoice = 'match' | 'new' | string;

export type { IdentityDecision } from '../../contract';

/**
 * Approves or revokes a key and moves its results' trust tier along in the same transaction:
 * approve: pending -> signed, and the key joins an identity (IdentityChoice); revoke: every tier
 * -> revoked (never ranked again). Results the key reproduced, and its own results, are locked and
 * re-tiered (db/mutations/reproductions.ts). Approving an approved key with an explicit identity
 * moves it to that identity (and re-tiers). Returns null when the key is unknown. Revoked keys
 * cannot be approved again (register a new key). Throws IdentityError for an unknown identity.
 */
export async function setKeyStatus(
  db: Db,
  keyId: string,
  status: 'approved' | 'revoked',
  opts: { identity?: IdentityChoice } = {},
): Promise<KeyRow | null> {
  return (await setKeyStatusWithIdentity(db, keyId, status, opts))?.key ?? null;
}

export class IdentityError extends Error {
  override name = 'IdentityError';
}

export async function setKeyStatusWithIdentity(
  db: Db,
  keyId: string,
  status: 'approved' | 'revoked',
  opts: { identity?: IdentityChoice } = {},
): Promise<{ key: KeyRow; identity: IdentityDecision | null } | null> {
  return db.transaction(async (tx) => {
    const [cur] = await tx.select().from(keys).where(eq(keys.keyId, keyId)).for('update');
    if (!cur) return null;
    const affected = sql`(${results.keyId} = ${keyId} or ${reproducedBy(keyId)})`;
    if (status === 'approved') {
      if (cur.status === 'revoked' || (cur.status === 'approved' && opts.identity === undefined)) return { key: cur, identity: null };
      const identity = await decideIdentity(tx, cur, opts.identity);
      const row = await changeKey(tx, keyId, affected, {
        set: { status: 'approved', approvedAt: cur.approvedAt ?? sql`now()`, identityId: identity.id },
        tiers: { from: eq(results.trustTier, 'pending'), to: 'signed' },
        // its results may already have reproductions, and its own reproductions now count
        retier: affected,
      });
      return { key: row, identity };
    }
    if (cur.status === 'revoked') return { key: cur, identity: null };
    const row = await changeKey(tx, keyId, affected, {
      set: { status: 'revoked', revokedAt: sql`now()` },
      tiers: { from: inArray(results.trustTier, ['pending', 'signed', 'reproduced', 'disputed', 'refuted']), to: 'revoked' },
      // its reproductions of other keys' results no longer count
      retier: reproducedBy(keyId),
    });
    return { key: row, identity: null };
  });
}

/**
 * One key transition inside setKeyStatusWithIdentity's transaction: updates the key row, locks the
 * `affected` results, moves the key's results of the `tiers.from` tiers to `tiers.to`, and re-derives
 * the tiers of the results `retier` selects.
 */
async function changeKey(
  tx: Tx,
  keyId: string,
  affected: SQL,
  change: { set: PgUpdateSetSource<typeof keys>; tiers: { from: SQL | undefined; to: TrustTier }; retier: SQL },
): Promise<KeyRow> {
  const [row] = await tx.update(keys).set(change.set).where(eq(keys.keyId, keyId)).returning();
  await lockResults(tx, affected);
  await tx
    .update(results)
    .set({ trustTier: change.tiers.to })
    .where(and(eq(results.keyId, keyId), change.tiers.from));
  await retierResults(tx, change.retier);
  return row!;
}

async function decideIdentity(tx: Tx, key: KeyRow, choice: IdentityChoice | undefined): Promise<IdentityDecision> {
  if (choice === undefined || choice === 'match') {
    const match = await identityMatchFor(tx, key);
    if (match) return { id: match.identity_id, name: match.identity_name, decision: 'matched', matched_on: match.matched_on };
    choice = 'new';
  }
  if (choice === 'new') {
    // the identity is named after its first key; its id is that key's id (unique, stable)
    await tx.insert(identities).values({ id: key.keyId, name: key.name }).onConflictDoNothing();
    const [row] = await tx.select().from(identities).where(eq(identities.id, key.keyId));
    return { id: row!.id, name: row!.name, decision: 'new', matched_on: [] };
  }
  const [row] = await tx.select().from(identities).where(eq(identities.id, choice));
  if (!row) throw new IdentityError(`no identity ${choice}`);
  return { id: row.id, name: row.name, decision: 'chosen', matched_on: [] };
}
