/**
 * The evaluation after each FT epoch (docs/science.md step 6): forward passes of the finetuned
 * backbone over train, val and test, the head's losses, accuracies and remaining train energy,
 * the feature-change metrics on the eval set, and the OOD accuracy whenever validation improves
 * (the earliest-best rule of summarize). One class for both places it runs: in the training thread
 * (inline) or in an evaluation worker thread that overlaps it with the next epoch's training
 * (runner/run/eval-worker.ts). Same code, same inputs, same single-threaded kernels: the same bits.
 */
import type { EpochRow } from '../../contract';
import type { Split } from '../datasets/types';
import { PhaseClock } from '../lib/phase-clock';
import { classifierStats } from '../measure/energy';
import { featureMetrics } from '../measure/features';
import { inferAll } from '../train/data';
import type { tf } from '../train/tf';

/** Everything evaluation reads besides the models: plain data (structured-cloneable). */
export interface EvalData {
  featDim: number;
  /** Number of classes. */
  k: number;
  /** Eval-set size: the head of the test split. */
  evalN: number;
  inputShape: number[];
  train: Split;
  val: Split;
  test: Split;
  ood: Split | null;
  /** Frozen features of the test split (z_0 of the feature metrics). */
  zTest0: Float32Array;
}

export type EvalPhase = 'eval' | 'feature_metrics';

export function headLogits(head: tf.LayersModel, z: Float32Array, n: number, h: number): Promise<Float32Array> {
  return inferAll(head, z, n, [h]);
}

/** One epoch row from features of train/val/test under the current head. */
export async function statsRow(
  epoch: number,
  d: EvalData,
  head: tf.LayersModel,
  zTrain: Float32Array,
  zVal: Float32Array,
  zTest: Float32Array,
  train: { loss: number; acc: number } | null,
  headGradNorm: number,
  clock: { time<T>(phase: EvalPhase, fn: () => T): T; timeAsync<T>(phase: EvalPhase, fn: () => Promise<T>): Promise<T> },
): Promise<EpochRow> {
  const { featDim: h, k, evalN } = d;
  const [tr, va, te] = await clock.timeAsync('eval', async () => [
    classifierStats(await headLogits(head, zTrain, d.train.n, h), d.train.y, k),
    classifierStats(await headLogits(head, zVal, d.val.n, h), d.val.y, k),
    classifierStats(await headLogits(head, zTest, d.test.n, h), d.test.y, k),
  ]);
  const fm = clock.time('feature_metrics', () => featureMetrics(zTest.subarray(0, evalN * h), d.zTest0.subarray(0, evalN * h), evalN, h));
  return {
    epoch,
    train_loss: train ? train.loss : tr.loss,
    train_acc: train ? train.acc : tr.acc,
    val_loss: va.loss,
    val_acc: va.acc,
    test_loss: te.loss,
    test_acc: te.acc,
    energy: tr.energy,
    head_grad_norm: headGradNorm,
    feat_l2_dist: fm.feat_l2_dist,
    feat_cos_sim: fm.feat_cos_sim,
    feat_cos_dist: fm.feat_cos_dist,
    feat_dot: fm.feat_dot,
    feat_norm: fm.feat_norm,
  };
}

/** What one FT epoch hands to evaluation besides the models. */
export interface EpochTrainStats {
  epoch: number;
  loss: number;
  acc: number;
  headGradNorm: number;
  isLast: boolean;
}

/** The FT-epoch evaluations of one cell, in order, with the best-validation / OOD bookkeeping. */
export class EpochEvaluator {
  readonly rows: EpochRow[] = [];
  readonly clock = new PhaseClock<EvalPhase>();
  private bestVal: number;

  constructor(
    private readonly d: EvalData,
    /** Validation accuracy of the epoch-0 row. */
    bestVal0: number,
    /** OOD accuracy at the best-validation epoch so far (the LP OOD accuracy at epoch 0; null without OOD). */
    public oodAtBest: number | null,
  ) {
    this.bestVal = bestVal0;
  }

  /** Evaluates the models after FT epoch `s.epoch` (0-based) and records the row. */
  async evaluate(backbone: tf.LayersModel, head: tf.LayersModel, s: EpochTrainStats): Promise<EpochRow> {
    const d = this.d;
    const [zTr, zVa, zTe] = await this.clock.timeAsync('eval', async () => [
      await inferAll(backbone, d.train.x, d.train.n, d.inputShape),
      await inferAll(backbone, d.val.x, d.val.n, d.inputShape),
      await inferAll(backbone, d.test.x, d.test.n, d.inputShape),
    ]);
    const row = await statsRow(s.epoch + 1, d, head, zTr, zVa, zTe, { loss: s.loss, acc: s.acc }, s.headGradNorm, this.clock);
    this.rows.push(row);
    const improved = d.val.n === 0 ? s.isLast : row.val_acc > this.bestVal;
    if (improved) this.bestVal = row.val_acc;
    if (d.ood && improved) {
      const ood = d.ood;
      this.oodAtBest = await this.clock.timeAsync(
        'eval',
        async () => classifierStats(await headLogits(head, await inferAll(backbone, ood.x, ood.n, d.inputShape), ood.n, d.featDim), ood.y, d.k).acc,
      );
    }
    return row;
  }
}
