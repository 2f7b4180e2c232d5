import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSuiteFields, PUBLISHED_SUITES, resolveSuiteFiles, SUITE_FILES, suiteCellConfig, suiteSlug } from '../../../contract';
import { sha256HexSync } from '../../../lib/sha256';
import { parsePins } from '../../../scripts/suite-index';

/**
 * Published suite files never change: a change that can move a score is a new version.
 * contract/suites/published.sha256 pins every file (`npm run schemas` adds a new file's line and
 * never rewrites one); an edit of a published file fails here and in `npm run schemas:check`.
 */
const dir = join(process.cwd(), 'contract', 'suites');
const pins = parsePins(readFileSync(join(dir, 'published.sha256'), 'utf8'));

describe('published suite files', () => {
  it('every file is pinned, imported and unchanged', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual([...pins.keys()].sort());
    expect(Object.keys(SUITE_FILES).sort()).toEqual(files);
    for (const f of files)
      expect(sha256HexSync(readFileSync(join(dir, f))), `contract/suites/${f} changed after publication: publish a new version instead`).toBe(pins.get(f));
  });

  it('resolve to valid suites named by their files', () => {
    expect(PUBLISHED_SUITES.map(suiteSlug)).toEqual([...pins.keys()].map((f) => f.replace(/\.json$/, '')).sort());
  });

  it('every version has a section in its card, docs/suites/<name>.md', () => {
    for (const s of PUBLISHED_SUITES)
      expect(readFileSync(join(process.cwd(), 'docs', 'suites', `${s.name}.md`), 'utf8'), `docs/suites/${s.name}.md`).toContain(suiteSlug(s));
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
    expect(v2.map((s) => s.name)).toEqual(expect.arrayContaining(['cifar10-transfer', 'digits-transfer', 'synthetic-linear']));
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
