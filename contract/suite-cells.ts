/**
 * A suite's cells, as both sides compute them: the runner expands a suite into the configs it
 * runs; the site checks that a submitted config is one of them (a suite fixes every
 * hyper-parameter, so a config that differs anywhere is not a result of that suite).
 *
 * What the suite does not fix is what the runner resolves from its registries: the backbone and
 * dataset references (weights and data sha256, split sizes). Those come from the caller; the rest
 * of the config follows from the suite's defaults and the strategy entry's overrides.
 */
import type { BackboneRef, CellConfig, DatasetRef, Suite } from './schemas/config';
import { suiteSlug } from './ids';

export type SuiteStrategyEntry = Suite['grid']['strategies'][number];

/** The config of one cell: `entry` (a strategy of `suite.grid`) at `tau` on a resolved pair. Not validated. */
export function suiteCellConfig(
  suite: Suite,
  entry: SuiteStrategyEntry,
  cell: { backbone: BackboneRef; dataset: DatasetRef; tau: number; seed: number },
): CellConfig {
  const d = suite.defaults;
  return {
    suite: { name: suite.name, version: suite.version },
    backbone: { ...cell.backbone },
    dataset: { ...cell.dataset },
    strategy: { ...entry.strategy },
    head: { ...(entry.head ?? d.head) },
    tau: cell.tau,
    eta: entry.eta ?? d.eta,
    temperature: entry.temperature ?? d.temperature,
    hp: entry.hp_lr === undefined ? { ...d.hp } : { ...d.hp, lr: entry.hp_lr },
    ft: { ...d.ft, epochs: entry.ft_epochs ?? d.ft.epochs },
    augmentation: { ...d.augmentation },
    eval_set_size: Math.min(d.eval_set_size, cell.dataset.n_test),
    seed: cell.seed,
  };
}

export type SuiteCellMatch = { ok: true } | { ok: false; path: string; message: string };

/**
 * Whether `config` is a cell of `suite`: its pair is in the grid, its strategy (id and version)
 * and tau are, and every other field equals what the suite gives that cell. On a mismatch, `path`
 * (under the config) names the first field that differs, and `message` says what was expected.
 */
export function matchSuiteCell(suite: Suite, config: CellConfig): SuiteCellMatch {
  const ref = suiteSlug(suite);
  const g = suite.grid;
  if (config.suite.name !== suite.name || config.suite.version !== suite.version)
    return { ok: false, path: 'suite', message: `config.suite is ${suiteSlug(config.suite)}, not ${ref}` };
  if (!g.pairs.some((p) => p.backbone === config.backbone.id && p.dataset === config.dataset.id))
    return {
      ok: false,
      path: 'backbone.id',
      message: `${config.backbone.id} x ${config.dataset.id} is not a cell of ${ref} (cells: ${g.pairs.map((p) => `${p.backbone} x ${p.dataset}`).join(', ')})`,
    };
  const entries = g.strategies.filter((s) => s.strategy.id === config.strategy.id && s.strategy.version === config.strategy.version);
  if (entries.length === 0)
    return { ok: false, path: 'strategy', message: `strategy ${config.strategy.id}@${config.strategy.version} is not part of ${ref}` };
  const withTau = entries.filter((s) => s.taus.includes(config.tau));
  if (withTau.length === 0)
    return {
      ok: false,
      path: 'tau',
      message: `tau ${config.tau} is not in ${ref}'s grid for ${config.strategy.id} (taus: ${entries.flatMap((s) => s.taus).join(', ')})`,
    };
  let first: { path: string; expected: unknown; actual: unknown } | null = null;
  for (const entry of withTau) {
    const expected = suiteCellConfig(suite, entry, config);
    const diff = firstDifference(expected, config, '');
    if (!diff) return { ok: true };
    first ??= diff;
  }
  const d = first!;
  return {
    ok: false,
    path: d.path,
    message: `config.${d.path} is ${show(d.actual)}, but ${ref} fixes it to ${show(d.expected)} for ${config.strategy.id} at tau ${config.tau}; run the suite's own cell (headprep run ${ref}) or download its config from the site`,
  };
}

const show = (v: unknown) => (v === undefined ? '(missing)' : JSON.stringify(v));

/** The first path (dot-separated) where two JSON values differ, or null when they are equal. */
function firstDifference(expected: unknown, actual: unknown, path: string): { path: string; expected: unknown; actual: unknown } | null {
  // === (not Object.is): -0 equals 0, as JCS and the fingerprint treat them.
  if (expected === actual) return null;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(expected[i], actual[i], path ? `${path}.${i}` : String(i));
      if (d) return d;
    }
    return null;
  }
  if (isObj(expected) && isObj(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
    for (const k of keys) {
      const d = firstDifference(expected[k], actual[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return { path, expected, actual };
}
