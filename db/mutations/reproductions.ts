import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { REFUTING_IDENTITIES, type Comparison, type ResultBundle, type Verdict } from '../../contract';
import type { Db, Tx } from '../types';
import { DERIVED_TIERS, keys, reproductions, results, REPRODUCTION_SOURCES, type DisputeReview } from '../schema';

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

/** A key's identity: its identities row, or (a key approved before identities existed) its own id. */
export const identityOf = (k: string) => sql.raw(`coalesce(${k}.identity_id, ${k}.key_id)`);

/**
 * Re-derives the trust tier of the results `where` selects, in ONE statement, from all their
 * reproductions and the maintainer's review (the rule of contract deriveTrustTier): only an
 * approved reproducer of another identity than the owner's counts, each identity once;
 * refuted when the review confirmed the dispute or REFUTING_IDENTITIES identities found `differs`,
 * disputed for one, reproduced when one found `exact` or `within`, else signed. A `cleared` review
 * drops the differs received up to it. Pending and revoked results are left alone (their key
 * decides). Callers lock the result rows first (lockResults) so concurrent re-tiers of one result
 * run one after the other, each reading every committed reproduction.
 */
export async function retierResults(tx: Db | Tx, where: SQL): Promise<void> {
  const counting = (verdicts: string, sinceReview: boolean) => sql`(select count(distinct ${identityOf('k')}) from ${reproductions} p join ${keys} k on k.key_id = p.key_id
      where p.result_id = ${results.id} and k.status = 'approved' and p.verdict in (${sql.raw(verdicts)})
        and ${identityOf('k')} <> (select ${identityOf('o')} from ${keys} o where o.key_id = ${results.keyId})
        ${sinceReview ? sql`and (${results.disputeReview} is distinct from 'cleared' or p.received_at > ${results.reviewedAt})` : sql``})`;
  const differs = counting(`'differs'`, true);
  await tx
    .update(results)
    .set({
      trustTier: sql`(select case when ${results.disputeReview} = 'confirmed' or d.n >= ${REFUTING_IDENTITIES} then 'refuted' when d.n >= 1 then 'disputed'
        when ${counting(`'exact', 'within'`, false)} >= 1 then 'reproduced' else 'signed' end from (select ${differs} as n) d)`,
    })
    .where(and(inArray(results.trustTier, [...DERIVED_TIERS]), where));
}

/** Locks the result rows `where` selects (FOR UPDATE, in id order: no deadlock between two lockers). */
export async function lockResults(tx: Tx, where: SQL): Promise<void> {
  await tx.select({ id: results.id }).from(results).where(where).orderBy(asc(results.id)).for('update');
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
    // Serialise per result: a concurrent reproduction of the same result waits here, and its
    // re-tier (a later statement, so a fresh snapshot in READ COMMITTED) sees this one's row.
    await lockResults(tx, eq(results.id, r.resultId));
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

/**
 * A maintainer's review of a result's dispute: `confirmed` takes it off the ranking (refuted),
 * `cleared` discards the differs received so far (later ones count again), null withdraws the
 * review. Re-tiers the result in the same transaction. Returns the new tier, or null for an
 * unknown result.
 */
export async function reviewDispute(db: Db, resultId: string, review: DisputeReview | null): Promise<string | null> {
  return db.transaction(async (tx) => {
    await lockResults(tx, eq(results.id, resultId));
    const rows = await tx
      .update(results)
      .set({ disputeReview: review, reviewedAt: review ? sql`now()` : null })
      .where(eq(results.id, resultId))
      .returning({ id: results.id });
    if (!rows[0]) return null;
    await retierResults(tx, eq(results.id, resultId));
    const [row] = await tx.select({ tier: results.trustTier }).from(results).where(eq(results.id, resultId));
    return row!.tier;
  });
}
