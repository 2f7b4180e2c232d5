import { and, like, lt, sql } from 'drizzle-orm';
import type { Db } from '../types';
import { rateLimits } from '../schema';

export interface RateDecision {
  allowed: boolean;
  count: number;
  limit: number;
  /** Seconds until the current window ends. */
  retryAfterS: number;
}

/**
 * Counts one request for `bucket` in a fixed window of `windowS` seconds and says whether it is
 * within `limit`. The counter lives in the database (one upsert), so it holds across serverless
 * instances. limit <= 0 disables limiting.
 */
export async function hitRateLimit(db: Db, bucket: string, limit: number, windowS = 60, now = Date.now()): Promise<RateDecision> {
  const windowMs = windowS * 1000;
  const start = Math.floor(now / windowMs) * windowMs;
  const retryAfterS = Math.max(1, Math.ceil((start + windowMs - now) / 1000));
  if (limit <= 0) return { allowed: true, count: 0, limit, retryAfterS };
  // The window length is part of the counter's key: a 60 s window and a 3600 s window can start
  // at the same instant (the top of the hour) and must not share a count.
  const key = `${bucket}@${windowS}s`;
  const [row] = await db
    .insert(rateLimits)
    .values({ keyId: key, windowStart: new Date(start), count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.keyId, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  const count = row!.count;
  // The first hit of a window sweeps windows that ended long ago (keeps the table small).
  if (count === 1)
    await db
      .delete(rateLimits)
      .where(and(like(rateLimits.keyId, `%@${windowS}s`), lt(rateLimits.windowStart, new Date(start - 10 * windowMs))));
  return { allowed: count <= limit, count, limit, retryAfterS };
}
