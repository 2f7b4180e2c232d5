import { z } from 'zod';
import { STRATEGY_IDS } from '../strategy-ids';
import { HEX64_RE, ID_RE } from '../ids';
import { SuiteClaimsSchema } from './claims';

/** Lowercase id: letters, digits, '-', '_', '.'; starts with a letter or digit. */
export const IdSchema = z
  .string()
  .regex(ID_RE, 'expected a lowercase id (a-z, 0-9, . _ -), at most 64 characters')
  .describe('Registry id: lowercase letters, digits, ".", "_" and "-".');

export const Sha256HexSchema = z
  .string()
  .regex(HEX64_RE, 'expected 64 lowercase hex digits (a sha256)')
  .describe('SHA-256 digest as 64 lowercase hex digits.');

export const SuiteRefSchema = z
  .strictObject({
    name: IdSchema.describe('Suite name, e.g. "digits-mlp".'),
    version: z.number().int().min(1).max(2 ** 31 - 1).describe('Suite version; any change that can move a score bumps it.'),
  })
  .describe('Which suite and version a cell belongs to.');

export const BackboneRefSchema = z
  .strictObject({
    id: IdSchema.describe('Backbone registry id.'),
    sha256: Sha256HexSchema.describe('SHA-256 of the backbone weights (the saved model files, see docs).'),
    feature_layer: z.string().min(1).max(128).describe('Name of the layer whose output is the feature z = f(x).'),
  })
  .describe('The pretrained backbone f.');
export type BackboneRef = z.infer<typeof BackboneRefSchema>;

export const DatasetRefSchema = z
  .strictObject({
    id: IdSchema.describe('Dataset registry id.'),
    sha256: Sha256HexSchema.describe('SHA-256 of the dataset files (or of the generator spec for synthetic data).'),
    n_train: z.number().int().min(1).describe('Examples in the downstream train split.'),
    n_val: z.number().int().min(0).describe('Examples in the validation split (model selection, tau*).'),
    n_test: z.number().int().min(1).describe('Examples in the test split.'),
    n_ood_test: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Examples in the out-of-distribution test split (a documented transform of test examples), when the dataset has one.'),
    n_classes: z.number().int().min(2).describe('Number of classes K.'),
  })
  .describe('The downstream dataset and its splits.');
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

export const StrategyRefSchema = z
  .strictObject({
    id: z.enum(STRATEGY_IDS).describe('Strategy id from the catalog.'),
    version: z.number().int().min(1).describe('Strategy version; bumps when its procedure changes.'),
  })
  .describe('The head-preparation strategy.');

export const HeadSchema = z
  .strictObject({
    kind: z.enum(['linear', 'mlp']).describe('Head kind: a linear layer or an MLP.'),
    depth: z.number().int().min(1).max(8).describe('Number of dense layers (1 for linear).'),
    width: z.number().int().min(0).max(65536).describe('Hidden width of an MLP head (0 for linear).'),
    init: z
      .enum(['default', 'pytorch', 'zero'])
      .describe(
        'Weight init: "default" = tfjs Glorot-uniform kernels and zero biases (suites @1); "pytorch" = PyTorch nn.Linear default, kernel and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (the paper\'s code; suites @2); "zero" = all weights 0.',
      ),
  })
  .describe('The task head g.');
export type Head = z.infer<typeof HeadSchema>;

export const OptimizerSchema = z
  .strictObject({
    optimizer: z.enum(['sgd', 'momentum', 'adam']).describe('Optimizer.'),
    momentum: z.number().min(0).max(1).describe('Momentum (0 when unused).'),
    lr: z.number().positive().max(10).describe('Peak learning rate.'),
    schedule: z.enum(['constant', 'cosine']).describe('Learning-rate schedule (cosine anneals to lr_min).'),
    lr_min: z.number().min(0).describe('Final learning rate of a cosine schedule.'),
    warmup_epochs: z.number().min(0).describe('Linear warmup epochs from 0 to lr (0 = none).'),
    weight_decay: z.number().min(0).max(1).describe('Weight decay coefficient (how it applies: weight_decay_mode).'),
    weight_decay_mode: z
      .enum(['decoupled', 'l2'])
      .optional()
      .describe(
        'How weight decay applies: "decoupled" (absent = decoupled; suites @1) subtracts lr * weight_decay * w after the step; "l2" adds weight_decay * w to the gradient before momentum, as PyTorch SGD does (suites @2).',
      ),
    nesterov: z.boolean().optional().describe('Nesterov momentum, as PyTorch SGD(nesterov=True) (absent = false; suites @1).'),
    batch_size: z.number().int().min(1).max(65536).describe('Minibatch size.'),
  });

export const HpSchema = OptimizerSchema.describe('Head-probing optimisation (its length is tau).');
export const FtSchema = OptimizerSchema.extend({
  epochs: z.number().int().min(0).max(10000).describe('Finetuning epochs T (0 = no finetuning, as in lp).'),
})
  .strict()
  .describe('Finetuning optimisation.');

export const AugmentationSchema = z
  .strictObject({
    kind: z.enum(['none', 'shift']).describe('Train-time augmentation: none, or random pixel shifts.'),
    max_shift: z.number().int().min(0).max(16).describe('Largest shift in pixels for "shift" (0 for none).'),
  })
  .describe('Data augmentation during HP and FT (eval data is never augmented).');

export const CellConfigSchema = z
  .strictObject({
    suite: SuiteRefSchema,
    backbone: BackboneRefSchema,
    dataset: DatasetRefSchema,
    strategy: StrategyRefSchema,
    head: HeadSchema,
    tau: z.number().int().min(0).max(10000).describe('Head-probing epochs before finetuning.'),
    eta: z.number().min(0).lt(1).describe('Label smoothing during HP: target (1-eta) e_y + eta/K.'),
    temperature: z.number().positive().max(1000).describe('Logit temperature T during HP (1 = none).'),
    hp: HpSchema,
    ft: FtSchema,
    augmentation: AugmentationSchema,
    eval_set_size: z.number().int().min(1).describe('Examples in the fixed, un-augmented feature-metric eval set.'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).describe('Seed for splits, shuffles and init. Excluded from the fingerprint.'),
  })
  .describe('Everything that defines one cell: backbone x dataset x strategy x seed, every hyper-parameter fixed.');
export type CellConfig = z.infer<typeof CellConfigSchema>;

export const SuiteGridSchema = z
  .strictObject({
    pairs: z
      .array(
        z
          .strictObject({
            backbone: IdSchema.describe('Backbone registry id; the runner resolves its weights and sha256.'),
            dataset: IdSchema.describe('Dataset registry id; the runner resolves its files, splits and sha256.'),
          }),
      )
      .min(1)
      .describe('The (backbone, dataset) cells of the leaderboard.'),
    strategies: z
      .array(
        z
          .strictObject({
            strategy: StrategyRefSchema,
            head: HeadSchema.optional().describe('Head override for this strategy.'),
            taus: z.array(z.number().int().min(0)).min(1).describe('tau values; one cell each.'),
            eta: z.number().min(0).lt(1).optional().describe('Label smoothing override.'),
            temperature: z.number().positive().optional().describe('Temperature override.'),
            ft_epochs: z.number().int().min(0).optional().describe('FT epochs override (0 for lp).'),
            hp_lr: z
              .number()
              .positive()
              .max(10)
              .optional()
              .describe('HP learning-rate override (hp-temp in suites @2: the lr times T^2, so that the temperature changes the energy, not the step size).'),
          }),
      )
      .min(1)
      .describe('Strategies with their parameters.'),
    seeds: z.array(z.number().int().min(0)).min(1).describe('Seeds; one cell each.'),
  });

/** What "converged" means for a suite version (contract/convergence.ts; docs/science.md). Every field optional: absent ones take the defaults there. */
export const ConvergenceTargetsSchema = z
  .strictObject({
    ft_train_acc: z.number().min(0).max(1).optional().describe("ft's train accuracy at its best-validation epoch must reach this (0.97 = 97%)."),
    ft_seed_share: z.number().min(0).max(1).optional().describe('...in at least this share of seeds.'),
    best_epoch_fraction: z.number().min(0).max(1).optional().describe('The best-validation epoch at or before this fraction of the FT epochs...'),
    best_epoch_cell_share: z.number().min(0).max(1).optional().describe('...in at least this share of FT cells.'),
    last_quarter_gain: z.number().min(0).max(1).optional().describe('Mean validation gain over the last quarter of FT below this (0.003 = 0.3 pp).'),
    probe_move: z.number().min(0).max(1).optional().describe('HP train accuracy at the largest tau L minus at L/2 below this in every seed (0.005 = 0.5 pp).'),
    interior_taus: z.number().int().min(0).optional().describe('At least this many hp-tau values strictly between 0 and L...'),
    interior_ratio: z.number().min(1).optional().describe('...each at most this many times the previous one.'),
  })
  .describe('Convergence targets of the suite version, checked by `headprep report` and the tests on its reference run.');
export type ConvergenceTargetsSpec = z.infer<typeof ConvergenceTargetsSchema>;

export const SuiteSchema = z
  .strictObject({
    name: IdSchema.describe('Suite name.'),
    version: z.number().int().min(1).describe('Suite version.'),
    description: z.string().min(1).max(2000).describe('What the suite measures, in a sentence or two.'),
    defaults: CellConfigSchema.omit({ suite: true, backbone: true, dataset: true, strategy: true, seed: true, tau: true })
      .describe('Hyper-parameters every cell shares unless a strategy overrides them.'),
    grid: SuiteGridSchema.describe('The grid that expands into cells.'),
    claims: SuiteClaimsSchema.optional().describe(
      'Pre-registered claims: which variants each claim compares. Absent: the default derived from the grid (docs/science.md, "Claims").',
    ),
    convergence: ConvergenceTargetsSchema.optional().describe('What converged means for this version (absent: the defaults of contract/convergence.ts).'),
  })
  .describe('A named, versioned grid of backbones x datasets x strategies x seeds.');
export type Suite = z.infer<typeof SuiteSchema>;
