/**
 * The strategy ids alone, for the schemas (contract/schemas/*) that name a strategy: a leaf module,
 * so that contract/catalog.ts can check a cell config against its strategy without an import circle.
 * Everything else about a strategy lives in contract/catalog.ts.
 */
export const STRATEGY_IDS = ['lp', 'ft', 'lp-ft', 'hp-tau', 'hp-ls', 'hp-mlp', 'hp-zero', 'hp-temp'] as const;
export type StrategyId = (typeof STRATEGY_IDS)[number];
