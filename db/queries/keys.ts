import { desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../types';
import { keys, type KeyRow, type KeyStatus } from '../schema';

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
