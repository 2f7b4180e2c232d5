import { eq } from 'drizzle-orm';
import type { ResultBundle } from '../../contract';
import type { Db } from '../connect';
import { epochRowValues, resultEpochs, results, type TrustTier } from '../schema';

export interface NewResult {
  envelope: Uint8Array;
  payloadSha256: string;
  bundle: ResultBundle;
  keyId: string;
  trustTier: TrustTier;
}

/** The public result id: derived from the payload hash, so a replay names the same result. */
export function resultIdOf(payloadSha256: string): string {
  return payloadSha256.slice(0, 20);
}

/**
 * Stores one result and its epochs in one transaction. Idempotent under concurrency: the unique
 * payload_sha256 (and the id derived from it) make a second insert of the same payload a no-op
 * (ON CONFLICT DO NOTHING, which waits for a concurrent inserter to commit), and the original id is returned with created = false.
 */
export async function insertResult(db: Db, r: NewResult): Promise<{ id: string; created: boolean }> {
  const b = r.bundle;
  const last = b.epochs.at(-1);
  const id = resultIdOf(r.payloadSha256);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(results)
      .values({
        id,
        envelope: r.envelope,
        payloadSha256: r.payloadSha256,
        bundle: b,
        config: b.config,
        fingerprint: b.fingerprint,
        suiteName: b.suite.name,
        suiteVersion: b.suite.version,
        backbone: b.config.backbone.id,
        dataset: b.config.dataset.id,
        strategy: b.config.strategy.id,
        strategyVersion: b.config.strategy.version,
        tau: b.config.tau,
        seed: b.config.seed,
        keyId: r.keyId,
        trustTier: r.trustTier,
        status: b.status,
        testAcc: b.summary?.test_acc ?? null,
        bestValAcc: b.summary?.best_val_acc ?? null,
        lastTestAcc: b.summary?.last_test_acc ?? null,
        lpTestAcc: b.summary?.lp_test_acc ?? null,
        bestEpoch: b.summary?.best_epoch ?? null,
        aie: b.energy?.aie ?? null,
        featL2Dist: last?.feat_l2_dist ?? null,
        featCosDist: last?.feat_cos_dist ?? null,
        featCosSim: last?.feat_cos_sim ?? null,
        featDot: last?.feat_dot ?? null,
        featNorm: last?.feat_norm ?? null,
        wallTimeS: b.summary?.wall_time_s ?? null,
        samplesPerSec: b.summary?.samples_per_sec ?? null,
        backend: b.environment.backend,
        runnerVersion: b.environment.runner_version,
      })
      // No conflict target: both unique keys (payload_sha256 and the id derived from it) must be
      // arbiters, or a concurrent insert of the same payload fails on the primary key instead.
      .onConflictDoNothing()
      .returning({ id: results.id });
    if (!inserted[0]) {
      const [existing] = await tx.select({ id: results.id }).from(results).where(eq(results.payloadSha256, r.payloadSha256));
      if (!existing) throw new Error(`result id ${id} collides with another payload`);
      return { id: existing.id, created: false };
    }
    if (b.epochs.length > 0) await tx.insert(resultEpochs).values(b.epochs.map((e) => epochRowValues(id, e)));
    return { id, created: true };
  });
}

/** Hides or shows a result on leaderboards. Returns false when the id is unknown. */
export async function setResultHidden(db: Db, id: string, hidden: boolean): Promise<boolean> {
  const rows = await db.update(results).set({ hidden }).where(eq(results.id, id)).returning({ id: results.id });
  return rows.length > 0;
}
