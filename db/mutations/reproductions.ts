import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Comparison, ResultBundle, Verdict } from '../../contract';
import type { Db, Tx } from '../types';
import { keys, reproductions, results, REPRODUCTION_SOURCES } from '../schema';

export interface NewReproduction {
  resultId: string;
  keyId: string;
  source: (typeof REPRODUCTION_SOURCES)[number];
  envelope: Uint8Array;
  payloadSha256: string;
  bundle: ResultBundle;
  verdict: Verdict;
  claimedVerdict: Verdict | null;
  comparison: Comparison;
}

/** The public reproduction id: derived from the payload hash, so a replay names the same row. */
export function reproductionIdOf(payloadSha256: string): string {
  return payloadSha256.slice(0, 20);
}

/**
 * Re-derives the trust tier of the results `where` selects from their reproductions: a result of
 * an approved key (tier signed, reproduced or disputed) is `disputed` when an approved key other
 * than its own found `differs`, else `reproduced` when one found `exact` or `within`, else
 * `signed`. Pending and revoked results are left alone (their key decides). Idempotent: callers
 * run it after any change that can move it (a new reproduction, a key approved or revoked).
 */
export async function retierResults(tx: Db | Tx, where: SQL): Promise<void> {
  const by = (verdicts: string) => sql`exists (select 1 from ${reproductions} p join ${keys} k on k.key_id = p.key_id
      where p.result_id = ${results.id} and p.key_id <> ${results.keyId} and k.status = 'approved' and p.verdict in (${sql.raw(verdicts)}))`;
  await tx
    .update(results)
    .set({ trustTier: sql`case when ${by(`'differs'`)} then 'disputed' when ${by(`'exact', 'within'`)} then 'reproduced' else 'signed' end` })
    .where(and(inArray(results.trustTier, ['signed', 'reproduced', 'disputed']), where));
}

/** Results a key has reproduced (to re-tier when that key is approved or revoked). */
export function reproducedBy(keyId: string): SQL {
  return sql`${results.id} in (select result_id from ${reproductions} where key_id = ${keyId})`;
}

/**
 * Stores a reproduction and re-tiers its result in one transaction. The reproducer's key row is
 * read under a share lock (as the result insert does), so approve/revoke of that key either waits
 * for this and then re-tiers, or runs first and this sees the new status. Idempotent: the same
 * payload again returns the stored row's id with created = false.
 */
export async function insertReproduction(db: Db, r: NewReproduction): Promise<{ id: string; created: boolean }> {
  const id = reproductionIdOf(r.payloadSha256);
  return db.transaction(async (tx) => {
    await tx.select({ k: keys.keyId }).from(keys).where(eq(keys.keyId, r.keyId)).for('share');
    const inserted = await tx
      .insert(reproductions)
      .values({
        id,
        resultId: r.resultId,
        keyId: r.keyId,
        source: r.source,
        envelope: r.envelope,
        payloadSha256: r.payloadSha256,
        bundle: r.bundle,
        verdict: r.verdict,
        claimedVerdict: r.claimedVerdict,
        comparison: r.comparison,
        backend: r.bundle.environment.backend,
        runnerVersion: r.bundle.environment.runner_version,
      })
      .onConflictDoNothing()
      .returning({ id: reproductions.id });
    if (!inserted[0]) {
      const [existing] = await tx.select({ id: reproductions.id }).from(reproductions).where(eq(reproductions.payloadSha256, r.payloadSha256));
      if (!existing) throw new Error(`reproduction id ${id} collides with another payload`);
      return { id: existing.id, created: false };
    }
    await retierResults(tx, eq(results.id, r.resultId));
    return { id, created: true };
  });
}
