/**
 * The site's read cache on a real (in-memory PGlite) database: a value is reused while the data
 * stamp holds, recomputed before answering when the stamp moves (a new key or result), and past
 * its TTL answered from the entry while one background recomputation replaces it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, exportPublicKeyRaw } from '../../../../contract';
import { createDb } from '../../../../db/connect';
import { upsertApprovedKey } from '../../../../db/mutations/keys';
import type { DbHandle } from '../../../../db/types';

const TTL_MS = 300;
let db: DbHandle;
let cachedRead: typeof import('../../../../db/queries/read-cache').cachedRead;

beforeAll(async () => {
  // The TTL is read when the module loads.
  process.env.HEADPREP_READ_CACHE_MS = String(TTL_MS);
  ({ cachedRead } = await import('../../../../db/queries/read-cache'));
  db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
});
afterAll(async () => {
  delete process.env.HEADPREP_READ_CACHE_MS;
  await db?.$close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cachedRead', () => {
  it('reuses a value while the stamp holds and recomputes at once when it moves', async () => {
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cachedRead(db, 'stamp-test', compute)).toBe(1);
    expect(await cachedRead(db, 'stamp-test', compute)).toBe(1);
    // A new approved key moves the stamp: the next read waits for a fresh value.
    await upsertApprovedKey(db, await exportPublicKeyRaw((await generateKeyPair()).publicKey), 'cache test', 'c@example.org');
    expect(await cachedRead(db, 'stamp-test', compute)).toBe(2);
    expect(calls).toBe(2);
  });

  it('past the TTL answers from the entry and refreshes it once in the background', async () => {
    let calls = 0;
    const compute = async () => {
      calls++;
      await sleep(50);
      return calls;
    };
    expect(await cachedRead(db, 'ttl-test', compute)).toBe(1);
    await sleep(TTL_MS + 20);
    // Expired, same stamp: the old value at once, two readers start one recomputation.
    const [a, b] = await Promise.all([cachedRead(db, 'ttl-test', compute), cachedRead(db, 'ttl-test', compute)]);
    expect([a, b]).toEqual([1, 1]);
    expect(calls).toBe(2);
    await sleep(100);
    expect(await cachedRead(db, 'ttl-test', compute)).toBe(2);
    expect(calls).toBe(2);
  });
});
