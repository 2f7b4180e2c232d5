import { eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ResultBundle } from '../../contract';
import type { Db } from '../types';
import { preparedSql } from '../prepared';
import { keys, resultEpochs, results, type TrustTier } from '../schema';

export interface NewResult {
  envelope: Uint8Array;
  payloadSha256: string;
  bundle: ResultBundle;
  keyId: string;
  /** Informational: the stored tier is re-decided from the key row inside the insert (see insertResultSql). */
  trustTier: TrustTier;
}

/** The public result id: derived from the payload hash, so a replay names the same result. */
export function resultIdOf(payloadSha256: string): string {
  return payloadSha256.slice(0, 20);
}

/** Column list of result_epochs after result_id, and the SQL type of each, for jsonb_to_recordset. */
const EPOCH_COLUMNS: [string, string][] = [
  ['epoch', 'integer'],
  ['train_loss', 'double precision'],
  ['train_acc', 'double precision'],
  ['val_loss', 'double precision'],
  ['val_acc', 'double precision'],
  ['test_loss', 'double precision'],
  ['test_acc', 'double precision'],
  ['energy', 'double precision'],
  ['head_grad_norm', 'double precision'],
  ['feat_l2_dist', 'double precision'],
  ['feat_cos_sim', 'double precision'],
  ['feat_cos_dist', 'double precision'],
  ['feat_dot', 'double precision'],
  ['feat_norm', 'double precision'],
];
const EPOCH_COLS_SQL = sql.raw(EPOCH_COLUMNS.map(([c]) => c).join(', '));
const EPOCH_SELECT_SQL = sql.raw(EPOCH_COLUMNS.map(([c]) => `x.${c}`).join(', '));
const EPOCH_RECORD_SQL = sql.raw(EPOCH_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', '));

/** Each results column the ingest writes, and how its value is read from the row being stored. */
const RESULT_COLUMNS: readonly (readonly [PgColumn, (r: NewResult & { id: string }) => unknown])[] = [
  [results.id, (r) => r.id],
  [results.envelope, (r) => r.envelope],
  [results.payloadSha256, (r) => r.payloadSha256],
  [results.bundle, (r) => r.bundle],
  [results.config, (r) => r.bundle.config],
  [results.fingerprint, (r) => r.bundle.fingerprint],
  [results.suiteName, (r) => r.bundle.suite.name],
  [results.suiteVersion, (r) => r.bundle.suite.version],
  [results.backbone, (r) => r.bundle.config.backbone.id],
  [results.dataset, (r) => r.bundle.config.dataset.id],
  [results.strategy, (r) => r.bundle.config.strategy.id],
  [results.strategyVersion, (r) => r.bundle.config.strategy.version],
  [results.tau, (r) => r.bundle.config.tau],
  [results.seed, (r) => r.bundle.config.seed],
  [results.keyId, (r) => r.keyId],
  [results.trustTier, (r) => r.trustTier],
  [results.status, (r) => r.bundle.status],
  [results.testAcc, (r) => r.bundle.summary?.test_acc ?? null],
  [results.bestValAcc, (r) => r.bundle.summary?.best_val_acc ?? null],
  [results.lastTestAcc, (r) => r.bundle.summary?.last_test_acc ?? null],
  [results.lpTestAcc, (r) => r.bundle.summary?.lp_test_acc ?? null],
  [results.oodTestAcc, (r) => r.bundle.summary?.ood_test_acc ?? null],
  [results.bestEpoch, (r) => r.bundle.summary?.best_epoch ?? null],
  [results.aie, (r) => r.bundle.energy?.aie ?? null],
  [results.featL2Dist, (r) => r.bundle.epochs.at(-1)?.feat_l2_dist ?? null],
  [results.featCosDist, (r) => r.bundle.epochs.at(-1)?.feat_cos_dist ?? null],
  [results.featCosSim, (r) => r.bundle.epochs.at(-1)?.feat_cos_sim ?? null],
  [results.featDot, (r) => r.bundle.epochs.at(-1)?.feat_dot ?? null],
  [results.featNorm, (r) => r.bundle.epochs.at(-1)?.feat_norm ?? null],
  [results.wallTimeS, (r) => r.bundle.summary?.wall_time_s ?? null],
  [results.samplesPerSec, (r) => r.bundle.summary?.samples_per_sec ?? null],
  [results.backend, (r) => r.bundle.environment.backend],
  [results.runnerVersion, (r) => r.bundle.environment.runner_version],
];

/**
 * The insert as one prepared statement (a data-modifying CTE: the result row, then its epochs
 * from the bundle's JSON), so one round trip is one transaction. Every value is a placeholder
 * named after its column; the statement text is built once from the schema's columns.
 * The trust tier is decided here, from the signer's key row read under a share lock (not from
 * the status the ingest saw earlier): approve/revoke (db/mutations/keys.ts) lock that row for
 * update and re-tier the key's results in one transaction, so either this insert waits and sees
 * the new status, or the status change waits and then re-tiers this row. No interleaving leaves a
 * revoked key's result ranked or an approved key's result pending.
 * No conflict target: both unique keys (payload_sha256 and the id derived from it) must be
 * arbiters, or a concurrent insert of the same payload fails on the primary key instead.
 */
const insertResultSql = preparedSql<{ id: string }>('headprep_insert_result', () => {
  const cols = RESULT_COLUMNS.map(([c]) => c.name);
  return sql`
    with k as (
      select case status when 'approved' then 'signed' when 'pending' then 'pending' else 'revoked' end as tier
      from ${keys} where key_id = ${sql.placeholder(keys.keyId.name)} for share
    ),
    r as (
      insert into ${results} (${sql.raw(cols.map((c) => `"${c}"`).join(', '))})
      values (${sql.join(
        cols.map((c) => (c === results.trustTier.name ? sql`(select tier from k)` : sql.placeholder(c))),
        sql`, `,
      )})
      on conflict do nothing returning "id"
    ),
    e as (
      insert into ${resultEpochs} (result_id, ${EPOCH_COLS_SQL})
      select r.id, ${EPOCH_SELECT_SQL} from r cross join jsonb_to_recordset(${sql.placeholder('epochs')}::jsonb) as x(${EPOCH_RECORD_SQL})
    )
    select id from r`;
});

/**
 * Stores one result and its epochs atomically, in ONE statement (see insertResultSql).
 * Idempotent under concurrency: the unique payload_sha256 (and the id derived from it) make a
 * second insert of the same payload a no-op (ON CONFLICT DO NOTHING waits for a concurrent
 * inserter to commit; its epochs are then skipped too), and the original id is returned with
 * created = false.
 */
export async function insertResult(db: Db, r: NewResult): Promise<{ id: string; created: boolean; keyId: string }> {
  const id = resultIdOf(r.payloadSha256);
  // Values go through each column's driver mapping (jsonb -> JSON text, bytea, ...); null stays SQL null.
  const values: Record<string, unknown> = { epochs: JSON.stringify(r.bundle.epochs) };
  const row = { ...r, id };
  for (const [c, get] of RESULT_COLUMNS) {
    const v = get(row);
    values[c.name] = v === null ? null : c.mapToDriverValue(v);
  }
  const res = await insertResultSql.run(db, values);
  if (res.rows[0]) return { id: res.rows[0].id, created: true, keyId: r.keyId };
  const [existing] = await db.select({ id: results.id, keyId: results.keyId }).from(results).where(eq(results.payloadSha256, r.payloadSha256));
  if (!existing) throw new Error(`result id ${id} collides with another payload`);
  return { id: existing.id, created: false, keyId: existing.keyId };
}

/** Hides or shows a result on leaderboards. Returns false when the id is unknown. */
export async function setResultHidden(db: Db, id: string, hidden: boolean): Promise<boolean> {
  const rows = await db.update(results).set({ hidden }).where(eq(results.id, id)).returning({ id: results.id });
  return rows.length > 0;
}
