/**
 * Running a JOB: the cells of one seed that share everything except tau, strategy id and the FT
 * settings (see groupJobs in plan.ts). The job probes once up to its largest tau, snapshots the head
 * at every tau a cell needs, then finetunes each cell from its snapshot. Bundles are yielded one by
 * one as cells finish, so the caller can write each immediately.
 *
 * Two cells whose configs differ ONLY in the strategy id (e.g. `ft` and `hp-tau` at tau 0, or
 * `lp-ft` and `hp-tau` at the largest tau) are one computation: it runs once and both bundles
 * carry its numbers (bit-identical by construction: same seed, same backend, same code path).
 */
import {
  canonicalize,
  fingerprint,
  type CellConfig,
  type Energy,
  type EpochRow,
  type ResultBundle,
  type Summary,
  type Timing,
} from '../../contract';
import { getBackbone, instantiateBackbone, type BackboneModel } from '../backbones/index';
import type { SavedModel } from '../backbones/io';
import { getDataset, type LoadedDataset } from '../datasets/index';
import { PeakRss } from '../lib/peak-rss';
import { PhaseClock } from '../lib/phase-clock';
import { environmentOf } from './environment';
import { classifierStats } from '../measure/energy';
import { featureMetrics, weightsNorm } from '../measure/features';
import { EpochEvaluator, headLogits, statsRow, type EvalData } from './epoch-eval';
import { evalThread, type EvalCell } from './eval-thread';
import type { BackendInfo } from '../train/backend';
import { inferAll } from '../train/data';
import { buildHead, headVariables, snapshotWeights } from '../train/head';
import { ftEpoch, hpEpoch, type HpState } from '../train/loops';
import { Optimizer } from '../train/optim';
import { tf } from '../train/tf';
import { registerSuitePieces } from '../protocols/suites/index';

/** A unit of work: plain data, so an executor can send it to a worker thread. */
export interface Job {
  /** Stable id of the shared HP trajectory (hash input of the grouping key). */
  key: string;
  /** Cells sorted by tau; all share seed, dataset, backbone, head, eta, temperature, hp, augmentation. */
  cells: CellConfig[];
}

export type RunEvent =
  | { kind: 'job-start'; job: Job }
  | { kind: 'hp-epoch'; job: Job; epoch: number; of: number }
  | { kind: 'cell-start'; cell: CellConfig }
  | { kind: 'ft-epoch'; cell: CellConfig; epoch: number; of: number };

export interface RunContext {
  backend: BackendInfo;
  /**
   * Evaluate each FT epoch in a worker thread, overlapped with the next epoch's training
   * (eval-thread.ts; same bits). For runs that leave a core idle; ignored on native TensorFlow.
   */
  evalThread?: boolean;
  onEvent?: (e: RunEvent) => void;
  log?: (line: string) => void;
}

/** What a job prepared once for all its cells. */
interface Prepared {
  ds: LoadedDataset;
  saved: SavedModel;
  frozen: BackboneModel;
  zTrain: Float32Array;
  zVal: Float32Array;
  zTest: Float32Array;
  /** Frozen features of the OOD test split, when the dataset has one. */
  zOod: Float32Array | null;
  featDim: number;
  evalN: number;
  /** Seconds spent loading data and checking the registries (shared by the job's cells). */
  dataSeconds: number;
  /** Seconds spent instantiating the frozen backbone and caching its features. */
  featuresSeconds: number;
  /** dataSeconds + featuresSeconds. */
  prepSeconds: number;
}

/** The phases of a cell's own work (Timing minus the shared data, features and HP phases). */
type CellPhase = 'ft_train' | 'eval' | 'feature_metrics';

function now(): number {
  return performance.now() / 1000;
}

/** The evaluation inputs of a prepared job (plain data: it can go to a worker thread). */
function evalDataOf(p: Prepared, k: number): EvalData {
  const { train, val, test, oodTest } = p.ds;
  return { featDim: p.featDim, k, evalN: p.evalN, inputShape: [...p.ds.inputShape], train, val, test, ood: oodTest ?? null, zTest0: p.zTest };
}

/** Checks that the config's dataset/backbone match the local registries (sha256 included). */
async function prepare(cfg: CellConfig, ctx: RunContext): Promise<Prepared> {
  const t0 = now();
  await registerSuitePieces(cfg.suite.name);
  const dsDef = getDataset(cfg.dataset.id);
  const dsSha = await dsDef.sha256();
  if (dsSha !== cfg.dataset.sha256)
    throw new Error(`config.dataset.sha256 is ${cfg.dataset.sha256} but the local "${cfg.dataset.id}" files hash to ${dsSha}`);
  if (dsDef.nClasses !== cfg.dataset.n_classes)
    throw new Error(`config.dataset.n_classes is ${cfg.dataset.n_classes} but "${cfg.dataset.id}" has ${dsDef.nClasses} classes`);
  const bbDef = getBackbone(cfg.backbone.id);
  const saved = await bbDef.resolve({ log: ctx.log });
  if (saved.sha256 !== cfg.backbone.sha256)
    throw new Error(`config.backbone.sha256 is ${cfg.backbone.sha256} but the local "${cfg.backbone.id}" weights hash to ${saved.sha256}`);
  if (cfg.eval_set_size > cfg.dataset.n_test)
    throw new Error(`config.eval_set_size ${cfg.eval_set_size} exceeds dataset.n_test ${cfg.dataset.n_test} (the eval set is the head of the test split)`);
  const ds = await dsDef.load({ seed: cfg.seed, n_train: cfg.dataset.n_train, n_val: cfg.dataset.n_val, n_test: cfg.dataset.n_test });
  const t1 = now();
  const frozen = await instantiateBackbone(saved, cfg.backbone.feature_layer);
  const zTrain = await inferAll(frozen.model, ds.train.x, ds.train.n, ds.inputShape);
  const zVal = await inferAll(frozen.model, ds.val.x, ds.val.n, ds.inputShape);
  const zTest = await inferAll(frozen.model, ds.test.x, ds.test.n, ds.inputShape);
  const zOod = ds.oodTest ? await inferAll(frozen.model, ds.oodTest.x, ds.oodTest.n, ds.inputShape) : null;
  const t2 = now();
  return {
    ds,
    saved,
    frozen,
    zTrain,
    zVal,
    zTest,
    zOod,
    featDim: frozen.featDim,
    evalN: cfg.eval_set_size,
    dataSeconds: t1 - t0,
    featuresSeconds: t2 - t1,
    prepSeconds: t2 - t0,
  };
}

interface Computed {
  energy: Energy;
  epochs: EpochRow[];
  summary: Summary;
  timing: Timing;
  started_at: string;
  finished_at: string;
}

/** Picks the best-validation epoch (earliest on ties; the last epoch when there is no val split). */
export function summarize(rows: EpochRow[], nVal: number): Pick<Summary, 'test_acc' | 'best_val_acc' | 'best_epoch' | 'last_test_acc'> {
  let best = 0;
  if (nVal === 0) best = rows.length - 1;
  else for (let i = 1; i < rows.length; i++) if (rows[i]!.val_acc > rows[best]!.val_acc) best = i;
  return { test_acc: rows[best]!.test_acc, best_val_acc: rows[best]!.val_acc, best_epoch: best, last_test_acc: rows.at(-1)!.test_acc };
}

/** Step 4 of docs/science.md: the energy at the start of FT (hard labels, T = 1, frozen features, no augmentation). */
async function startOfFtEnergy(cfg: CellConfig, p: Prepared, snap: Snapshot, head: tf.Sequential, clock: PhaseClock<CellPhase>): Promise<Energy> {
  const k = cfg.dataset.n_classes;
  const h = p.featDim;
  const [tr, te] = await clock.timeAsync('eval', async () => [
    classifierStats(await headLogits(head, p.zTrain, p.ds.train.n, h), p.ds.train.y, k),
    classifierStats(await headLogits(head, p.zTest, p.ds.test.n, h), p.ds.test.y, k),
  ]);
  const fm0 = clock.time('feature_metrics', () => featureMetrics(p.zTest.subarray(0, p.evalN * h), p.zTest.subarray(0, p.evalN * h), p.evalN, h));
  return {
    aie: tr.energy,
    aie_q25: tr.q25,
    aie_median: tr.median,
    aie_q75: tr.q75,
    hp_train_acc: tr.acc,
    hp_train_loss: tr.loss,
    head_norm: weightsNorm(await Promise.all(snap.weights.map((w) => w.data()))),
    lp_test_acc: te.acc,
    feat_norm_ref: fm0.feat_norm_ref,
    hp_cached_features: cfg.augmentation.kind === 'none' || cfg.augmentation.max_shift === 0,
  };
}

/** Finetunes one cell from its head snapshot and measures everything of docs/science.md steps 4-7. */
function runCell(
  cfg: CellConfig,
  p: Prepared,
  snap: Snapshot,
  ctx: RunContext,
): Promise<Computed> {
  return (async () => {
    const startedAt = new Date();
    const t0 = now();
    const clock = new PhaseClock<CellPhase>();
    const mem = new PeakRss();
    mem.include(snap.peakRss);
    const k = cfg.dataset.n_classes;
    const h = p.featDim;
    const head = buildHead(cfg.head, h, k, cfg.seed);
    head.setWeights(snap.weights);
    const backbone = cfg.ft.epochs > 0 ? await instantiateBackbone(p.saved, cfg.backbone.feature_layer) : null;
    const opt = backbone ? new Optimizer(cfg.ft, [...backbone.model.trainableWeights.map((w) => w.read() as tf.Variable), ...headVariables(head)]) : null;
    let thread: EvalCell | null = null;
    let threadFinished = false;
    try {
      const energy = await startOfFtEnergy(cfg, p, snap, head, clock);
      const d = evalDataOf(p, k);
      const row0 = await statsRow(0, d, head, p.zTrain, p.zVal, p.zTest, null, 0, clock);
      // OOD accuracy at the best-validation epoch: measured at epoch 0 and again whenever
      // validation improves (the same earliest-best rule as summarize), not every epoch.
      const lpOod = p.zOod
        ? await clock.timeAsync('eval', async () => classifierStats(await headLogits(head, p.zOod!, p.ds.oodTest!.n, h), p.ds.oodTest!.y, k).acc)
        : null;
      const ev = new EpochEvaluator(d, row0.val_acc, lpOod);
      const useThread = ctx.evalThread === true && ctx.backend.name !== 'tensorflow' && ctx.backend.name !== 'webgpu' && backbone !== null && cfg.ft.epochs > 0;
      thread = useThread
        ? await clock.timeAsync('eval', async () =>
            (await evalThread(ctx.backend.name)).cell({
              data: d,
              saved: p.saved,
              featureLayer: cfg.backbone.feature_layer,
              head: cfg.head,
              seed: cfg.seed,
              bestVal0: row0.val_acc,
              oodAtBest0: lpOod,
            }),
          )
        : null;
      let ftSeconds = 0;
      let ftExamples = 0;
      if (backbone && opt) {
        const headNames = new Set(headVariables(head).map((v) => v.name));
        const stepsPerEpoch = Math.ceil(p.ds.train.n / cfg.ft.batch_size);
        for (let e = 0; e < cfg.ft.epochs; e++) {
          const st = await ftEpoch(cfg, backbone.model, head, opt, headNames, p.ds.train, p.ds.inputShape, e, e * stepsPerEpoch, mem);
          ftSeconds += st.seconds;
          ftExamples += st.examples;
          clock.add('ft_train', st.seconds);
          const stats = { epoch: e, loss: st.train_loss, acc: st.train_acc, headGradNorm: st.head_grad_norm, isLast: e === cfg.ft.epochs - 1 };
          if (thread) clock.time('eval', () => thread!.epoch(backbone.model, head, stats));
          else await ev.evaluate(backbone.model, head, stats);
          mem.sample();
          ctx.onEvent?.({ kind: 'ft-epoch', cell: cfg, epoch: e + 1, of: cfg.ft.epochs });
        }
      }
      // With the worker: wait for the evaluations still running (the part not overlapped).
      const fromThread = thread ? await clock.timeAsync('eval', () => thread!.finish()) : null;
      threadFinished = true;
      clock.add('eval', ev.clock.get('eval'));
      clock.add('feature_metrics', ev.clock.get('feature_metrics'));
      const rows: EpochRow[] = [row0, ...(fromThread ? fromThread.rows : ev.rows)];
      const oodAtBest = fromThread ? fromThread.oodAtBest : ev.oodAtBest;
      const hpExamples = cfg.tau * p.ds.train.n;
      const samplesPerSec =
        cfg.ft.epochs > 0 ? ftExamples / Math.max(ftSeconds, 1e-9) : hpExamples > 0 ? hpExamples / Math.max(snap.hpSeconds + p.prepSeconds, 1e-9) : 0;
      // wall time of the cell's own work: data + feature cache, the shared HP up to its tau, its FT and evaluation.
      const own = now() - t0;
      const wall = p.prepSeconds + snap.hpSeconds + own;
      const timing: Timing = {
        data_s: p.dataSeconds,
        features_s: p.featuresSeconds,
        hp_s: snap.hpSeconds,
        ft_train_s: clock.get('ft_train'),
        eval_s: clock.get('eval'),
        feature_metrics_s: clock.get('feature_metrics'),
        other_s: Math.max(0, own - clock.get('ft_train') - clock.get('eval') - clock.get('feature_metrics')),
        ...(fromThread ? { eval_worker_s: fromThread.worker_seconds } : {}),
      };
      const summary: Summary = {
        ...summarize(rows, p.ds.val.n),
        lp_test_acc: energy.lp_test_acc,
        ...(lpOod === null || oodAtBest === null ? {} : { ood_test_acc: oodAtBest, lp_ood_test_acc: lpOod }),
        wall_time_s: wall,
        samples_per_sec: samplesPerSec,
        peak_memory_mb: mem.mb,
      };
      return { energy, epochs: rows, summary, timing, started_at: startedAt.toISOString(), finished_at: new Date().toISOString() };
    } finally {
      // A cell that failed mid-way still ends its worker-side state (and lets the worker idle).
      if (thread && !threadFinished)
        try {
          thread.finish().catch(() => {});
        } catch {
          // the worker is gone: nothing to end
        }
      opt?.dispose();
      backbone?.dispose();
      head.dispose();
    }
  })();
}

interface Snapshot {
  weights: tf.Tensor[];
  /** HP seconds from the start of probing to this tau. */
  hpSeconds: number;
  peakRss: number;
}

async function bundleOf(cfg: CellConfig, c: Computed, ctx: RunContext): Promise<ResultBundle> {
  return {
    schema_version: 1,
    suite: { ...cfg.suite },
    config: cfg,
    fingerprint: await fingerprint(cfg),
    energy: c.energy,
    epochs: c.epochs,
    summary: c.summary,
    environment: environmentOf(ctx.backend),
    timing: c.timing,
    status: 'ok',
    started_at: c.started_at,
    finished_at: c.finished_at,
  };
}

/** A bundle recording a failed cell (the sweep continues). */
export async function errorBundle(cfg: CellConfig, err: unknown, ctx: RunContext, startedAt: Date): Promise<ResultBundle> {
  const msg = err instanceof Error ? err.message : String(err);
  return {
    schema_version: 1,
    suite: { ...cfg.suite },
    config: cfg,
    fingerprint: await fingerprint(cfg),
    energy: null,
    epochs: [],
    summary: null,
    environment: environmentOf(ctx.backend),
    status: 'error',
    error_message: msg.slice(0, 4000) || 'unknown error',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
  };
}

/** The HP schedule can be shared across taus only when it does not depend on tau. */
export function hpSharable(cfg: CellConfig): boolean {
  return cfg.hp.schedule === 'constant' && cfg.hp.warmup_epochs === 0;
}

/**
 * Runs one job and yields each cell's bundle as soon as the cell finishes (status 'error' bundles
 * for cells that fail; a failure while preparing or probing fails the job's remaining cells).
 */
export async function* runJob(job: Job, ctx: RunContext): AsyncGenerator<ResultBundle> {
  const cells = [...job.cells].sort((a, b) => a.tau - b.tau);
  const first = cells[0];
  if (!first) return;
  ctx.onEvent?.({ kind: 'job-start', job });
  const jobStart = new Date();
  let p: Prepared;
  try {
    p = await prepare(first, ctx);
  } catch (e) {
    for (const c of cells) yield await errorBundle(c, e, ctx, jobStart);
    return;
  }
  const snapshots = new Map<number, Snapshot>();
  const done = new Map<string, Computed>();
  let head: tf.LayersModel | null = null;
  let hpOpt: Optimizer | null = null;
  let i = 0;
  try {
    const taus = [...new Set(cells.map((c) => c.tau))].sort((a, b) => a - b);
    const maxTau = taus.at(-1)!;
    if (taus.length > 1 && !hpSharable(first)) throw new Error('internal: a job with several taus needs a constant HP schedule');
    head = buildHead(first.head, p.featDim, first.dataset.n_classes, first.seed);
    const headVars = headVariables(head);
    hpOpt = new Optimizer(first.hp, headVars);
    const st: HpState = { head, headVars, opt: hpOpt, step: 0 };
    const mem = new PeakRss();
    const cached = first.augmentation.kind === 'none' || first.augmentation.max_shift === 0;
    const data = { zTrain: p.zTrain, featDim: p.featDim, train: p.ds.train, inputShape: p.ds.inputShape, cached, backbone: p.frozen.model };
    let hpSeconds = 0;
    let epoch = 0;
    for (const tau of taus) {
      while (epoch < tau) {
        const t0 = now();
        await hpEpoch(first, st, data, epoch, maxTau, mem);
        hpSeconds += now() - t0;
        epoch++;
        ctx.onEvent?.({ kind: 'hp-epoch', job, epoch, of: maxTau });
      }
      snapshots.set(tau, { weights: snapshotWeights(head), hpSeconds, peakRss: mem.bytes });
    }
    hpOpt.dispose();
    hpOpt = null;
    head.dispose();
    head = null;
    for (; i < cells.length; i++) {
      const cfg = cells[i]!;
      ctx.onEvent?.({ kind: 'cell-start', cell: cfg });
      const started = new Date();
      try {
        const key = canonicalize({ ...cfg, strategy: null });
        let c = done.get(key);
        if (!c) {
          c = await runCell(cfg, p, snapshots.get(cfg.tau)!, ctx);
          done.set(key, c);
        }
        yield await bundleOf(cfg, c, ctx);
      } catch (e) {
        yield await errorBundle(cfg, e, ctx, started);
      }
    }
  } catch (e) {
    for (; i < cells.length; i++) yield await errorBundle(cells[i]!, e, ctx, jobStart);
  } finally {
    hpOpt?.dispose();
    head?.dispose();
    for (const s of snapshots.values()) tf.dispose(s.weights);
    p.frozen.dispose();
  }
}
