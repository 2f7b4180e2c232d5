import type { Suite } from '../../../contract';

/** The paper's overparameterised linear setting: card docs/suites/synthetic-linear.md. */
export const SYNTHETIC_TAUS = [0, 1, 2, 4, 8, 16, 32, 64];

export const syntheticLinearSuite: Suite = {
  name: 'synthetic-linear',
  version: 1,
  description:
    'Overparameterised linear setting (Gaussian inputs, linear teacher, linear backbone, softmax head): the full tau sweep plus every other strategy, 5 seeds.',
  defaults: {
    head: { kind: 'linear', depth: 1, width: 0, init: 'default' },
    eta: 0,
    temperature: 1,
    hp: { optimizer: 'momentum', momentum: 0.9, lr: 0.1, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 0, batch_size: 16 },
    ft: { optimizer: 'momentum', momentum: 0.9, lr: 0.05, schedule: 'cosine', lr_min: 1e-6, warmup_epochs: 0, weight_decay: 0, batch_size: 16, epochs: 10 },
    augmentation: { kind: 'none', max_shift: 0 },
    eval_set_size: 500,
  },
  grid: {
    pairs: [{ backbone: 'linear', dataset: 'synthetic-linear' }],
    strategies: [
      { strategy: { id: 'lp', version: 1 }, taus: [64], ft_epochs: 0 },
      { strategy: { id: 'ft', version: 1 }, taus: [0] },
      { strategy: { id: 'lp-ft', version: 1 }, taus: [64] },
      { strategy: { id: 'hp-tau', version: 1 }, taus: SYNTHETIC_TAUS },
      { strategy: { id: 'hp-ls', version: 1 }, taus: [64], eta: 0.3 },
      { strategy: { id: 'hp-mlp', version: 1 }, taus: [4], head: { kind: 'mlp', depth: 2, width: 32, init: 'default' } },
      { strategy: { id: 'hp-zero', version: 1 }, taus: [0], head: { kind: 'linear', depth: 1, width: 0, init: 'zero' } },
      { strategy: { id: 'hp-temp', version: 1 }, taus: [64], temperature: 0.5 },
    ],
    seeds: [0, 1, 2, 3, 4],
  },
};
