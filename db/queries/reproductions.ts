import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Comparison, ResultBundle, Verdict } from '../../contract';
import type { Db } from '../types';
import { keys, reproductions, results, type KeyStatus } from '../schema';

/** One reproduction as the API and the result page show it (snake_case, like the contract). */
export interface ReproductionSummary {
  id: string;
  result_id: string;
  key_id: string;
  key_status: KeyStatus;
  /** True when it counts toward the result's tier: an approved key other than the result's own. */
  counts: boolean;
  source: 'statement' | 'result';
  verdict: Verdict;
  claimed_verdict: Verdict | null;
  backend: string;
  runner_version: string;
  received_at: string;
  /** Metrics outside tolerance (dotted bundle paths), largest difference first. */
  differing: string[];
  max_abs_diff: number;
}

export interface ReproductionDetail extends ReproductionSummary {
  payload_sha256: string;
  comparison: Comparison;
  bundle: ResultBundle;
}

const columns = {
  id: reproductions.id,
  resultId: reproductions.resultId,
  keyId: reproductions.keyId,
  keyStatus: keys.status,
  ownerKeyId: results.keyId,
  source: reproductions.source,
  verdict: reproductions.verdict,
  claimedVerdict: reproductions.claimedVerdict,
  backend: reproductions.backend,
  runnerVersion: reproductions.runnerVersion,
  receivedAt: reproductions.receivedAt,
  comparison: reproductions.comparison,
};
type Row = Omit<{ [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] }, 'claimedVerdict'> & { claimedVerdict: Verdict | null };

function toSummary(r: Row): ReproductionSummary {
  return {
    id: r.id,
    result_id: r.resultId,
    key_id: r.keyId,
    key_status: r.keyStatus,
    counts: r.keyStatus === 'approved' && r.keyId !== r.ownerKeyId,
    source: r.source,
    verdict: r.verdict,
    claimed_verdict: r.claimedVerdict,
    backend: r.backend,
    runner_version: r.runnerVersion,
    received_at: r.receivedAt.toISOString(),
    differing: r.comparison.differing.map((d) => d.metric),
    max_abs_diff: r.comparison.max_abs_diff,
  };
}

const base = (db: Db) =>
  db.select(columns).from(reproductions).innerJoin(keys, eq(keys.keyId, reproductions.keyId)).innerJoin(results, eq(results.id, reproductions.resultId));

/** A result's reproductions, oldest first (at most 500). */
export async function listReproductions(db: Db, resultId: string): Promise<ReproductionSummary[]> {
  const rows = await base(db).where(eq(reproductions.resultId, resultId)).orderBy(asc(reproductions.receivedAt), asc(reproductions.id)).limit(500);
  return rows.map(toSummary);
}

export async function getReproduction(db: Db, id: string): Promise<ReproductionDetail | null> {
  const [row] = await db
    .select({ ...columns, payloadSha256: reproductions.payloadSha256, bundle: reproductions.bundle })
    .from(reproductions)
    .innerJoin(keys, eq(keys.keyId, reproductions.keyId))
    .innerJoin(results, eq(results.id, reproductions.resultId))
    .where(eq(reproductions.id, id));
  if (!row) return null;
  return { ...toSummary(row), payload_sha256: row.payloadSha256, comparison: row.comparison, bundle: row.bundle };
}

/** Distinct approved keys (other than the owner's) that reproduced / disputed each result. */
export async function getReproductionCounts(db: Db, resultIds: string[]): Promise<Map<string, { reproduced_by: number; disputed_by: number }>> {
  const out = new Map<string, { reproduced_by: number; disputed_by: number }>();
  if (!resultIds.length) return out;
  const rows = await db
    .select({
      resultId: reproductions.resultId,
      reproduced: sql<number>`count(distinct ${reproductions.keyId}) filter (where ${reproductions.verdict} <> 'differs')::int`,
      disputed: sql<number>`count(distinct ${reproductions.keyId}) filter (where ${reproductions.verdict} = 'differs')::int`,
    })
    .from(reproductions)
    .innerJoin(keys, eq(keys.keyId, reproductions.keyId))
    .innerJoin(results, eq(results.id, reproductions.resultId))
    .where(and(inArray(reproductions.resultId, resultIds), eq(keys.status, 'approved'), ne(reproductions.keyId, results.keyId)))
    .groupBy(reproductions.resultId);
  for (const r of rows) out.set(r.resultId, { reproduced_by: Number(r.reproduced), disputed_by: Number(r.disputed) });
  return out;
}

/** What a reproduction is compared against: the stored result's bundle and owner. */
export interface ReproductionTarget {
  id: string;
  keyId: string;
  payloadSha256: string;
  fingerprint: string;
  seed: number;
  bundle: ResultBundle;
}

const targetColumns = {
  id: results.id,
  keyId: results.keyId,
  payloadSha256: results.payloadSha256,
  fingerprint: results.fingerprint,
  seed: results.seed,
  bundle: results.bundle,
};

export async function getReproductionTarget(db: Db, resultId: string): Promise<ReproductionTarget | null> {
  const [row] = await db.select(targetColumns).from(results).where(eq(results.id, resultId));
  return row ?? null;
}

/**
 * The first stored "ok", visible result of (fingerprint, seed) by an approved key other than
 * `notKeyId`: a new submission of that pair by another key is a reproduction of it (one
 * observation per pair). Only approved keys' results qualify, so a throwaway pending key cannot
 * squat a pair and turn everyone's later results into reproductions of its own.
 */
export async function getFirstResultOfPair(db: Db, fingerprint: string, seed: number, notKeyId: string): Promise<ReproductionTarget | null> {
  const [row] = await db
    .select(targetColumns)
    .from(results)
    .innerJoin(keys, eq(keys.keyId, results.keyId))
    .where(
      and(
        eq(results.fingerprint, fingerprint),
        eq(results.seed, seed),
        eq(results.status, 'ok'),
        eq(results.hidden, false),
        eq(keys.status, 'approved'),
        ne(results.keyId, notKeyId),
      ),
    )
    .orderBy(asc(results.seq))
    .limit(1);
  return row ?? null;
}

/** The stored reproduction of a payload (the replay check), or null. */
export async function getReproductionIdByPayload(db: Db, payloadSha256: string): Promise<{ id: string; resultId: string } | null> {
  const [row] = await db
    .select({ id: reproductions.id, resultId: reproductions.resultId })
    .from(reproductions)
    .where(eq(reproductions.payloadSha256, payloadSha256));
  return row ?? null;
}
