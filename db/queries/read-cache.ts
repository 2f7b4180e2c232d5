import { sql } from 'drizzle-orm';
import type { Db } from '../types';
import { envInt } from '../../contract/env';

/**
 * A small per-process cache of the site's finished aggregate views (app/_server/read-model.ts uses
 * it): a leaderboard at 100k results takes seconds to read and rank, and a page must render in
 * well under 150 ms.
 *
 * Every entry is tagged with the data stamp it was built at: a suite's stamp
 * (db/queries/leaderboard.ts getSuiteStamp) or the site's (getDataStamp below), both read from
 * leaderboard_stamps, which the results trigger bumps in the transaction of every change (ingest,
 * hide/show, key approve/revoke, reproductions, dispute reviews: db/schema/index.ts). While the
 * stamp holds, the entry is served as is: a warm read is one small stamp query.
 *
 * When the stamp moves, ONE recomputation starts (later changes during it are picked up by the
 * next one: a view is recomputed once per change, not once per reader). The reader waits for it up
 * to HEADPREP_VIEW_WAIT_MS (default 250 ms): a small database answers fresh; a big one answers
 * with the previous view, flagged stale with the time of the data it shows, and the page says so
 * (app/_components/stale-view-note.tsx). A view whose last computation took longer than the wait
 * is not waited for at all: the previous one is answered at once and the recomputation starts
 * just after. A key with no previous view is computed before answering.
 * Serverless instances each hold their own cache or none; HEADPREP_READ_CACHE=0 disables it.
 */
const ENABLED = process.env.HEADPREP_READ_CACHE !== '0';
const WAIT_MS = envInt(process.env, 'HEADPREP_VIEW_WAIT_MS', 250);
/**
 * Entries kept per kind of value (the key's part before its first "|"), oldest dropped first: a
 * full leaderboard view can be megabytes (and its key holds the URL's filters, so visitors can
 * make many), while a suite's home-page digest is a few kilobytes and there is one per suite version.
 */
const MAX_ENTRIES: Record<string, number> = { digest: 20_000 };
const DEFAULT_MAX_ENTRIES = 128;
/** How long after answering a reader a slow recomputation starts. */
const REFRESH_DELAY_MS = 50;

/** A stamp and the time of the newest change it covers (null: no change recorded). */
export interface DataStamp {
  stamp: string;
  changedAt: Date | null;
}

/** A cached value and whether it is the view of the current data. */
export interface Cached<T> {
  value: T;
  /** True while a newer view is being computed: value is the previous one. */
  stale: boolean;
  /** When the data this value shows last changed (null: never). */
  asOf: Date | null;
}

interface Entry {
  stamp: string;
  asOf: Date | null;
  value: Promise<unknown>;
  settled: boolean;
  /** How long computing this entry took (ms). */
  computeMs?: number;
  /** The running recomputation and the stamp it was started at. */
  refresh?: { stamp: string; asOf: Date | null; value: Promise<unknown> };
}
const g = globalThis as typeof globalThis & { __headprepViewCache?: Map<string, Entry>; __headprepViewKinds?: Map<string, Set<string>> };
const cache = (g.__headprepViewCache ??= new Map());
/** Keys per kind, in insertion order (for the per-kind limit). */
const kinds = (g.__headprepViewKinds ??= new Map());
const kindOf = (key: string) => key.slice(0, Math.max(0, key.indexOf('|')));

function remember(key: string, entry: Entry): void {
  cache.set(key, entry);
  const kind = kindOf(key);
  let keys = kinds.get(kind);
  if (!keys) kinds.set(kind, (keys = new Set()));
  keys.add(key);
  if (keys.size > (MAX_ENTRIES[kind] ?? DEFAULT_MAX_ENTRIES)) forget(keys.values().next().value!);
}

function forget(key: string): void {
  cache.delete(key);
  kinds.get(kindOf(key))?.delete(key);
}

/** The site-wide stamp (home page, reference configs): every suite version's stamp and the newest key change (names and statuses show on the home page). */
export async function getDataStamp(db: Db): Promise<DataStamp> {
  const res = await db.execute<{ stamps: string | number | null; n: string | number | null; changed_at: string | Date | null; keys: string | Date | null; suites: string | Date | null }>(sql`
    select (select sum(stamp) from leaderboard_stamps) as stamps, (select count(*) from leaderboard_stamps) as n,
           (select max(changed_at) from leaderboard_stamps) as changed_at,
           (select max(greatest(created_at, approved_at, revoked_at)) from keys) as keys,
           (select max(created_at) from suites) as suites
  `);
  const r = res.rows[0];
  const iso = (v: string | Date | null | undefined) => (v === null || v === undefined ? '' : new Date(v).toISOString());
  return { stamp: `${r?.stamps ?? 0}|${r?.n ?? 0}|${iso(r?.keys)}|${iso(r?.suites)}`, changedAt: r?.changed_at ? new Date(r.changed_at) : null };
}

function fresh<T>(key: string, stamp: DataStamp, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = fn();
  const entry: Entry = { stamp: stamp.stamp, asOf: stamp.changedAt, value, settled: false };
  remember(key, entry);
  value.then(
    () => {
      entry.settled = true;
      entry.computeMs = performance.now() - t0;
    },
    () => cache.get(key) === entry && forget(key),
  );
  return value;
}

/**
 * fn()'s value for `key` at `stamp`: the cached one while the stamp holds; after a change, the
 * recomputed one if it is ready within HEADPREP_VIEW_WAIT_MS, else the previous one flagged stale
 * (the recomputation goes on in the background and replaces it).
 */
export async function cachedView<T>(key: string, stamp: DataStamp, fn: () => Promise<T>): Promise<Cached<T>> {
  if (!ENABLED) return { value: await fn(), stale: false, asOf: stamp.changedAt };
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp.stamp) return { value: (await hit.value) as T, stale: false, asOf: hit.asOf };
  // No previous view to show (or its first computation is still running): compute now.
  if (!hit || !hit.settled) return { value: await fresh(key, stamp, fn), stale: false, asOf: stamp.changedAt };
  // A view that took longer than the wait last time will again: answer with the previous one now
  // and start the recomputation just after this answer is on its way (its database read runs on
  // this thread with an embedded PGlite).
  const slow = (hit.computeMs ?? 0) > WAIT_MS;
  if (!hit.refresh) startRefresh(key, hit, stamp, fn, slow ? REFRESH_DELAY_MS : 0);
  const running = hit.refresh!;
  if (slow) return { value: (await hit.value) as T, stale: true, asOf: hit.asOf };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = await Promise.race([
    running.value.then(
      (v: unknown) => ({ v }),
      () => null,
    ),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), WAIT_MS);
      timer.unref?.();
    }),
  ]);
  clearTimeout(timer);
  if (done) return { value: done.v as T, stale: running.stamp !== stamp.stamp, asOf: running.asOf };
  return { value: (await hit.value) as T, stale: true, asOf: hit.asOf };
}

/** Starts the one recomputation of `hit` (at `stamp`, after `delayMs`); its value replaces the entry when done. */
function startRefresh(key: string, hit: Entry, stamp: DataStamp, fn: () => Promise<unknown>, delayMs: number): NonNullable<Entry['refresh']> {
  const t0 = performance.now();
  const start = delayMs > 0 ? new Promise((r) => setTimeout(r, delayMs)) : Promise.resolve();
  const refresh = { stamp: stamp.stamp, asOf: stamp.changedAt, value: start.then(fn) };
  hit.refresh = refresh;
  refresh.value.then(
    () => {
      if (cache.get(key) === hit) cache.set(key, { stamp: refresh.stamp, asOf: refresh.asOf, value: refresh.value, settled: true, computeMs: performance.now() - t0 });
    },
    (e: unknown) => {
      // The previous view stays; the next read after the next change tries again.
      hit.refresh = undefined;
      console.error(`[read-cache] recomputing ${key.slice(0, 80)} failed: ${(e as Error)?.message ?? e}`);
    },
  );
  return refresh;
}

/**
 * fn()'s value for `key` at exactly `stamp`, never a previous one: the cached value, the running
 * recomputation at that stamp, or a computation started now that cachedView's readers of the same
 * key then share. For a value derived from another cached one (the home page's suite digests are
 * read off the suite's leaderboard view), so the two are computed once per change, not twice.
 */
export async function currentView<T>(key: string, stamp: DataStamp, fn: () => Promise<T>): Promise<T> {
  if (!ENABLED) return fn();
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp.stamp) return (await hit.value) as T;
  if (hit?.refresh?.stamp === stamp.stamp) return (await hit.refresh.value) as T;
  if (!hit || !hit.settled) return fresh(key, stamp, fn);
  // a recomputation at an older stamp is running: this one is computed apart (rare: two changes in a row)
  if (hit.refresh) return fn();
  return (await startRefresh(key, hit, stamp, fn, 0).value) as T;
}

/** cachedView at the site-wide stamp, for views that do not show their freshness. */
export async function cachedRead<T>(db: Db, key: string, fn: () => Promise<T>): Promise<T> {
  return (await cachedView(key, await getDataStamp(db), fn)).value;
}
