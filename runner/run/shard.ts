/**
 * `--shard i/n`: a deterministic partition of a run's cells over n machines (a Slurm array, a
 * Kubernetes indexed Job, a CI matrix; docs/sharding.md), 0 <= i < n.
 *
 * The unit is the JOB (plan.ts groupJobs: the cells of one seed sharing a head-probe trajectory),
 * so a tau sweep's shared probe is never split across machines. Each job gets a stable id,
 * sha256 of its cells' fingerprints + seeds, and jobs are assigned greedily,
 * largest first (ties by id), to the shard with the fewest cells so far: balanced, independent of
 * the order cells were listed in, and identical on every machine. Shards are disjoint and together
 * hold exactly the unsharded cells (test/runner/run/shard.test.ts).
 *
 * Shard BEFORE dropping finished cells (--resume), so the partition does not move as cells finish.
 */
import { fingerprint, type CellConfig } from '../../contract';
import { sha256HexSync } from '../../lib/sha256';
import { groupJobs } from './plan';

export interface ShardSpec {
  index: number;
  count: number;
}

/** Parses "i/n" (0-based). Throws a message naming the flag and the expected form. */
export function parseShard(s: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard: expected "i/n" with 0 <= i < n (e.g. 0/4), got "${s}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new Error(`--shard: expected 0 <= i < n and n >= 1, got "${s}"`);
  return { index, count };
}

/** Assigns every cell a shard index (same order as `cells`). */
export async function assignShards(cells: CellConfig[], count: number): Promise<number[]> {
  const fps = new Map<CellConfig, string>();
  // The contract fingerprint leaves the seed out (it names the protocol); the seed is appended.
  for (const c of cells) fps.set(c, `${await fingerprint(c)}:${c.seed}`);
  const jobs = groupJobs(cells).map((j) => ({
    cells: j.cells,
    id: sha256HexSync(j.cells.map((c) => fps.get(c)!).sort().join('\n')),
  }));
  jobs.sort((a, b) => b.cells.length - a.cells.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const shardOf = new Map<CellConfig, number>();
  for (const j of jobs) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += j.cells.length;
    for (const c of j.cells) shardOf.set(c, best);
  }
  return cells.map((c) => shardOf.get(c)!);
}

/** The cells of shard `spec.index` of `spec.count`, in their original order. */
export async function shardCells(cells: CellConfig[], spec: ShardSpec): Promise<CellConfig[]> {
  if (spec.count === 1) return cells;
  const shards = await assignShards(cells, spec.count);
  return cells.filter((_, i) => shards[i] === spec.index);
}
