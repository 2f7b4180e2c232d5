import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKeyByIdOrPrefix, listKeyResults } from '../../../../db/queries/key-page';
import { keys } from '../../../../db/schema';
import { openTestDb, type TestDb } from '../../_helpers/databases';

const A = `abcdef012345${'0'.repeat(52)}`;
const B = `abcdef012345${'1'.repeat(52)}`; // shares A's 12-digit short id
const C = `123456789abc${'2'.repeat(52)}`;

describe('key lookup by full id or short id (PGlite)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb('pglite');
    for (const [keyId, name, status] of [
      [A, 'lab a', 'pending'],
      [B, 'lab b', 'approved'],
      [C, 'lab c', 'pending'],
    ] as const)
      await t.db.insert(keys).values({ keyId, publicKey: keyId.slice(0, 44), name, contact: 'x@example.org', status });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds one key by its full id, its 12-digit short id (any case), and refuses ambiguous or too short prefixes', async () => {
    const full = await findKeyByIdOrPrefix(t.db, C);
    expect(full).toMatchObject({ kind: 'found', key: { id: C, name: 'lab c', status: 'pending' } });
    expect(await findKeyByIdOrPrefix(t.db, ' 123456789ABC ')).toMatchObject({ kind: 'found', key: { id: C } });
    const amb = await findKeyByIdOrPrefix(t.db, 'abcdef012345');
    expect(amb.kind).toBe('ambiguous');
    expect(amb.kind === 'ambiguous' && amb.keys.map((k) => k.name)).toEqual(['lab a', 'lab b']);
    expect(await findKeyByIdOrPrefix(t.db, `abcdef012345${'1'.repeat(4)}`)).toMatchObject({ kind: 'found', key: { id: B } });
    expect(await findKeyByIdOrPrefix(t.db, 'ffffffffffff')).toEqual({ kind: 'none' });
    expect(await findKeyByIdOrPrefix(t.db, 'abc')).toEqual({ kind: 'invalid' });
    expect(await findKeyByIdOrPrefix(t.db, 'abcdef01%')).toEqual({ kind: 'invalid' });
    expect(await listKeyResults(t.db, A)).toEqual([]);
  });
});
