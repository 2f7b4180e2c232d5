import { z } from 'zod';
import { CellConfigSchema, Sha256HexSchema, SuiteRefSchema } from './config';

// zod 4's z.number() rejects NaN and +-Infinity: a metric that overflowed fails the schema.
const fraction = (what: string) => z.number().min(0).max(1).describe(what);
const nonneg = (what: string) => z.number().min(0).describe(what);

export const BUNDLE_SCHEMA_VERSION = 1 as const;

export const EnergySchema = z
  .strictObject({
    aie: z.number().min(0).max(Math.SQRT2 + 1e-6).describe('Average initial energy: mean over DS-train of ||e_y - p_0(x)||_2 (hard one-hot labels), at the start of FT.'),
    aie_q25: z.number().min(0).max(Math.SQRT2 + 1e-6).describe('25th percentile of the per-example initial energy.'),
    aie_median: z.number().min(0).max(Math.SQRT2 + 1e-6).describe('Median per-example initial energy.'),
    aie_q75: z.number().min(0).max(Math.SQRT2 + 1e-6).describe('75th percentile of the per-example initial energy.'),
    hp_train_acc: fraction('Accuracy of the prepared head over the full DS-train (no augmentation), in [0,1].'),
    hp_train_loss: nonneg('Mean cross-entropy of the prepared head over the full DS-train (hard labels, no smoothing), nats.'),
    head_norm: nonneg('Frobenius norm of all head weights (kernels and biases) at the start of FT.'),
    lp_test_acc: fraction('Test accuracy of the prepared head on frozen features (before FT), in [0,1].'),
    feat_norm_ref: nonneg('Mean ||z_0||_2 over the eval set at the start of FT.'),
    hp_cached_features: z.boolean().describe('True when HP ran on cached backbone features (no augmentation).'),
  })
  .describe('The "energy" at the start of finetuning (docs/science.md step 4).');
export type Energy = z.infer<typeof EnergySchema>;

export const EpochRowSchema = z
  .strictObject({
    epoch: z.number().int().min(0).describe('FT epoch; 0 is the state after HP, before any FT step.'),
    train_loss: nonneg('Mean train cross-entropy over the whole epoch (epoch 0: over DS-train at the start), nats.'),
    train_acc: fraction('Mean train accuracy over the whole epoch, in [0,1].'),
    val_loss: nonneg('Validation cross-entropy, nats (0 when there is no validation split).'),
    val_acc: fraction('Validation accuracy, in [0,1].'),
    test_loss: nonneg('Test cross-entropy, nats.'),
    test_acc: fraction('Test accuracy, in [0,1].'),
    energy: z.number().min(0).max(Math.SQRT2 + 1e-6).describe('Remaining train energy: mean ||e_y - p_t(x)||_2 over DS-train.'),
    head_grad_norm: nonneg('Mean L2 norm of the head gradient over the epoch\'s steps (0 at epoch 0).'),
    feat_l2_dist: nonneg('Mean ||z_t - z_0||_2 over the eval set.'),
    feat_cos_sim: z.number().min(-1 - 1e-6).max(1 + 1e-6).describe('Mean cos(z_t, z_0) over the eval set.'),
    feat_cos_dist: z.number().min(-1e-6).max(2 + 1e-6).describe('Mean 1 - cos(z_t, z_0) over the eval set.'),
    feat_dot: z.number().describe('Mean <z_t, z_0> over the eval set.'),
    feat_norm: nonneg('Mean ||z_t||_2 over the eval set.'),
  })
  .describe('Metrics at the end of one FT epoch (docs/science.md step 6).');
export type EpochRow = z.infer<typeof EpochRowSchema>;

export const SummarySchema = z
  .strictObject({
    test_acc: fraction('Test accuracy at the best-validation epoch: the headline number, in [0,1].'),
    best_val_acc: fraction('Best validation accuracy over FT epochs, in [0,1].'),
    best_epoch: z.number().int().min(0).describe('Epoch of the best validation accuracy (earliest on ties).'),
    last_test_acc: fraction('Test accuracy at the last epoch, in [0,1].'),
    lp_test_acc: fraction('Test accuracy after HP, before FT, in [0,1].'),
    ood_test_acc: fraction(
      'Out-of-distribution test accuracy at the best-validation epoch, in [0,1]; present when the dataset has an OOD split (digits-transfer@2: the test digits rotated by 30 degrees).',
    ).optional(),
    lp_ood_test_acc: fraction('OOD test accuracy after HP, before FT, in [0,1]; present with ood_test_acc.').optional(),
    wall_time_s: nonneg('Wall-clock seconds for the whole cell.'),
    samples_per_sec: nonneg('FT training throughput, examples per second (HP throughput when there is no FT).'),
    peak_memory_mb: nonneg('Peak resident memory of the runner process during the cell, MiB.'),
  })
  .describe('Headline numbers of the cell (docs/science.md step 7).');
export type Summary = z.infer<typeof SummarySchema>;

export const EnvironmentSchema = z
  .strictObject({
    runner_version: z.string().min(1).max(64).describe('headprep runner version.'),
    git_sha: z.string().max(64).nullable().describe('Git commit of the runner, when run from a checkout.'),
    tfjs_version: z.string().min(1).max(64).describe('@tensorflow/tfjs-core version.'),
    backend: z.enum(['tensorflow', 'wasm', 'cpu', 'webgpu', 'webgl']).describe('tfjs backend that ran the cell.'),
    node: z.string().min(1).max(64).describe('Node.js version.'),
    os: z.string().min(1).max(128).describe('Operating system and architecture.'),
    cpu: z.string().min(1).max(256).describe('CPU model and core count.'),
    gpu: z.string().max(256).nullable().describe('GPU model when a GPU backend ran the cell, else null.'),
    gpu_adapter: z
      .strictObject({
        vendor: z.string().max(128).describe('Adapter vendor as WebGPU reports it (e.g. "nvidia"; may be empty).'),
        architecture: z.string().max(128).describe('Adapter architecture (e.g. "ampere"; may be empty).'),
        device: z.string().max(256).describe('Adapter device name (e.g. "NVIDIA H100 80GB HBM3", "llvmpipe (LLVM 15.0.6, 256 bits)").'),
        description: z.string().max(256).describe('Adapter description: driver and version where the platform reports them.'),
        api: z.string().min(1).max(32).describe('Native API Dawn ran on: vulkan, metal, d3d12 or opengl.'),
        feature_level: z.enum(['core', 'compatibility']).describe('WebGPU feature level of the adapter (compatibility: OpenGL ES).'),
        software: z.boolean().describe('True for a CPU rasteriser (llvmpipe, lavapipe, SwiftShader): correct numbers, CPU speed.'),
      })
      .optional()
      .describe('The WebGPU adapter when the webgpu backend ran the cell; absent otherwise.'),
  })
  .describe('Where and with what the cell ran.');
export type Environment = z.infer<typeof EnvironmentSchema>;

const seconds = (what: string) => z.number().min(0).describe(`${what}, seconds.`);

export const TimingSchema = z
  .strictObject({
    data_s: seconds('Loading and splitting the dataset and checking the backbone (shared by the cells of a probe group)'),
    features_s: seconds('Instantiating the frozen backbone and caching its features of every split (shared by the probe group)'),
    hp_s: seconds('Head probing from the start up to this cell\'s tau (shared by the probe group up to that tau)'),
    ft_train_s: seconds('Finetuning training steps (forward, backward, optimiser update) over all FT epochs'),
    eval_s: seconds(
      'Evaluation: the initial energy, and after every FT epoch the forward passes over train, val, test (and OOD when validation improved) with their losses and accuracies',
    ),
    feature_metrics_s: seconds('Feature-change metrics on the eval set (epoch 0 and every FT epoch)'),
    other_s: seconds('The rest of the cell\'s wall time: building the head and optimiser, instantiating the backbone for FT'),
    eval_worker_s: seconds(
      'Present when the FT-epoch evaluations ran in a worker thread overlapped with training: the worker\'s time on them (evaluation and feature metrics; not part of the wall time, whose eval_s is then the training thread\'s hand-off and wait)',
    ).optional(),
  })
  .describe(
    'Where the cell\'s wall time went (the phases sum to summary.wall_time_s). Writing and signing the bundle happen after it is built and are not included. Diagnostics only: never compared by reproduce, never part of the fingerprint.',
  );
export type Timing = z.infer<typeof TimingSchema>;

const iso = z.iso.datetime({ offset: true }).describe('ISO 8601 timestamp.');

export const ResultBundleSchema = z
  .strictObject({
    schema_version: z.literal(BUNDLE_SCHEMA_VERSION).describe('ResultBundle schema version.'),
    suite: SuiteRefSchema,
    config: CellConfigSchema,
    fingerprint: Sha256HexSchema.describe('Protocol fingerprint of config (RFC 8785 JCS, seed excluded).'),
    energy: EnergySchema.nullable().describe('Initial energy; null only when the cell failed before FT began.'),
    epochs: z.array(EpochRowSchema).max(10001).describe('One row per FT epoch, starting with epoch 0.'),
    summary: SummarySchema.nullable().describe('Headline numbers; null only when status is "error".'),
    environment: EnvironmentSchema,
    timing: TimingSchema.optional().describe('Per-phase wall time of the cell (absent in error bundles and in bundles of older runners).'),
    status: z.enum(['ok', 'error']).describe('"ok" when the cell finished; "error" when it failed (error_message says why).'),
    error_message: z.string().max(4000).optional().describe('Why the cell failed (status "error" only).'),
    started_at: iso,
    finished_at: iso,
  })
  .superRefine((b, ctx) => {
    if (b.suite.name !== b.config.suite.name || b.suite.version !== b.config.suite.version)
      ctx.addIssue({ code: 'custom', path: ['suite'], message: 'suite must equal config.suite' });
    if (b.status === 'ok') {
      if (b.energy === null) ctx.addIssue({ code: 'custom', path: ['energy'], message: 'required when status is "ok"' });
      if (b.summary === null) ctx.addIssue({ code: 'custom', path: ['summary'], message: 'required when status is "ok"' });
      if (b.epochs.length !== b.config.ft.epochs + 1)
        ctx.addIssue({
          code: 'custom',
          path: ['epochs'],
          message: `expected ${b.config.ft.epochs + 1} rows (epoch 0 to config.ft.epochs), got ${b.epochs.length}`,
        });
      if (b.error_message !== undefined)
        ctx.addIssue({ code: 'custom', path: ['error_message'], message: 'only allowed when status is "error"' });
    } else if (!b.error_message) {
      ctx.addIssue({ code: 'custom', path: ['error_message'], message: 'required when status is "error"' });
    }
    b.epochs.forEach((row, i) => {
      if (row.epoch !== i) ctx.addIssue({ code: 'custom', path: ['epochs', i, 'epoch'], message: `expected epoch ${i}` });
    });
    if (b.summary && b.epochs.length > 0 && b.summary.best_epoch >= b.epochs.length)
      ctx.addIssue({ code: 'custom', path: ['summary', 'best_epoch'], message: 'must name an epoch present in epochs' });
    if (Date.parse(b.finished_at) < Date.parse(b.started_at))
      ctx.addIssue({ code: 'custom', path: ['finished_at'], message: 'must not be before started_at' });
  })
  .describe('ResultBundle v1: the record of one cell run.');
export type ResultBundle = z.infer<typeof ResultBundleSchema>;
