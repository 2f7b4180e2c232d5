/**
 * The strategy catalog, one definition per strategy that every side reads: its catalog facts (id,
 * version, title, in_paper, summary), its colour on the site, its config rule (what a cell labelled
 * with it must look like; `headprep run` plans and the contract tests check every cell with it) and
 * its variant label. A strategy's `version` bumps whenever a change to its procedure can move a
 * score; leaderboards never mix versions. Its card is docs/strategies/<id>.md.
 */
import type { CellConfig } from './schemas/config';
import { STRATEGY_IDS, type StrategyId } from './strategy-ids';

export { STRATEGY_IDS, type StrategyId } from './strategy-ids';

export interface StrategyInfo {
  id: StrategyId;
  version: number;
  title: string;
  /** false for strategies HeadPrep adds beyond Ren et al. (ICLR 2023); the site labels them. */
  in_paper: boolean;
  summary: string;
  /** Stable colour (the same on every chart and page); readable on light and dark. */
  color: string;
  /** Problems with a cell labelled with this strategy, beyond its version (empty when it is well-formed). */
  rule(cell: CellConfig): string[];
  /** The strategy's own knob of a variant as a short label (`η 0.3`, `T 2`), or null when it has none. */
  variant(v: VariantKnobs): string | null;
}

/** The knobs a variant label can show. */
export interface VariantKnobs {
  eta: number;
  temperature: number;
}

const when = (ok: boolean, problem: string) => (ok ? [] : [problem]);
const finetunes = (id: StrategyId, c: CellConfig) => when(c.ft.epochs > 0, `${id} needs ft.epochs > 0`);
const plainHead = (c: CellConfig) =>
  when(c.head.kind === 'linear' && (c.head.init === 'default' || c.head.init === 'pytorch'), 'expects a linear head with a random (default or pytorch) init');
const noTricks = (c: CellConfig) => [...when(c.eta === 0, 'expects eta = 0 (no label smoothing)'), ...when(c.temperature === 1, 'expects temperature = 1')];
const noVariant = () => null;

export const STRATEGIES: Record<StrategyId, StrategyInfo> = {
  lp: {
    id: 'lp',
    version: 1,
    title: 'Linear probe',
    in_paper: true,
    summary: 'Head probing to convergence, no finetuning: features never move.',
    color: '#7c5cff',
    rule: (c) => [...when(c.ft.epochs === 0, 'lp has no finetuning: ft.epochs must be 0'), ...when(c.tau > 0, 'lp probes: tau must be > 0'), ...plainHead(c), ...noTricks(c)],
    variant: noVariant,
  },
  ft: {
    id: 'ft',
    version: 1,
    title: 'Finetune from a fresh head',
    in_paper: true,
    summary: 'tau = 0: a randomly initialised head, then all variables finetune (maximal energy).',
    color: '#e0493c',
    rule: (c) => [...when(c.tau === 0, 'ft starts from a fresh head: tau must be 0'), ...finetunes('ft', c), ...plainHead(c), ...noTricks(c)],
    variant: noVariant,
  },
  'lp-ft': {
    id: 'lp-ft',
    version: 1,
    title: 'LP-FT',
    in_paper: true,
    summary: 'Probe to convergence (the largest tau of the grid), then finetune (minimal energy).',
    color: '#1f9d55',
    rule: (c) => [...when(c.tau > 0, 'lp-ft probes to convergence: tau must be > 0'), ...finetunes('lp-ft', c), ...plainHead(c), ...noTricks(c)],
    variant: noVariant,
  },
  'hp-tau': {
    id: 'hp-tau',
    version: 1,
    title: 'Early-stopped head probing',
    in_paper: true,
    summary: 'Probe for tau epochs from a grid, then finetune; tau* is chosen on validation accuracy, never test.',
    color: '#2f7ee6',
    rule: (c) => [...finetunes('hp-tau', c), ...plainHead(c), ...noTricks(c)],
    variant: noVariant,
  },
  'hp-ls': {
    id: 'hp-ls',
    version: 1,
    title: 'Label-smoothed head probing',
    in_paper: true,
    summary: 'Probe with label smoothing eta so the energy cannot vanish, then finetune.',
    color: '#d98b00',
    rule: (c) => [...when(c.eta > 0, 'hp-ls needs eta > 0'), ...finetunes('hp-ls', c)],
    variant: (v) => `η ${v.eta}`,
  },
  'hp-mlp': {
    id: 'hp-mlp',
    version: 1,
    title: 'MLP head probing',
    in_paper: true,
    summary: 'An MLP head of depth 2-3 during probing (drains energy faster), then finetune.',
    color: '#c2418f',
    rule: (c) => [...when(c.head.kind === 'mlp' && c.head.depth >= 2, 'hp-mlp needs an mlp head of depth >= 2'), ...finetunes('hp-mlp', c)],
    variant: noVariant,
  },
  'hp-zero': {
    id: 'hp-zero',
    version: 1,
    title: 'Zero-initialised head',
    in_paper: false,
    summary: 'A head whose weights start at zero (uniform prediction, aie = sqrt(1-1/K)). Not in the paper.',
    color: '#12a3a3',
    rule: (c) => [...when(c.head.init === 'zero', 'hp-zero needs head.init "zero"'), ...when(c.head.kind === 'linear', 'hp-zero uses a linear head (a zero MLP cannot learn)')],
    variant: noVariant,
  },
  'hp-temp': {
    id: 'hp-temp',
    version: 1,
    title: 'Logit temperature',
    in_paper: false,
    summary: 'Probing with logits divided by a temperature T, which tempers the energy. Not in the paper.',
    color: '#8a8f98',
    rule: (c) => [...when(c.temperature !== 1, 'hp-temp needs temperature != 1'), ...finetunes('hp-temp', c)],
    variant: (v) => `T ${v.temperature}`,
  },
};

/** The colour of strategies the catalog does not know (the same grey as hp-temp). */
const UNKNOWN_COLOR = '#8a8f98';

/** The catalog entry of an id, or undefined for an id from outside the catalog (e.g. old stored data). */
function lookup(id: string): StrategyInfo | undefined {
  return (STRATEGIES as Record<string, StrategyInfo | undefined>)[id];
}

/** Problems with a cell config against its strategy: the strategy's version, then its rule (empty when well-formed). */
export function strategyProblems(cell: CellConfig): string[] {
  const { id, version } = cell.strategy;
  const s = STRATEGIES[id];
  return [...when(version === s.version, `strategy ${id} is at version ${s.version}, cell says ${version}`), ...s.rule(cell)];
}

export function strategyColor(id: string): string {
  return lookup(id)?.color ?? UNKNOWN_COLOR;
}

/** The variant label of a row (`η 0.3` for hp-ls, `T 2` for hp-temp), or null. */
export function variantLabel(row: VariantKnobs & { strategy: string }): string | null {
  return lookup(row.strategy)?.variant(row) ?? null;
}

export function strategyInfo(id: string): { title: string; in_paper: boolean } {
  const info = lookup(id);
  return info ? { title: info.title, in_paper: info.in_paper } : { title: id, in_paper: false };
}

/** Catalog order (lp, ft, lp-ft, hp-tau, ...), unknown ids last. */
export function strategyOrder(a: string, b: string): number {
  const ia = (STRATEGY_IDS as readonly string[]).indexOf(a);
  const ib = (STRATEGY_IDS as readonly string[]).indexOf(b);
  return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
}
