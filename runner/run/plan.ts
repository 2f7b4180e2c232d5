/**
 * From a suite to cells to jobs.
 *   planCells(suite, {seeds})  -> CellConfig[]   (every hyper-parameter fixed; sha256s resolved)
 *   groupJobs(cells)           -> Job[]          (cells sharing one HP trajectory)
 *   runJob(job, ctx)           -> bundles        (job.ts)
 * Order is deterministic everywhere, so a shard i/n of the cell list is stable across machines.
 */
import { suiteSlug, canonicalize, CellConfigSchema, formatIssues, strategyProblems, suiteCellConfig, type BackboneRef, type CellConfig, type DatasetRef, type Suite } from '../../contract';
import { sha256HexSync } from '../../lib/sha256';
import { getBackbone } from '../backbones/index';
import { getDataset } from '../datasets/index';
import type { BackendInfo } from '../train/backend';
import { tf } from '../train/tf';
import { hpSharable, type Job } from './job';
import { registerSuitePieces } from '../protocols/suites/index';

export interface PlanOptions {
  /**
   * The backend the command initialised (initBackend). Planning may pretrain a backbone, which
   * builds tfjs models, so it must be the active one.
   */
  backend: BackendInfo;
  /** Override the suite's seeds. */
  seeds?: number[];
  log?: (line: string) => void;
}

/** A grid pair with its backbone and dataset resolved (weights and data sha256s known). */
export interface ResolvedPair {
  backbone: BackboneRef;
  dataset: DatasetRef;
}

/** Expands a suite into validated cells (resolving backbone and dataset sha256s; may pretrain). */
export async function planCells(suite: Suite, opts: PlanOptions): Promise<CellConfig[]> {
  if (tf.getBackend() !== opts.backend.name) throw new Error(`planCells: backend "${opts.backend.name}" is not the active tfjs backend (call initBackend first)`);
  await registerSuitePieces(suite.name);
  const pairs: ResolvedPair[] = [];
  for (const pair of suite.grid.pairs) {
    const bb = getBackbone(pair.backbone);
    const ds = getDataset(pair.dataset);
    const saved = await bb.resolve({ log: opts.log });
    pairs.push({
      backbone: { id: bb.id, sha256: saved.sha256, feature_layer: bb.featureLayer },
      dataset: { id: ds.id, sha256: await ds.sha256(), ...ds.defaultSizes, n_classes: ds.nClasses },
    });
  }
  return expandCells(suite, pairs, opts.seeds ?? suite.grid.seeds);
}

/**
 * The pure part of planning: every (pair, seed, strategy, tau) of the grid as a validated cell
 * that its strategy accepts, in the deterministic order shards rely on. `pairs` are the suite's
 * grid pairs, resolved, in the same order.
 */
export function expandCells(suite: Suite, pairs: ResolvedPair[], seeds: number[] = suite.grid.seeds): CellConfig[] {
  const cells: CellConfig[] = [];
  for (const { backbone, dataset } of pairs)
    for (const seed of seeds)
      for (const s of suite.grid.strategies)
        for (const tau of s.taus) {
          const raw = suiteCellConfig(suite, s, { backbone, dataset, tau, seed });
          const parsed = CellConfigSchema.safeParse(raw);
          if (!parsed.success) throw new Error(`suite ${suiteSlug(suite)}: invalid cell (${s.strategy.id}, tau ${tau}): ${formatIssues(parsed.error)}`);
          const problems = strategyProblems(parsed.data);
          if (problems.length) throw new Error(`suite ${suiteSlug(suite)}: ${s.strategy.id} tau ${tau}: ${problems.join('; ')}`);
          cells.push(parsed.data);
        }
  return cells;
}

/** The grouping key: everything that shapes the HP trajectory (tau too when HP's schedule depends on it). */
export function jobKeyOf(cell: CellConfig): string {
  const { tau, strategy: _s, ft: _f, ...rest } = cell;
  const shared = hpSharable(cell) ? rest : { ...rest, tau };
  return sha256HexSync(canonicalize(shared)).slice(0, 16);
}

/** Groups cells into jobs (one HP trajectory each), in first-appearance order; cells sorted by tau. */
export function groupJobs(cells: CellConfig[]): Job[] {
  const jobs = new Map<string, Job>();
  for (const c of cells) {
    const key = jobKeyOf(c);
    let j = jobs.get(key);
    if (!j) jobs.set(key, (j = { key, cells: [] }));
    j.cells.push(c);
  }
  for (const j of jobs.values()) j.cells.sort((a, b) => a.tau - b.tau);
  return [...jobs.values()];
}
