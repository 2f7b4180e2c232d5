import { and, asc, desc, eq, getTableColumns, lt, type SQL } from 'drizzle-orm';
import type { ResultDetail, ResultSummary } from '../../contract';
import type { Db } from '../types';
import { resultEpochs, results, type ResultEpochRow, type ResultRow, type TrustTier } from '../schema';

/** One result as the list and detail endpoints return it: contract/api.ts ResultSummarySchema. */
export type { ResultSummary, ResultDetail } from '../../contract';

/** Column order of the CSV export (same names as ResultSummary). */
export const RESULT_SUMMARY_FIELDS: (keyof ResultSummary)[] = [
  'id', 'suite', 'suite_name', 'suite_version', 'backbone', 'dataset', 'strategy', 'strategy_version', 'tau', 'seed',
  'fingerprint', 'key_id', 'trust_tier', 'hidden', 'status', 'received_at', 'test_acc', 'best_val_acc', 'last_test_acc',
  'lp_test_acc', 'best_epoch', 'aie', 'feat_l2_dist', 'feat_cos_dist', 'feat_cos_sim', 'feat_dot', 'feat_norm',
  'wall_time_s', 'samples_per_sec', 'backend', 'runner_version',
];

type ResultColumns = ReturnType<typeof getTableColumns<typeof results>>;

/** The named columns of `results` as a select shape ({ name: column }), so a query lists only the names it reads. */
export function resultColumns<K extends keyof ResultColumns>(...names: K[]): Pick<ResultColumns, K> {
  const all = getTableColumns(results);
  return Object.fromEntries(names.map((n) => [n, all[n]])) as Pick<ResultColumns, K>;
}

const summaryColumns = resultColumns(
  'seq', 'id', 'suiteName', 'suiteVersion', 'backbone', 'dataset', 'strategy', 'strategyVersion', 'tau', 'seed',
  'fingerprint', 'keyId', 'trustTier', 'hidden', 'status', 'receivedAt', 'testAcc', 'bestValAcc', 'lastTestAcc',
  'lpTestAcc', 'bestEpoch', 'aie', 'featL2Dist', 'featCosDist', 'featCosSim', 'featDot', 'featNorm',
  'wallTimeS', 'samplesPerSec', 'backend', 'runnerVersion',
);
type SummaryRow = Pick<ResultRow, keyof typeof summaryColumns>;

function toSummary(r: SummaryRow): ResultSummary {
  return {
    id: r.id,
    suite: `${r.suiteName}@${r.suiteVersion}`,
    suite_name: r.suiteName,
    suite_version: r.suiteVersion,
    backbone: r.backbone,
    dataset: r.dataset,
    strategy: r.strategy,
    strategy_version: r.strategyVersion,
    tau: r.tau,
    seed: r.seed,
    fingerprint: r.fingerprint,
    key_id: r.keyId,
    trust_tier: r.trustTier,
    hidden: r.hidden,
    status: r.status,
    received_at: r.receivedAt.toISOString(),
    test_acc: r.testAcc,
    best_val_acc: r.bestValAcc,
    last_test_acc: r.lastTestAcc,
    lp_test_acc: r.lpTestAcc,
    best_epoch: r.bestEpoch,
    aie: r.aie,
    feat_l2_dist: r.featL2Dist,
    feat_cos_dist: r.featCosDist,
    feat_cos_sim: r.featCosSim,
    feat_dot: r.featDot,
    feat_norm: r.featNorm,
    wall_time_s: r.wallTimeS,
    samples_per_sec: r.samplesPerSec,
    backend: r.backend,
    runner_version: r.runnerVersion,
  };
}

export interface ResultFilters {
  suiteName?: string;
  suiteVersion?: number;
  backbone?: string;
  dataset?: string;
  strategy?: string;
  keyId?: string;
  fingerprint?: string;
  trustTier?: TrustTier;
  /** Include hidden results (admin views); default false. */
  includeHidden?: boolean;
}

export interface ResultPage {
  items: ResultSummary[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** Newest first, keyset-paginated on the insertion sequence (stable under concurrent inserts). */
export async function listResults(db: Db, f: ResultFilters = {}, page: { cursor?: string | null; limit?: number } = {}): Promise<ResultPage> {
  const limit = Math.max(1, Math.min(page.limit ?? 100, 1000));
  const where: SQL[] = [];
  if (f.suiteName) where.push(eq(results.suiteName, f.suiteName));
  if (f.suiteVersion !== undefined) where.push(eq(results.suiteVersion, f.suiteVersion));
  if (f.backbone) where.push(eq(results.backbone, f.backbone));
  if (f.dataset) where.push(eq(results.dataset, f.dataset));
  if (f.strategy) where.push(eq(results.strategy, f.strategy));
  if (f.keyId) where.push(eq(results.keyId, f.keyId));
  if (f.fingerprint) where.push(eq(results.fingerprint, f.fingerprint));
  if (f.trustTier) where.push(eq(results.trustTier, f.trustTier));
  if (!f.includeHidden) where.push(eq(results.hidden, false));
  const cursor = decodeCursor(page.cursor);
  if (cursor !== null) where.push(lt(results.seq, cursor));
  const rows = await db
    .select(summaryColumns)
    .from(results)
    .where(and(...where))
    .orderBy(desc(results.seq))
    .limit(limit + 1);
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items: items.map(toSummary), next_cursor: more ? encodeCursor(items.at(-1)!.seq) : null };
}

export class CursorError extends Error {
  override name = 'CursorError';
}

export function encodeCursor(seq: number): string {
  return `s${seq}`;
}

/** Opaque to clients; today "s<seq>". Throws CursorError when malformed. */
export function decodeCursor(cursor: string | null | undefined): number | null {
  if (cursor === null || cursor === undefined || cursor === '') return null;
  const m = /^s(\d{1,15})$/.exec(cursor);
  if (!m) throw new CursorError('cursor is malformed: pass back the next_cursor of the previous page');
  return Number(m[1]);
}

export async function getResult(db: Db, id: string): Promise<ResultDetail | null> {
  const [row] = await db
    .select({ ...summaryColumns, payloadSha256: results.payloadSha256, bundle: results.bundle })
    .from(results)
    .where(eq(results.id, id))
    .limit(1);
  if (!row) return null;
  return { ...toSummary(row), payload_sha256: row.payloadSha256, bundle: row.bundle };
}

/** The envelope exactly as it was received, or null. */
export async function getResultEnvelope(db: Db, id: string): Promise<Uint8Array | null> {
  const [row] = await db.select({ envelope: results.envelope }).from(results).where(eq(results.id, id)).limit(1);
  return row?.envelope ?? null;
}

export async function getResultEpochs(db: Db, id: string): Promise<ResultEpochRow[]> {
  return db.select().from(resultEpochs).where(eq(resultEpochs.resultId, id)).orderBy(asc(resultEpochs.epoch));
}

export async function countResults(db: Db): Promise<number> {
  const rows = await db.$count(results);
  return Number(rows);
}
