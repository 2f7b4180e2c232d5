import type { Suite } from '../../../contract';

/** CI suite: every strategy once on the synthetic task, seconds in total. Card: docs/suites/tiny.md. */
export const tinySuite: Suite = {
  name: 'tiny',
  version: 1,
  description: 'CI smoke suite: every strategy once on synthetic-linear with few epochs; runs end to end in seconds.',
  defaults: {
    head: { kind: 'linear', depth: 1, width: 0, init: 'default' },
    eta: 0,
    temperature: 1,
    hp: { optimizer: 'momentum', momentum: 0.9, lr: 0.1, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 0, batch_size: 16 },
    ft: { optimizer: 'momentum', momentum: 0.9, lr: 0.05, schedule: 'cosine', lr_min: 1e-6, warmup_epochs: 0, weight_decay: 0, batch_size: 16, epochs: 3 },
    augmentation: { kind: 'none', max_shift: 0 },
    eval_set_size: 200,
  },
  grid: {
    pairs: [{ backbone: 'linear', dataset: 'synthetic-linear' }],
    strategies: [
      { strategy: { id: 'lp', version: 1 }, taus: [8], ft_epochs: 0 },
      { strategy: { id: 'ft', version: 1 }, taus: [0] },
      { strategy: { id: 'lp-ft', version: 1 }, taus: [8] },
      { strategy: { id: 'hp-tau', version: 1 }, taus: [2] },
      { strategy: { id: 'hp-ls', version: 1 }, taus: [8], eta: 0.3 },
      { strategy: { id: 'hp-mlp', version: 1 }, taus: [2], head: { kind: 'mlp', depth: 2, width: 16, init: 'default' } },
      { strategy: { id: 'hp-zero', version: 1 }, taus: [0], head: { kind: 'linear', depth: 1, width: 0, init: 'zero' } },
      { strategy: { id: 'hp-temp', version: 1 }, taus: [8], temperature: 0.5 },
    ],
    seeds: [0],
  },
};
