/**
 * --shard i/n: shards are disjoint, together exactly the unsharded cells, keep every job (tau
 * sweep) whole, are balanced, and do not depend on the order cells were listed in. Checked on the
 * cell grid of every registered suite (expanded like planCells, with fixed checksums so no
 * backbone has to be pretrained here).
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, type CellConfig, type Suite } from '../../../contract';
import { groupJobs } from '../../../runner/run/plan';
import { assignShards, parseShard, shardCells } from '../../../runner/run/shard';
import { listSuites } from '../../../runner/protocols/suites/index';

function expand(suite: Suite): CellConfig[] {
  const cells: CellConfig[] = [];
  for (const pair of suite.grid.pairs)
    for (const seed of suite.grid.seeds)
      for (const s of suite.grid.strategies)
        for (const tau of s.taus) {
          const d = suite.defaults;
          cells.push({
            suite: { name: suite.name, version: suite.version },
            backbone: { id: pair.backbone, sha256: 'a'.repeat(64), feature_layer: 'features' },
            dataset: { id: pair.dataset, sha256: 'b'.repeat(64), n_train: 1000, n_val: 500, n_test: 2000, n_classes: 5 },
            strategy: { ...s.strategy },
            head: { ...(s.head ?? d.head) },
            tau,
            eta: s.eta ?? d.eta,
            temperature: s.temperature ?? d.temperature,
            hp: { ...d.hp },
            ft: { ...d.ft, epochs: s.ft_epochs ?? d.ft.epochs },
            augmentation: { ...d.augmentation },
            eval_set_size: d.eval_set_size,
            seed,
          });
        }
  return cells;
}

const key = (c: CellConfig) => canonicalize(c);

describe('parseShard', () => {
  it('accepts i/n with 0 <= i < n', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
  });
  it.each(['4/4', '1/0', 'a/b', '1', '-1/2', '1/2/3', ''])('rejects "%s" naming the flag', (s) => {
    expect(() => parseShard(s)).toThrow(/--shard: expected/);
  });
});

describe('shardCells', () => {
  const suites = listSuites();
  it('covers every registered suite (including digits-transfer@1)', () => {
    expect(suites.map((s) => `${s.name}@${s.version}`)).toContain('digits-transfer@1');
  });

  it.each(suites.flatMap((s) => [2, 3, 5].map((n) => [`${s.name}@${s.version}`, n, s] as const)))(
    '%s into %i shards: disjoint, complete, jobs whole, balanced',
    async (_name, n, suite) => {
      const cells = expand(suite);
      const shards = await Promise.all(Array.from({ length: n }, (_, i) => shardCells(cells, { index: i, count: n })));
      const all = shards.flat().map(key);
      expect(new Set(all).size).toBe(all.length); // disjoint
      expect([...all].sort()).toEqual(cells.map(key).sort()); // exactly the unsharded cells
      // Each job (shared HP trajectory) lives in exactly one shard.
      const shardOf = new Map<string, number>();
      shards.forEach((cs, i) => cs.forEach((c) => shardOf.set(key(c), i)));
      for (const job of groupJobs(cells)) expect(new Set(job.cells.map((c) => shardOf.get(key(c)))).size).toBe(1);
      // Balanced up to one job: no shard exceeds the smallest by more than the largest job.
      const sizes = shards.map((s) => s.length);
      const biggestJob = Math.max(...groupJobs(cells).map((j) => j.cells.length));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(biggestJob);
    },
  );

  it('does not depend on the order of the cell list', async () => {
    const cells = expand(suites.find((s) => s.name === 'digits-transfer')!);
    const a = await assignShards(cells, 4);
    const reversed = [...cells].reverse();
    const b = await assignShards(reversed, 4);
    const byKey = new Map(reversed.map((c, i) => [key(c), b[i]]));
    cells.forEach((c, i) => expect(byKey.get(key(c))).toBe(a[i]));
  });

  it('1 shard is the identity; seeds spread over shards', async () => {
    const cells = expand(suites.find((s) => s.name === 'digits-transfer')!);
    expect(await shardCells(cells, { index: 0, count: 1 })).toEqual(cells);
    const s0 = await shardCells(cells, { index: 0, count: 3 });
    expect(s0.length).toBeGreaterThan(0);
    expect(s0.length).toBeLessThan(cells.length);
  });
});
