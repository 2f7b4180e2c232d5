import { and, asc, desc, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Comparison, ReproducingIdentities, ReproductionDetail, ReproductionSummary, ResultBundle, Verdict } from '../../contract';
import type { Db } from '../types';
import { identities, keys, RANKED_TIERS, reproductions, results, type KeyStatus } from '../schema';

export type { IdentityRef, ReproducingIdentities, ReproductionDetail, ReproductionSummary } from '../../contract';

const owner = alias(keys, 'owner_key');
const reproducerIdentity = sql`coalesce(${keys.identityId}, ${keys.keyId})`;
/** Whether a reproduction counts (see ReproductionSummary.counts), as SQL over the joined rows. */
const countsSql = sql<boolean>`(${keys.status} = 'approved' and ${reproducerIdentity} <> coalesce(${owner.identityId}, ${owner.keyId})
  and not (${reproductions.verdict} = 'differs' and coalesce(${results.disputeReview} = 'cleared' and ${reproductions.receivedAt} <= ${results.reviewedAt}, false)))`;

const columns = {
  id: reproductions.id,
  seq: reproductions.seq,
  resultId: reproductions.resultId,
  keyId: reproductions.keyId,
  keyStatus: keys.status,
  identityId: keys.identityId,
  identityName: identities.name,
  counts: countsSql,
  source: reproductions.source,
  verdict: reproductions.verdict,
  claimedVerdict: reproductions.claimedVerdict,
  backend: reproductions.backend,
  runnerVersion: reproductions.runnerVersion,
  receivedAt: reproductions.receivedAt,
  comparison: reproductions.comparison,
};
type Row = {
  id: string;
  resultId: string;
  keyId: string;
  keyStatus: KeyStatus;
  identityId: string | null;
  identityName: string | null;
  counts: boolean;
  source: 'statement' | 'result';
  verdict: Verdict;
  claimedVerdict: Verdict | null;
  backend: string;
  runnerVersion: string;
  receivedAt: Date;
  comparison: Comparison;
};

function toSummary(r: Row): ReproductionSummary {
  return {
    id: r.id,
    result_id: r.resultId,
    key_id: r.keyId,
    key_status: r.keyStatus,
    identity: r.identityId && r.identityName ? { id: r.identityId, name: r.identityName } : null,
    counts: r.counts === true || (r.counts as unknown) === 't',
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

const base = (db: Db, cols: typeof columns) =>
  db
    .select(cols)
    .from(reproductions)
    .innerJoin(keys, eq(keys.keyId, reproductions.keyId))
    .leftJoin(identities, eq(identities.id, keys.identityId))
    .innerJoin(results, eq(results.id, reproductions.resultId))
    .innerJoin(owner, eq(owner.keyId, results.keyId));

/** A page of a list and the cursor of the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const REPRODUCTION_PAGE_MAX = 500;

/** Cursor of a result's reproduction list: "<1 counts | 0 not>.<seq>". */
const RESULT_CURSOR_RE = /^([01])\.(\d{1,15})$/;
export function isReproductionCursor(c: string): boolean {
  return RESULT_CURSOR_RE.test(c);
}

/**
 * A result's reproductions, the counting ones first (an identity other than the owner's, approved),
 * then the others; oldest first within each. Paged with a cursor, so a flood of statements from
 * pending keys cannot push the ones that count out of the list.
 */
export async function listReproductions(db: Db, resultId: string, opts: { limit?: number; cursor?: string | null } = {}): Promise<Page<ReproductionSummary>> {
  const limit = Math.max(1, Math.min(opts.limit ?? 100, REPRODUCTION_PAGE_MAX));
  const m = opts.cursor ? RESULT_CURSOR_RE.exec(opts.cursor) : null;
  const after = m
    ? m[1] === '1'
      ? sql`((${countsSql} and ${reproductions.seq} > ${Number(m[2])}) or not ${countsSql})`
      : sql`(not ${countsSql} and ${reproductions.seq} > ${Number(m[2])})`
    : sql`true`;
  const rows = (await base(db, columns)
    .where(and(eq(reproductions.resultId, resultId), after))
    .orderBy(sql`${countsSql} desc`, asc(reproductions.seq))
    .limit(limit + 1)) as unknown as (Row & { seq: number })[];
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toSummary), next_cursor: rows.length > limit && last ? `${toSummary(last).counts ? 1 : 0}.${last.seq}` : null };
}

/** A key's reproductions (of other keys' results), newest first; cursor: the last item's seq. */
export async function listReproductionsByKey(db: Db, keyId: string, opts: { limit?: number; cursor?: string | null } = {}): Promise<Page<ReproductionSummary>> {
  const limit = Math.max(1, Math.min(opts.limit ?? 100, REPRODUCTION_PAGE_MAX));
  const before = opts.cursor && /^\d{1,15}$/.test(opts.cursor) ? lt(reproductions.seq, Number(opts.cursor)) : sql`true`;
  const rows = (await base(db, columns)
    .where(and(eq(reproductions.keyId, keyId), before))
    .orderBy(desc(reproductions.seq))
    .limit(limit + 1)) as unknown as (Row & { seq: number })[];
  const items = rows.slice(0, limit);
  return { items: items.map(toSummary), next_cursor: rows.length > limit ? String(items.at(-1)!.seq) : null };
}

export async function getReproduction(db: Db, id: string): Promise<ReproductionDetail | null> {
  const [row] = (await base(db, { ...columns, payloadSha256: reproductions.payloadSha256, bundle: reproductions.bundle } as typeof columns).where(eq(reproductions.id, id))) as unknown as (Row & {
    payloadSha256: string;
    bundle: ResultBundle;
  })[];
  if (!row) return null;
  return { ...toSummary(row), payload_sha256: row.payloadSha256, comparison: row.comparison, bundle: row.bundle };
}

/** For each result: the distinct counting identities that reproduced / disputed it. */
export async function getReproducingIdentities(db: Db, resultIds: string[]): Promise<Map<string, ReproducingIdentities>> {
  const out = new Map<string, ReproducingIdentities>();
  for (const id of resultIds) out.set(id, { reproduced_by: [], disputed_by: [] });
  if (!resultIds.length) return out;
  const rows = await base(db, {
    resultId: reproductions.resultId,
    differs: sql<boolean>`${reproductions.verdict} = 'differs'`,
    identityId: sql<string>`${reproducerIdentity}`,
    identityName: sql<string>`coalesce(${identities.name}, ${keys.name})`,
  } as unknown as typeof columns)
    .where(and(inArray(reproductions.resultId, resultIds), countsSql))
    .groupBy(reproductions.resultId, sql`1, 2, 3, 4`) as unknown as { resultId: string; differs: boolean | string; identityId: string; identityName: string }[];
  for (const r of rows) {
    const e = out.get(r.resultId)!;
    const list = r.differs === true || r.differs === 't' ? e.disputed_by : e.reproduced_by;
    if (!list.some((x) => x.id === r.identityId)) list.push({ id: r.identityId, name: r.identityName });
  }
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
 * The first stored "ok", visible, ranked (not refuted) result of (fingerprint, seed) by an
 * approved key other than `notKeyId`: a new submission of that pair by another key is a reproduction of it (one
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
        // a refuted result left the ranking: a new result of its pair is an observation again
        inArray(results.trustTier, [...RANKED_TIERS]),
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

/**
 * A stored reproduction of `resultId` by another key than `keyId` whose bundle has the same start
 * or finish timestamp as `bundle` (a copy of that rerun, not a new one), or null. The same key
 * sending its own rerun again (as a statement and as a result) is no copy: its identity counts once.
 */
export async function findRepeatedReproductionRun(db: Db, resultId: string, keyId: string, bundle: Pick<ResultBundle, 'started_at' | 'finished_at'>): Promise<string | null> {
  const [row] = await db
    .select({ id: reproductions.id })
    .from(reproductions)
    .where(
      and(
        eq(reproductions.resultId, resultId),
        ne(reproductions.keyId, keyId),
        sql`(${reproductions.bundle}->>'started_at' = ${bundle.started_at} or ${reproductions.bundle}->>'finished_at' = ${bundle.finished_at})`,
      ),
    )
    .limit(1);
  return row?.id ?? null;
}
