import { eq, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ResultBundle } from '../../contract';
import type { Db } from '../connect';
import { resultEpochs, results, type TrustTier } from '../schema';

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

/**
 * Stores one result and its epochs atomically, in ONE statement (a data-modifying CTE: the
 * result row, then its epochs from the bundle's JSON), so one round trip is one transaction.
 * Idempotent under concurrency: the unique payload_sha256 (and the id derived from it) make a
 * second insert of the same payload a no-op (ON CONFLICT DO NOTHING waits for a concurrent
 * inserter to commit; its epochs are then skipped too), and the original id is returned with
 * created = false.
 */
export async function insertResult(db: Db, r: NewResult): Promise<{ id: string; created: boolean }> {
  const b = r.bundle;
  const last = b.epochs.at(-1);
  const id = resultIdOf(r.payloadSha256);
  // The hot path of ingest: the insert is written as SQL over (column, value) pairs built from
  // the drizzle columns (names stay in the schema) instead of the query builder, which cost ~3x
  // more CPU per envelope for this 35-column row. Values go through each column's driver mapping.
  // No conflict target: both unique keys (payload_sha256 and the id derived from it) must be
  // arbiters, or a concurrent insert of the same payload fails on the primary key instead.
  const values: [PgColumn, unknown][] = [
    [results.id, id],
    [results.envelope, r.envelope],
    [results.payloadSha256, r.payloadSha256],
    [results.bundle, b],
    [results.config, b.config],
    [results.fingerprint, b.fingerprint],
    [results.suiteName, b.suite.name],
    [results.suiteVersion, b.suite.version],
    [results.backbone, b.config.backbone.id],
    [results.dataset, b.config.dataset.id],
    [results.strategy, b.config.strategy.id],
    [results.strategyVersion, b.config.strategy.version],
    [results.tau, b.config.tau],
    [results.seed, b.config.seed],
    [results.keyId, r.keyId],
    [results.trustTier, r.trustTier],
    [results.status, b.status],
    [results.testAcc, b.summary?.test_acc ?? null],
    [results.bestValAcc, b.summary?.best_val_acc ?? null],
    [results.lastTestAcc, b.summary?.last_test_acc ?? null],
    [results.lpTestAcc, b.summary?.lp_test_acc ?? null],
    [results.bestEpoch, b.summary?.best_epoch ?? null],
    [results.aie, b.energy?.aie ?? null],
    [results.featL2Dist, last?.feat_l2_dist ?? null],
    [results.featCosDist, last?.feat_cos_dist ?? null],
    [results.featCosSim, last?.feat_cos_sim ?? null],
    [results.featDot, last?.feat_dot ?? null],
    [results.featNorm, last?.feat_norm ?? null],
    [results.wallTimeS, b.summary?.wall_time_s ?? null],
    [results.samplesPerSec, b.summary?.samples_per_sec ?? null],
    [results.backend, b.environment.backend],
    [results.runnerVersion, b.environment.runner_version],
  ];
  const insert = sql`insert into ${results} (${sql.raw(values.map(([c]) => `"${c.name}"`).join(', '))}) values (${sql.join(
    values.map(([c, v]) => (v === null ? sql`null` : sql.param(c.mapToDriverValue(v)))),
    sql`, `,
  )}) on conflict do nothing returning "id"`;
  const epochs = JSON.stringify(b.epochs);
  const res = await db.execute<{ id: string }>(sql`
    with r as (${insert}),
    e as (
      insert into ${resultEpochs} (result_id, ${EPOCH_COLS_SQL})
      select r.id, ${EPOCH_SELECT_SQL} from r cross join jsonb_to_recordset(${epochs}::jsonb) as x(${EPOCH_RECORD_SQL})
    )
    select id from r`);
  if (res.rows[0]) return { id: res.rows[0].id, created: true };
  const [existing] = await db.select({ id: results.id }).from(results).where(eq(results.payloadSha256, r.payloadSha256));
  if (!existing) throw new Error(`result id ${id} collides with another payload`);
  return { id: existing.id, created: false };
}

/** Hides or shows a result on leaderboards. Returns false when the id is unknown. */
export async function setResultHidden(db: Db, id: string, hidden: boolean): Promise<boolean> {
  const rows = await db.update(results).set({ hidden }).where(eq(results.id, id)).returning({ id: results.id });
  return rows.length > 0;
}
