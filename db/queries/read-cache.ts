import { sql } from 'drizzle-orm';
import type { Db } from '../types';

/**
 * A small per-process cache for the site's aggregate reads (app/_server/read-model.ts uses it):
 * on embedded PGlite a GROUP BY over 100k results takes ~1 s, and a page must render in well
 * under 150 ms.
 *
 * Correctness does not depend on it: an entry is reused only while the data stamp is unchanged
 * (the newest result's seq, so a new submission shows at once, and the newest key approval or
 * revocation). Hiding a result, or a reproduction that re-tiers one, does not move the stamp,
 * so an entry older than HEADPREP_READ_CACHE_MS (default 10 s) is recomputed: in the background,
 * while readers keep getting the entry (at 100k results the recomputation takes seconds, and no
 * visitor should wait for it). Such a change therefore shows within the TTL plus one
 * recomputation.
 * Serverless instances each hold their own cache or none; 0 disables it.
 */
const TTL_MS = Number(process.env.HEADPREP_READ_CACHE_MS ?? 10_000);
const MAX_ENTRIES = 256;

interface Entry {
  stamp: string;
  at: number;
  value: Promise<unknown>;
  /** A background recomputation of an entry past its TTL is running. */
  refreshing?: boolean;
}
const g = globalThis as typeof globalThis & { __headprepReadCache?: Map<string, Entry> };
const cache = (g.__headprepReadCache ??= new Map());

/** What the cached reads depend on: the newest result's seq and the newest key approval or revocation. */
export async function getDataStamp(db: Db): Promise<string> {
  const res = await db.execute<{ seq: string | number | null; keys: string | Date | null }>(sql`
    select (select max(seq) from results) as seq,
           (select max(greatest(created_at, approved_at, revoked_at)) from keys) as keys
  `);
  const r = res.rows[0];
  return `${r?.seq ?? 0}|${r?.keys instanceof Date ? r.keys.toISOString() : (r?.keys ?? '')}`;
}

/**
 * Returns fn()'s value for `key`: the cached one while the data stamp holds (past the TTL it is
 * still returned, and recomputed in the background once); a new stamp recomputes before answering.
 */
export async function cachedRead<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  if (!(TTL_MS > 0)) return fn();
  const stamp = await getDataStamp(db);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) {
    if (now - hit.at >= TTL_MS && !hit.refreshing) {
      hit.refreshing = true;
      const next = fn();
      next.then(
        () => {
          if (cache.get(key) === hit) cache.set(key, { stamp, at: Date.now(), value: next });
        },
        () => {
          hit.refreshing = false;
        },
      );
    }
    return hit.value as Promise<T>;
  }
  const value = fn();
  cache.set(key, { stamp, at: now, value });
  value.catch(() => cache.delete(key));
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return value;
}
