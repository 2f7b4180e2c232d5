import { and, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { IdentityMatch } from '../../contract';
import type { Db, Tx } from '../types';
import { identities, keys, type KeyRow, type KeyStatus } from '../schema';

/** What a key's public views show of it: name, status and its lifecycle times (ISO 8601; null until they happen). */
export function keyState(k: Pick<KeyRow, 'name' | 'status' | 'createdAt' | 'approvedAt' | 'revokedAt'>) {
  return {
    name: k.name,
    status: k.status,
    created_at: k.createdAt.toISOString(),
    approved_at: k.approvedAt?.toISOString() ?? null,
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

export async function getKey(db: Db | Tx, keyId: string): Promise<KeyRow | null> {
  const [row] = await db.select().from(keys).where(eq(keys.keyId, keyId)).limit(1);
  return row ?? null;
}

export async function listKeys(db: Db, opts: { status?: KeyStatus; limit?: number } = {}): Promise<KeyRow[]> {
  const q = db.select().from(keys);
  const filtered = opts.status ? q.where(eq(keys.status, opts.status)) : q;
  return filtered.orderBy(desc(keys.createdAt)).limit(Math.min(opts.limit ?? 500, 5000));
}

/** Key rows by id (unknown ids are left out). */
export async function listKeysByIds(db: Db, keyIds: string[]): Promise<KeyRow[]> {
  if (!keyIds.length) return [];
  return db.select().from(keys).where(inArray(keys.keyId, [...new Set(keyIds)]));
}

export type { IdentityMatch } from '../../contract';

const norm = (c: typeof keys.name | typeof keys.contact) => sql`lower(btrim(${c}))`;

/**
 * The identity of the approved keys whose name or contact equals `key`'s (case and surrounding
 * space ignored), contact matches first; null when none does. Shown to the maintainer before
 * approval (GET /api/admin/keys) and used as the default when approving.
 */
export async function identityMatchFor(db: Db | Tx, key: Pick<KeyRow, 'keyId' | 'name' | 'contact'>): Promise<IdentityMatch | null> {
  const name = key.name.trim().toLowerCase();
  const contact = key.contact.trim().toLowerCase();
  const rows = await db
    .select({ keyId: keys.keyId, name: keys.name, contact: keys.contact, identityId: sql<string>`coalesce(${keys.identityId}, ${keys.keyId})`, identityName: sql<string>`coalesce(${identities.name}, ${keys.name})` })
    .from(keys)
    .leftJoin(identities, eq(identities.id, keys.identityId))
    .where(and(eq(keys.status, 'approved'), ne(keys.keyId, key.keyId), or(sql`${norm(keys.name)} = ${name}`, contact ? sql`${norm(keys.contact)} = ${contact}` : sql`false`)))
    .orderBy(keys.createdAt)
    .limit(20);
  if (!rows.length) return null;
  const onContact = rows.find((r) => contact && r.contact.trim().toLowerCase() === contact);
  const pick = onContact ?? rows[0]!;
  const same = rows.filter((r) => r.identityId === pick.identityId);
  const matched_on: ('name' | 'contact')[] = [];
  if (same.some((r) => r.name.trim().toLowerCase() === name)) matched_on.push('name');
  if (same.some((r) => contact && r.contact.trim().toLowerCase() === contact)) matched_on.push('contact');
  return { identity_id: pick.identityId, identity_name: pick.identityName, matched_on, keys: same.map((r) => ({ key_id: r.keyId, name: r.name })) };
}
