/**
 * The strategies of docs/science.md as checks on a cell: each strategy states what its cells must look
 * like (docs/strategies/<id>.md has the card). planCells and the contract test run these checks on
 * every expanded cell, so a suite cannot mislabel a cell.
 */
import { STRATEGIES, STRATEGY_IDS, type CellConfig, type StrategyId } from '../../contract';

export interface StrategyDef {
  id: StrategyId;
  version: number;
  title: string;
  in_paper: boolean;
  /** Problems with a cell labelled with this strategy (empty when it is well-formed). */
  check(cell: CellConfig): string[];
}

const plainHead = (c: CellConfig) =>
  c.head.kind === 'linear' && (c.head.init === 'default' || c.head.init === 'pytorch') ? [] : ['expects a linear head with a random (default or pytorch) init'];
const noTricks = (c: CellConfig) => [
  ...(c.eta === 0 ? [] : ['expects eta = 0 (no label smoothing)']),
  ...(c.temperature === 1 ? [] : ['expects temperature = 1']),
];

const CHECKS: Record<StrategyId, (c: CellConfig) => string[]> = {
  lp: (c) => [...(c.ft.epochs === 0 ? [] : ['lp has no finetuning: ft.epochs must be 0']), ...(c.tau > 0 ? [] : ['lp probes: tau must be > 0']), ...plainHead(c), ...noTricks(c)],
  ft: (c) => [...(c.tau === 0 ? [] : ['ft starts from a fresh head: tau must be 0']), ...(c.ft.epochs > 0 ? [] : ['ft needs ft.epochs > 0']), ...plainHead(c), ...noTricks(c)],
  'lp-ft': (c) => [...(c.tau > 0 ? [] : ['lp-ft probes to convergence: tau must be > 0']), ...(c.ft.epochs > 0 ? [] : ['lp-ft needs ft.epochs > 0']), ...plainHead(c), ...noTricks(c)],
  'hp-tau': (c) => [...(c.ft.epochs > 0 ? [] : ['hp-tau needs ft.epochs > 0']), ...plainHead(c), ...noTricks(c)],
  'hp-ls': (c) => [...(c.eta > 0 ? [] : ['hp-ls needs eta > 0']), ...(c.ft.epochs > 0 ? [] : ['hp-ls needs ft.epochs > 0'])],
  'hp-mlp': (c) => [...(c.head.kind === 'mlp' && c.head.depth >= 2 ? [] : ['hp-mlp needs an mlp head of depth >= 2']), ...(c.ft.epochs > 0 ? [] : ['hp-mlp needs ft.epochs > 0'])],
  'hp-zero': (c) => [...(c.head.init === 'zero' ? [] : ['hp-zero needs head.init "zero"']), ...(c.head.kind === 'linear' ? [] : ['hp-zero uses a linear head (a zero MLP cannot learn)'])],
  'hp-temp': (c) => [...(c.temperature !== 1 ? [] : ['hp-temp needs temperature != 1']), ...(c.ft.epochs > 0 ? [] : ['hp-temp needs ft.epochs > 0'])],
};

export const STRATEGY_DEFS: StrategyDef[] = STRATEGY_IDS.map((id) => ({
  id,
  version: STRATEGIES[id].version,
  title: STRATEGIES[id].title,
  in_paper: STRATEGIES[id].in_paper,
  check: (c: CellConfig) => [
    ...(c.strategy.version === STRATEGIES[id].version ? [] : [`strategy ${id} is at version ${STRATEGIES[id].version}, cell says ${c.strategy.version}`]),
    ...CHECKS[id](c),
  ],
}));

export function getStrategy(id: StrategyId): StrategyDef {
  return STRATEGY_DEFS.find((s) => s.id === id)!;
}
