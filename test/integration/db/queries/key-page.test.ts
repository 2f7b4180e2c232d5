import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countKeyResultsMatching, filterWords, findKeyByIdOrPrefix, listKeyResults, listKeyResultsPage } from '../../../../db/queries/key-page';
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

describe("a key's results filtered by words (PGlite)", () => {
  let t: TestDb;
  // id, suite, version, strategy, tau, seed
  const rows: [string, string, number, string, number, number][] = [
    ['aaaa000000000000000a', 'digits-transfer', 2, 'hp-ls', 2048, 0],
    ['aaaa000000000000000b', 'digits-transfer', 2, 'lp-ft', 2048, 0],
    ['bbbb000000000000000c', 'synthetic-linear', 3, 'hp-ls', 256, 1],
    ['cccc000000000000000d', 'synthetic-linear', 3, 'hp-tau', 4, 1],
  ];
  beforeAll(async () => {
    t = await openTestDb('pglite');
    await t.db.insert(keys).values({ keyId: C, publicKey: C.slice(0, 44), name: 'lab c', contact: 'x@example.org', status: 'approved' });
    for (const [id, suite, v, strategy, tau, seed] of rows)
      await t.db.execute(
        sql.raw(`insert into results (id, envelope, payload_sha256, bundle, config, fingerprint, suite_name, suite_version, backbone, dataset,
          strategy, strategy_version, tau, seed, key_id, trust_tier, status, backend, runner_version)
          values ('${id}', '\\x00', '${id}', '{}', '{}', 'f${id}', '${suite}', ${v}, 'b', 'd', '${strategy}', 1, ${tau}, ${seed}, '${C}', 'signed', 'ok', 'wasm', 'x')`),
      );
  });
  afterAll(async () => {
    await t?.close();
  });

  const ids = async (q: string | null) => (await listKeyResultsPage(t.db, C, { q })).items.map((r) => r.id.slice(0, 4) + r.id.slice(-1)).sort();

  it('keeps the results that match every word: suite@version, strategy, cell, or the start of the id', async () => {
    expect(await ids(null)).toEqual(['aaaaa', 'aaaab', 'bbbbc', 'ccccd']);
    expect(await ids('hp-ls')).toEqual(['aaaaa', 'bbbbc']);
    expect(await ids('HP-LS synthetic-linear@3')).toEqual(['bbbbc']);
    expect(await ids('digits-transfer@2')).toEqual(['aaaaa', 'aaaab']);
    expect(await ids('cccc')).toEqual(['ccccd']);
    expect(await ids('nothing-like-this')).toEqual([]);
    expect(await countKeyResultsMatching(t.db, C, 'hp-ls')).toBe(2);
    expect(await countKeyResultsMatching(t.db, C, 'synthetic')).toBe(2);
  });

  it('never lets a word carry a LIKE wildcard or other syntax', async () => {
    expect(filterWords("  %  _ ' hp_ls  a%b ")).toEqual(['hpls', 'ab']);
    expect(await ids('%')).toEqual(['aaaaa', 'aaaab', 'bbbbc', 'ccccd']); // nothing left: no filter
    expect(await ids('hp_ls')).toEqual([]); // "hpls" matches nothing; "_" was not a wildcard
    expect(filterWords('a b c d e f g h i j')).toHaveLength(8);
  });
});
