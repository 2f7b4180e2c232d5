/** Public key status for the /submit lookup (no contact details: those stay with the maintainers). */
import { count, eq } from 'drizzle-orm';
import type { Db } from '../types';
import { keys, results } from '../schema';

export interface KeyStatusRow {
  id: string;
  name: string;
  status: string;
  created_at: string;
  results: number;
}

export async function getKeyStatus(db: Db, keyId: string): Promise<KeyStatusRow | null> {
  const [k] = await db
    .select({ id: keys.keyId, name: keys.name, status: keys.status, createdAt: keys.createdAt })
    .from(keys)
    .where(eq(keys.keyId, keyId))
    .limit(1);
  if (!k) return null;
  const [c] = await db.select({ n: count() }).from(results).where(eq(results.keyId, keyId));
  return { id: k.id, name: k.name, status: k.status, created_at: k.createdAt.toISOString(), results: Number(c?.n ?? 0) };
}
