/**
 * The site's view cache on a real (in-memory PGlite) database: a value is reused while the data
 * stamp holds; when the stamp moves, one recomputation runs, a reader gets it if it is ready within
 * the wait, else the previous value flagged stale, and the recomputed value replaces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, exportPublicKeyRaw } from '../../../../contract';
import { createDb } from '../../../../db/connect';
import { upsertApprovedKey } from '../../../../db/mutations/keys';
import type { DbHandle } from '../../../../db/types';

const WAIT_MS = 100;
let db: DbHandle;
let cache: typeof import('../../../../db/queries/read-cache');

beforeAll(async () => {
  // The wait is read when the module loads.
  process.env.HEADPREP_VIEW_WAIT_MS = String(WAIT_MS);
  cache = await import('../../../../db/queries/read-cache');
  db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
});
afterAll(async () => {
  delete process.env.HEADPREP_VIEW_WAIT_MS;
  await db?.$close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const at = (stamp: string, iso: string) => ({ stamp, changedAt: new Date(iso) });

/** A computation that returns how many times it ran; every run after the first takes 4x the wait. */
function slowAfterFirst() {
  let n = 0;
  const slow = async () => {
    n++;
    if (n > 1) await sleep(WAIT_MS * 4);
    return n;
  };
  return { slow, calls: () => n };
}

describe('cachedRead', () => {
  it('reuses a value while the site stamp holds and recomputes when it moves', async () => {
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.cachedRead(db, 'stamp-test', compute)).toBe(1);
    expect(await cache.cachedRead(db, 'stamp-test', compute)).toBe(1);
    // A new approved key moves the stamp; the recomputation is fast, so the reader gets it.
    await upsertApprovedKey(db, await exportPublicKeyRaw((await generateKeyPair()).publicKey), 'cache test', 'c@example.org');
    expect(await cache.cachedRead(db, 'stamp-test', compute)).toBe(2);
    expect(calls).toBe(2);
  });
});

describe('cachedView', () => {
  it('answers a fast recomputation fresh, within the wait', async () => {
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.cachedView('fast', at('a', '2026-01-01T00:00:00Z'), compute)).toEqual({ value: 1, stale: false, asOf: new Date('2026-01-01T00:00:00Z') });
    expect((await cache.cachedView('fast', at('a', '2026-01-01T00:00:00Z'), compute)).value).toBe(1);
    expect(await cache.cachedView('fast', at('b', '2026-01-02T00:00:00Z'), compute)).toEqual({ value: 2, stale: false, asOf: new Date('2026-01-02T00:00:00Z') });
    expect(calls).toBe(2);
  });

  it('serves the previous view flagged stale while one slow recomputation runs, then the new one', async () => {
    const { slow, calls } = slowAfterFirst();
    await cache.cachedView('slow', at('a', '2026-01-01T00:00:00Z'), slow);
    // The stamp moved: two readers start ONE recomputation and both get the old value, stale, as of the old data.
    const [x, y] = await Promise.all([
      cache.cachedView('slow', at('b', '2026-01-02T00:00:00Z'), slow),
      cache.cachedView('slow', at('b', '2026-01-02T00:00:00Z'), slow),
    ]);
    expect(x).toEqual({ value: 1, stale: true, asOf: new Date('2026-01-01T00:00:00Z') });
    expect(y).toEqual(x);
    expect(calls()).toBe(2);
    // A third change while it runs starts no second recomputation.
    expect((await cache.cachedView('slow', at('c', '2026-01-03T00:00:00Z'), slow)).stale).toBe(true);
    expect(calls()).toBe(2);
    await sleep(WAIT_MS * 5);
    // The recomputation (started at b) replaced the entry; at c it is still one change behind, so one more runs.
    expect(await cache.cachedView('slow', at('b', '2026-01-02T00:00:00Z'), slow)).toEqual({ value: 2, stale: false, asOf: new Date('2026-01-02T00:00:00Z') });
    // That recomputation took longer than the wait, so the next change is not waited for: the
    // previous view at once, the recomputation just after.
    expect(await cache.cachedView('slow', at('c', '2026-01-03T00:00:00Z'), slow)).toEqual({ value: 2, stale: true, asOf: new Date('2026-01-02T00:00:00Z') });
    expect(calls()).toBe(2);
    await sleep(WAIT_MS * 5 + 100);
    expect(calls()).toBe(3);
    expect(await cache.cachedView('slow', at('c', '2026-01-03T00:00:00Z'), slow)).toEqual({ value: 3, stale: false, asOf: new Date('2026-01-03T00:00:00Z') });
  });

  it('keeps the previous view when a recomputation fails, and tries again on the next read', async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls === 2) throw new Error('database went away');
      return calls;
    };
    await cache.cachedView('flaky', at('a', '2026-01-01T00:00:00Z'), flaky);
    const r = await cache.cachedView('flaky', at('b', '2026-01-02T00:00:00Z'), flaky);
    expect(r).toEqual({ value: 1, stale: true, asOf: new Date('2026-01-01T00:00:00Z') });
    expect(await cache.cachedView('flaky', at('b', '2026-01-02T00:00:00Z'), flaky)).toEqual({ value: 3, stale: false, asOf: new Date('2026-01-02T00:00:00Z') });
  });
});

describe('entry limits per kind of value', () => {
  it('drops the oldest of 128+ full views, and keeps a digest per suite version for thousands', async () => {
    let calls = 0;
    const compute = async () => ++calls;
    const s = at('a', '2026-01-01T00:00:00Z');
    for (let i = 0; i < 130; i++) await cache.cachedView(`lb|limit-${i}`, s, compute);
    for (let i = 0; i < 3000; i++) await cache.cachedView(`digest|limit-${i}`, s, compute);
    calls = 0;
    await cache.cachedView('lb|limit-129', s, compute);
    await cache.cachedView('digest|limit-0', s, compute);
    expect(calls).toBe(0);
    await cache.cachedView('lb|limit-0', s, compute);
    expect(calls).toBe(1);
  });
});

describe('currentView', () => {
  it('returns the value at the given stamp, sharing the recomputation that cachedView readers see', async () => {
    const { slow, calls } = slowAfterFirst();
    expect(await cache.currentView('current', at('a', '2026-01-01T00:00:00Z'), slow)).toBe(1);
    const next = at('b', '2026-01-02T00:00:00Z');
    const [current, reader] = await Promise.all([cache.currentView('current', next, slow), cache.cachedView('current', next, slow)]);
    // currentView waited for the recomputation; the reader got the previous value meanwhile, flagged stale
    expect(current).toBe(2);
    expect(reader).toMatchObject({ value: 1, stale: true });
    expect(calls()).toBe(2);
    expect(await cache.cachedView('current', next, slow)).toMatchObject({ value: 2, stale: false });
    expect(calls()).toBe(2);
  });
});
