import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSuiteFields, PUBLISHED_SUITES, resolveSuiteFiles, SUITE_FILES, suiteCellConfig, suiteSlug } from '../../../contract';

/**
 * Published suite files never change: a change that can move a score is a new version. A new
 * version adds its line here (sha256sum contract/suites/<file>); an edit of a published file fails.
 */
const PINNED: Record<string, string> = {
  'cifar10-transfer@1.json': 'af02ef380ed2f383d042dbd892a5de5103e8181f0a844ca2cfea801111ea239c',
  'cifar10-transfer@2.json': '609273299be617c6c3695574999c9c95c845ab131b459ea7f9248bc234bd56b7',
  'digits-mlp@1.json': 'e60b9acd1d084ff04196e0a255e5519871ee7115ec4d816bfae2920d39cdc6cb',
  'digits-transfer@1.json': '26b3b72972ba8234c910309f288e925ec00ac08f215e99d2eb68ff0359b17c24',
  'digits-transfer@2.json': 'c34610d7eb71868bfa8534cebe5319d6625054a4442f5fabd757c8f10ec36ec1',
  'synthetic-linear@1.json': '37ec522493729366e716aa169c291269345b0a64ed95642beb4fdb8bdfec4b51',
  'synthetic-linear@2.json': '082bdedf8c0a374531c78ae48ca72778bce30a1032345d81b4b285626bcf9f9b',
  'synthetic-linear@3.json': '9d4e3ec318e9f80d6b09a7d25f9c0363e57e8dc23eb7bc95c9e44b47d2ad48ba',
  'tiny@1.json': '91580415750011ca7f3bb0f54685e13fb9bdec577f041a047e2715a84144b5c3',
};

const dir = join(process.cwd(), 'contract', 'suites');

describe('published suite files', () => {
  it('every file is pinned, imported and unchanged', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.keys(PINNED).sort());
    expect(Object.keys(SUITE_FILES).sort()).toEqual(files);
    for (const f of files) {
      const sha = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
      expect(sha, `contract/suites/${f} changed after publication: publish a new version instead`).toBe(PINNED[f]);
    }
  });

  it('resolve to valid suites named by their files', () => {
    expect(PUBLISHED_SUITES.map(suiteSlug)).toEqual(Object.keys(PINNED).map((f) => f.replace(/\.json$/, '')).sort());
  });

  it('extends merges objects key by key and replaces arrays and scalars', () => {
    expect(mergeSuiteFields({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 2 });
    const v1 = PUBLISHED_SUITES.find((s) => suiteSlug(s) === 'digits-transfer@1')!;
    const v2 = PUBLISHED_SUITES.find((s) => suiteSlug(s) === 'digits-transfer@2')!;
    expect(v2.defaults.augmentation).toEqual(v1.defaults.augmentation);
    expect(v2.defaults.eval_set_size).toBe(v1.defaults.eval_set_size);
    expect(v2.defaults.head.init).toBe('pytorch');
  });

  it('refuses a misnamed file, an unknown parent, a cycle and an invalid suite, naming the file', () => {
    const tiny = SUITE_FILES['tiny@1.json'] as Record<string, unknown>;
    expect(() => resolveSuiteFiles({ 'other@1.json': tiny })).toThrow(/other@1\.json: the file of tiny@1 must be named tiny@1\.json/);
    expect(() => resolveSuiteFiles({ 'x@2.json': { name: 'x', version: 2, extends: 'x@1' } })).toThrow(/extends x@1, which is not a published suite/);
    expect(() =>
      resolveSuiteFiles({ 'x@1.json': { name: 'x', version: 1, extends: 'x@2' }, 'x@2.json': { name: 'x', version: 2, extends: 'x@1' } }),
    ).toThrow(/cycle/);
    expect(() => resolveSuiteFiles({ 'tiny@1.json': { ...tiny, grid: { pairs: [] } } })).toThrow(/tiny@1\.json: .*grid/);
  });
});

describe('suites @2 follow docs/science.md', () => {
  const v2 = PUBLISHED_SUITES.filter((s) => s.version === 2);
  it('exist for synthetic-linear, digits-transfer and cifar10-transfer', () => {
    expect(v2.map((s) => s.name).sort()).toEqual(['cifar10-transfer', 'digits-transfer', 'synthetic-linear']);
  });
  for (const s of v2) {
    it(`${suiteSlug(s)}: the paper's recipe, no run scored twice, hp-temp on a T^2 learning rate`, () => {
      const d = s.defaults;
      expect(d.head.init).toBe('pytorch');
      expect([d.hp.optimizer, d.hp.momentum, d.hp.nesterov, d.hp.schedule, d.hp.weight_decay]).toEqual(['momentum', 0.9, true, 'constant', 0]);
      expect([d.ft.schedule, d.ft.lr_min, d.ft.weight_decay_mode, d.ft.nesterov]).toEqual(['cosine', 0, 'l2', true]);
      expect(d.ft.lr / d.hp.lr).toBeCloseTo(0.01, 12);
      const taus = (id: string) => s.grid.strategies.filter((e) => e.strategy.id === id).flatMap((e) => e.taus);
      const tmax = Math.max(...taus('lp-ft'));
      expect(taus('ft')).toEqual([0]);
      expect(Math.max(...taus('hp-tau'))).toBeLessThan(tmax);
      expect(taus('hp-tau')).not.toContain(0);
      expect(taus('lp')).toEqual([tmax]);
      expect(s.grid.strategies.filter((e) => e.strategy.id === 'hp-ls').map((e) => e.eta).sort()).toEqual([0.1, 0.3]);
      for (const e of s.grid.strategies.filter((x) => x.strategy.id === 'hp-temp')) {
        const cell = suiteCellConfig(s, e, {
          backbone: { id: 'b', sha256: '0'.repeat(64), feature_layer: 'f' },
          dataset: { id: 'd', sha256: '0'.repeat(64), n_train: 1, n_val: 1, n_test: 1, n_classes: 2 },
          tau: e.taus[0]!,
          seed: 0,
        });
        expect(cell.hp.lr).toBeCloseTo(d.hp.lr * cell.temperature ** 2, 12);
      }
      expect(s.grid.seeds.length).toBeGreaterThanOrEqual(s.name === 'synthetic-linear' ? 20 : 10);
    });
  }
});
