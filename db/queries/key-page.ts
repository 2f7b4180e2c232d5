/**
 * Reads for a submitter's public page (/keys/<id>) and the /submit key lookup: a key by its full id
 * or a unique prefix (the CLI prints 12-character short ids), and its visible results. No contact
 * details: those stay with the maintainers (/admin).
 */
import { and, asc, desc, eq, like, lt, or, sql, type SQL } from 'drizzle-orm';
import { KEY_PREFIX_RE } from '../../contract';
import type { Db } from '../types';
import { keys, results } from '../schema';
import { keyState } from './keys';
import { resultColumns } from './results';

export interface PublicKey {
  id: string;
  name: string;
  status: 'pending' | 'approved' | 'revoked';
  created_at: string;
  approved_at: string | null;
  revoked_at: string | null;
}

/** A key id lookup: exactly one key, none, or several sharing the prefix (listed, at most 10). */
export type KeyLookup = { kind: 'found'; key: PublicKey } | { kind: 'none' } | { kind: 'ambiguous'; keys: PublicKey[] } | { kind: 'invalid' };


const publicCols = {
  id: keys.keyId,
  name: keys.name,
  status: keys.status,
  createdAt: keys.createdAt,
  approvedAt: keys.approvedAt,
  revokedAt: keys.revokedAt,
};

function toPublic(k: { id: string; name: string; status: PublicKey['status']; createdAt: Date; approvedAt: Date | null; revokedAt: Date | null }): PublicKey {
  return { id: k.id, ...keyState(k) };
}

/** Finds a key by its 64-hex id or a unique prefix of at least MIN_KEY_PREFIX hex digits (case-insensitive). */
export async function findKeyByIdOrPrefix(db: Db, raw: string): Promise<KeyLookup> {
  const p = raw.trim().toLowerCase();
  if (!KEY_PREFIX_RE.test(p)) return { kind: 'invalid' };
  // The prefix is hex only, so it holds no LIKE wildcards.
  const rows = await db.select(publicCols).from(keys).where(like(keys.keyId, `${p}%`)).orderBy(asc(keys.keyId)).limit(10);
  if (rows.length === 0) return { kind: 'none' };
  if (rows.length === 1) return { kind: 'found', key: toPublic(rows[0]!) };
  return { kind: 'ambiguous', keys: rows.map(toPublic) };
}

export interface KeyResultRow {
  id: string;
  suite: string;
  backbone: string;
  dataset: string;
  strategy: string;
  tau: number;
  seed: number;
  trust_tier: string;
  status: 'ok' | 'error';
  test_acc: number | null;
  aie: number | null;
  received_at: string;
}

/** The key's results that are not hidden, newest first (at most `limit`, default 500). */
export async function listKeyResults(db: Db, keyId: string, limit = 500): Promise<KeyResultRow[]> {
  return (await listKeyResultsPage(db, keyId, { limit })).items;
}

/** How many visible results a key has, and how many of them are pending. */
export async function countKeyResults(db: Db, keyId: string): Promise<{ total: number; pending: number }> {
  const [r] = await db
    .select({ total: sql<number>`count(*)::int`, pending: sql<number>`(count(*) filter (where ${results.trustTier} = 'pending'))::int` })
    .from(results)
    .where(and(eq(results.keyId, keyId), eq(results.hidden, false)));
  return { total: Number(r?.total ?? 0), pending: Number(r?.pending ?? 0) };
}

/**
 * The words of a results filter (the key page's "filter" box): lower-cased, at most 8 words of at
 * most 64 characters, each reduced to the characters ids are made of (a-z 0-9 @ . -), so no word
 * can carry a LIKE wildcard. Empty when nothing is left.
 */
export function filterWords(q: string | null | undefined): string[] {
  return (q ?? '')
    .toLowerCase()
    .split(/\s+/)
    .map((w) => w.replace(/[^a-z0-9@.-]/g, '').slice(0, 64))
    .filter(Boolean)
    .slice(0, 8);
}

/**
 * Every word must match one of: the suite ("name@version"), the strategy, the backbone or dataset
 * (substring), or the start of the result id.
 */
function matchesWords(words: readonly string[]): SQL | undefined {
  if (!words.length) return undefined;
  const suite = sql`(${results.suiteName} || '@' || ${results.suiteVersion})`;
  return and(
    ...words.map((w) =>
      or(
        like(suite, `%${w}%`),
        like(results.strategy, `%${w}%`),
        like(results.backbone, `%${w}%`),
        like(results.dataset, `%${w}%`),
        like(results.id, `${w}%`),
      ),
    ),
  );
}

/** How many of the key's visible results match the filter `q` (see filterWords). */
export async function countKeyResultsMatching(db: Db, keyId: string, q: string | null | undefined): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(results)
    .where(and(eq(results.keyId, keyId), eq(results.hidden, false), matchesWords(filterWords(q))));
  return Number(r?.n ?? 0);
}

/**
 * One page of the key's visible results, newest first; the cursor is the last row's insertion
 * order. `q` keeps only the results that match every word of it (filterWords).
 */
export async function listKeyResultsPage(
  db: Db,
  keyId: string,
  opts: { limit?: number; cursor?: string | null; q?: string | null } = {},
): Promise<{ items: KeyResultRow[]; next_cursor: string | null }> {
  const limit = Math.max(1, Math.min(opts.limit ?? 100, 1000));
  const before = opts.cursor && /^\d{1,15}$/.test(opts.cursor) ? lt(results.seq, Number(opts.cursor)) : undefined;
  const rows = await db
    .select(resultColumns('seq', 'id', 'suiteName', 'suiteVersion', 'backbone', 'dataset', 'strategy', 'tau', 'seed', 'trustTier', 'status', 'testAcc', 'aie', 'receivedAt'))
    .from(results)
    .where(and(eq(results.keyId, keyId), eq(results.hidden, false), before, matchesWords(filterWords(opts.q))))
    .orderBy(desc(results.seq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({
    id: r.id,
    suite: `${r.suiteName}@${r.suiteVersion}`,
    backbone: r.backbone,
    dataset: r.dataset,
    strategy: r.strategy,
    tau: r.tau,
    seed: r.seed,
    trust_tier: r.trustTier,
    status: r.status,
    test_acc: r.testAcc,
    aie: r.aie,
    received_at: r.receivedAt.toISOString(),
  }));
  return { items, next_cursor: rows.length > limit ? String(page.at(-1)!.seq) : null };
}
