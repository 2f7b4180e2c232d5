/**
 * The strategy and metric catalog both sides share. A strategy's `version` bumps whenever a change
 * to its procedure can move a score; leaderboards never mix versions. Full cards live in
 * docs/strategies/<id>.md.
 */

export const STRATEGY_IDS = ['lp', 'ft', 'lp-ft', 'hp-tau', 'hp-ls', 'hp-mlp', 'hp-zero', 'hp-temp'] as const;
export type StrategyId = (typeof STRATEGY_IDS)[number];

export interface StrategyInfo {
  id: StrategyId;
  version: number;
  title: string;
  /** false for strategies HeadPrep adds beyond Ren et al. (ICLR 2023); the site labels them. */
  in_paper: boolean;
  summary: string;
}

export const STRATEGIES: Record<StrategyId, StrategyInfo> = {
  lp: {
    id: 'lp',
    version: 1,
    title: 'Linear probe',
    in_paper: true,
    summary: 'Head probing to convergence, no finetuning: features never move.',
  },
  ft: {
    id: 'ft',
    version: 1,
    title: 'Finetune from a fresh head',
    in_paper: true,
    summary: 'tau = 0: a randomly initialised head, then all variables finetune (maximal energy).',
  },
  'lp-ft': {
    id: 'lp-ft',
    version: 1,
    title: 'LP-FT',
    in_paper: true,
    summary: 'Probe to convergence (the largest tau of the grid), then finetune (minimal energy).',
  },
  'hp-tau': {
    id: 'hp-tau',
    version: 1,
    title: 'Early-stopped head probing',
    in_paper: true,
    summary: 'Probe for tau epochs from a grid, then finetune; tau* is chosen on validation accuracy, never test.',
  },
  'hp-ls': {
    id: 'hp-ls',
    version: 1,
    title: 'Label-smoothed head probing',
    in_paper: true,
    summary: 'Probe with label smoothing eta so the energy cannot vanish, then finetune.',
  },
  'hp-mlp': {
    id: 'hp-mlp',
    version: 1,
    title: 'MLP head probing',
    in_paper: true,
    summary: 'An MLP head of depth 2-3 during probing (drains energy faster), then finetune.',
  },
  'hp-zero': {
    id: 'hp-zero',
    version: 1,
    title: 'Zero-initialised head',
    in_paper: false,
    summary: 'A head whose weights start at zero (uniform prediction, aie = sqrt(1-1/K)). Not in the paper.',
  },
  'hp-temp': {
    id: 'hp-temp',
    version: 1,
    title: 'Logit temperature',
    in_paper: false,
    summary: 'Probing with logits divided by a temperature T, which tempers the energy. Not in the paper.',
  },
};
