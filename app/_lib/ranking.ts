/**
 * The site's side of the ranking: the statistics themselves live in contract/ranking/ (shared
 * with `headprep report`); this module adds what only pages need (stable strategy colours).
 */
import type { StrategyId } from '../../contract';

export { strategyInfo, type CellRanking, type OverallRanking, type OverallRow, type RankedStrategy } from '../../contract';

/** Stable colors per strategy (the same on every chart and page); readable on light and dark. */
export const STRATEGY_COLORS: Record<StrategyId, string> = {
  lp: '#7c5cff',
  ft: '#e0493c',
  'lp-ft': '#1f9d55',
  'hp-tau': '#2f7ee6',
  'hp-ls': '#d98b00',
  'hp-mlp': '#c2418f',
  'hp-zero': '#12a3a3',
  'hp-temp': '#8a8f98',
};

export function strategyColor(id: string): string {
  return (STRATEGY_COLORS as Record<string, string | undefined>)[id] ?? '#8a8f98';
}
