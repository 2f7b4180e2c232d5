/** contract/suite-cells: every cell of every published suite matches; any fixed field changed does not. */
import { describe, expect, it } from 'vitest';
import { matchSuiteCell, PUBLISHED_SUITES, suiteCellConfig, type CellConfig, type Suite } from '../../../contract';

const suites: readonly Suite[] = PUBLISHED_SUITES;

/** Stand-ins for what the runner resolves (weights and data hashes, split sizes). */
const resolved = (backbone: string, dataset: string) => ({
  backbone: { id: backbone, sha256: 'a'.repeat(64), feature_layer: 'features' },
  dataset: { id: dataset, sha256: 'b'.repeat(64), n_train: 500, n_val: 100, n_test: 150, n_classes: 5 },
});

function cellsOf(s: Suite): CellConfig[] {
  return s.grid.pairs.flatMap((p) =>
    s.grid.strategies.flatMap((e) => e.taus.map((tau) => suiteCellConfig(s, e, { ...resolved(p.backbone, p.dataset), tau, seed: 3 }))),
  );
}

describe('suite cells', () => {
  it('finds the published suites', () => {
    expect(suites.map((s) => `${s.name}@${s.version}`)).toEqual(expect.arrayContaining(['tiny@1', 'synthetic-linear@1', 'digits-transfer@1']));
  });

  it.each(suites.map((s) => [`${s.name}@${s.version}`, s] as const))('%s: every expanded cell is a cell of its suite', (_, s) => {
    const cells = cellsOf(s);
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) expect(matchSuiteCell(s, c)).toEqual({ ok: true });
  });

  it('names the first field that differs, with both values', () => {
    const s = suites.find((x) => x.name === 'tiny')!;
    const c = cellsOf(s).find((x) => x.strategy.id === 'hp-ls')!;
    const edits: [string, (c: CellConfig) => void][] = [
      ['hp.lr', (x) => (x.hp.lr = 0.2)],
      ['ft.weight_decay', (x) => (x.ft.weight_decay = 1e-4)],
      ['eta', (x) => (x.eta = 0.1)],
      ['temperature', (x) => (x.temperature = 2)],
      ['head.kind', (x) => (x.head.kind = 'mlp')],
      ['augmentation.kind', (x) => (x.augmentation.kind = 'shift')],
      ['eval_set_size', (x) => (x.eval_set_size = 1)],
      ['tau', (x) => (x.tau = 9)],
      ['backbone.id', (x) => (x.backbone.id = 'cnn-digits')],
      ['suite', (x) => (x.suite.version = 2)],
    ];
    for (const [path, edit] of edits) {
      const x = structuredClone(c);
      edit(x);
      const m = matchSuiteCell(s, x);
      expect(m, path).toMatchObject({ ok: false, path });
      if (!m.ok) expect(m.message).toMatch(/tiny@1/);
    }
    const lr = matchSuiteCell(s, { ...c, hp: { ...c.hp, lr: 0.2 } });
    expect(lr.ok ? '' : lr.message).toContain(`config.hp.lr is 0.2, but tiny@1 fixes it to ${c.hp.lr}`);
  });

  it('leaves the runner-resolved references and the seed to the submitter', () => {
    const s = suites.find((x) => x.name === 'tiny')!;
    const c = cellsOf(s)[0]!;
    const other = { ...c, seed: 99, backbone: { ...c.backbone, sha256: 'f'.repeat(64) }, dataset: { ...c.dataset, n_train: 10 } };
    expect(matchSuiteCell(s, other)).toEqual({ ok: true });
  });

  it('-0 equals 0, as JCS and the fingerprint treat them', () => {
    const s = suites.find((x) => x.name === 'tiny')!;
    const c = cellsOf(s).find((x) => x.eta === 0 && x.hp.weight_decay === 0)!;
    expect(matchSuiteCell(s, { ...c, eta: -0, hp: { ...c.hp, weight_decay: -0 } })).toEqual({ ok: true });
  });
});
