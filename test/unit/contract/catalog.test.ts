/**
 * contract/catalog.ts is the one definition of a strategy: catalog facts, colour, config rule and
 * variant label, plus its card docs/strategies/<id>.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRATEGIES, STRATEGY_IDS, strategyColor, strategyInfo, strategyOrder, strategyProblems, variantLabel, type CellConfig, type StrategyId } from '../../../contract';
import { makeConfig } from '../../fixtures/bundle';

/** A well-formed cell of each strategy: the hp-tau fixture with the strategy's knob turned. */
const WELL_FORMED: Record<StrategyId, Partial<CellConfig>> = {
  lp: { tau: 4, ft: { ...makeConfig().ft, epochs: 0 } },
  ft: { tau: 0 },
  'lp-ft': { tau: 8 },
  'hp-tau': { tau: 2 },
  'hp-ls': { eta: 0.3 },
  'hp-mlp': { head: { kind: 'mlp', depth: 2, width: 64, init: 'default' } },
  'hp-zero': { head: { kind: 'linear', depth: 1, width: 0, init: 'zero' } },
  'hp-temp': { temperature: 2 },
};

const cellOf = (id: StrategyId, overrides: Partial<CellConfig> = {}) => makeConfig({ strategy: { id, version: 1 }, ...WELL_FORMED[id], ...overrides });

describe('strategy catalog', () => {
  it('every strategy id has an entry with all its fields and a card docs/strategies/<id>.md naming it and its version', () => {
    expect(Object.keys(STRATEGIES).sort()).toEqual([...STRATEGY_IDS].sort());
    for (const id of STRATEGY_IDS) {
      const s = STRATEGIES[id];
      expect(s.id).toBe(id);
      expect(Number.isInteger(s.version) && s.version >= 1).toBe(true);
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.summary.length).toBeGreaterThan(0);
      expect(typeof s.in_paper).toBe('boolean');
      expect(s.color).toMatch(/^#[0-9a-f]{6}$/);
      expect(typeof s.rule).toBe('function');
      expect(typeof s.variant).toBe('function');
      const card = join(process.cwd(), 'docs', 'strategies', `${id}.md`);
      expect(existsSync(card), `docs/strategies/${id}.md`).toBe(true);
      expect(readFileSync(card, 'utf8').split('\n')[0]).toMatch(new RegExp(`^# Strategy \`${id}\` .*\\(v${s.version}\\)$`));
    }
  });

  it('keeps each strategy colour (the same on every chart and page) and greys unknown ids', () => {
    expect(Object.fromEntries(STRATEGY_IDS.map((id) => [id, strategyColor(id)]))).toEqual({
      lp: '#7c5cff',
      ft: '#e0493c',
      'lp-ft': '#1f9d55',
      'hp-tau': '#2f7ee6',
      'hp-ls': '#d98b00',
      'hp-mlp': '#c2418f',
      'hp-zero': '#12a3a3',
      'hp-temp': '#8a8f98',
    });
    expect(strategyColor('hp-unknown')).toBe('#8a8f98');
  });

  it('accepts a well-formed cell of every strategy', () => {
    for (const id of STRATEGY_IDS) expect(strategyProblems(cellOf(id)), id).toEqual([]);
  });

  it('names what is wrong with a mislabelled cell', () => {
    expect(strategyProblems(cellOf('ft', { tau: 3 }))).toEqual(['ft starts from a fresh head: tau must be 0']);
    expect(strategyProblems(cellOf('lp', { ft: makeConfig().ft, eta: 0.1 }))).toEqual(['lp has no finetuning: ft.epochs must be 0', 'expects eta = 0 (no label smoothing)']);
    expect(strategyProblems(cellOf('hp-ls', { eta: 0 }))).toEqual(['hp-ls needs eta > 0']);
    expect(strategyProblems(cellOf('hp-temp', { temperature: 1 }))).toEqual(['hp-temp needs temperature != 1']);
    expect(strategyProblems(cellOf('hp-mlp', { head: makeConfig().head }))).toEqual(['hp-mlp needs an mlp head of depth >= 2']);
    expect(strategyProblems(cellOf('hp-zero', { head: { kind: 'mlp', depth: 2, width: 8, init: 'zero' } }))).toEqual(['hp-zero uses a linear head (a zero MLP cannot learn)']);
    expect(strategyProblems(cellOf('hp-tau', { head: { kind: 'linear', depth: 1, width: 0, init: 'zero' } }))).toEqual([
      'expects a linear head with a random (default or pytorch) init',
    ]);
    expect(strategyProblems(cellOf('lp-ft', { strategy: { id: 'lp-ft', version: 2 } }))).toEqual(['strategy lp-ft is at version 1, cell says 2']);
  });

  it('labels a variant by its own knob only', () => {
    const knobs = { eta: 0.3, temperature: 2 };
    expect(variantLabel({ strategy: 'hp-ls', ...knobs })).toBe('η 0.3');
    expect(variantLabel({ strategy: 'hp-temp', ...knobs })).toBe('T 2');
    for (const id of STRATEGY_IDS.filter((s) => s !== 'hp-ls' && s !== 'hp-temp')) expect(variantLabel({ strategy: id, ...knobs })).toBeNull();
    expect(variantLabel({ strategy: 'hp-unknown', ...knobs })).toBeNull();
  });

  it('orders and titles ids by the catalog, unknown ids last and titled by themselves', () => {
    expect(['hp-unknown', 'hp-temp', 'lp', 'ft'].sort(strategyOrder)).toEqual(['lp', 'ft', 'hp-temp', 'hp-unknown']);
    expect(strategyInfo('lp-ft')).toEqual({ title: 'LP-FT', in_paper: true });
    expect(strategyInfo('hp-unknown')).toEqual({ title: 'hp-unknown', in_paper: false });
  });
});
