import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CellConfigSchema, fingerprint, STRATEGY_IDS, strategyProblems, SuiteSchema } from '../../../contract';
import { getBackbone, listBackbones, registerBackbone } from '../../../runner/backbones/index';
import { getDataset, listDatasets, registerDataset } from '../../../runner/datasets/index';
import { editDistance, nearMatches } from '../../../runner/lib/registry';
import { groupJobs, planCells } from '../../../runner/run/plan';
import { initBackend } from '../../../runner/train/backend';
import { getSuite, listSuites, registerSuite } from '../../../runner/protocols/suites/index';

// The datasets' split and Rng tests (no TensorFlow.js) are in test/unit/runner/datasets/split.test.ts.
// A shared cache: the pretrained mlp-digits is deterministic (cpu backend), so reusing it across runs is safe.
process.env.HEADPREP_CACHE_DIR = join(tmpdir(), 'headprep-test-cache');

describe('registries are loud', () => {
  it('unknown ids list near matches', () => {
    expect(() => getDataset('digits-5-8')).toThrow(/unknown dataset "digits-5-8". Did you mean "digits-5-9"/);
    expect(() => getBackbone('mlp-digit')).toThrow(/Did you mean "mlp-digits"/);
    expect(() => getSuite('tiny@2')).toThrow(/Did you mean "tiny@1"/);
    expect(getSuite('tiny').version).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearMatches('zzzzzzzz', ['tiny@1'])).toEqual([]);
  });

  it('duplicate ids throw', () => {
    expect(() => registerDataset(getDataset('mnist'))).toThrow(/already registered/);
    expect(() => registerBackbone(getBackbone('linear'))).toThrow(/already registered/);
    expect(() => registerSuite(getSuite('tiny@1'))).toThrow(/already registered/);
  });

  it('lists are sorted and complete', () => {
    expect(listDatasets().map((d) => d.id)).toEqual(expect.arrayContaining(['mnist', 'digits-0-4', 'digits-5-9', 'synthetic-linear']));
    expect(listBackbones().map((d) => d.id)).toEqual(expect.arrayContaining(['linear', 'mlp-digits']));
    expect(listSuites().map((s) => `${s.name}@${s.version}`)).toEqual(expect.arrayContaining(['tiny@1', 'synthetic-linear@1', 'digits-mlp@1']));
  });
});

describe('contract: every registered strategy and suite', () => {
  it('every suite validates, expands into schema-valid, well-labelled, fingerprinted cells, and groups into jobs', async () => {
    const seen = new Set<string>();
    for (const suite of listSuites()) {
      expect(SuiteSchema.safeParse(suite).success).toBe(true);
      const cells = await planCells(suite, { backend: await initBackend('wasm') });
      const perSeed = suite.grid.pairs.length * suite.grid.strategies.reduce((n, s) => n + s.taus.length, 0);
      expect(cells).toHaveLength(perSeed * suite.grid.seeds.length);
      for (const c of cells) {
        expect(CellConfigSchema.safeParse(c).success).toBe(true);
        expect(strategyProblems(c)).toEqual([]);
        seen.add(c.strategy.id);
      }
      const fps = await Promise.all(cells.map((c) => fingerprint(c)));
      fps.forEach((f) => expect(f).toMatch(/^[0-9a-f]{64}$/));
      // the seed is excluded from the fingerprint
      expect(new Set(fps).size).toBe(perSeed);
      const jobs = groupJobs(cells);
      expect(jobs.flatMap((j) => j.cells)).toHaveLength(cells.length);
      for (const j of jobs) expect(new Set(j.cells.map((c) => c.seed)).size).toBe(1);
    }
    expect([...seen].sort()).toEqual([...STRATEGY_IDS].sort());
  }, 300_000); // first run on a fresh cache pretrains every registered backbone

  it('strategy checks reject mislabelled cells', async () => {
    const [cell] = await planCells(getSuite('tiny@1'), { backend: await initBackend('wasm'), seeds: [0] });
    expect(strategyProblems({ ...cell!, strategy: { id: 'ft', version: 1 }, tau: 3 })).toContain('ft starts from a fresh head: tau must be 0');
    expect(strategyProblems({ ...cell!, strategy: { id: 'hp-ls', version: 1 }, eta: 0 })).toContain('hp-ls needs eta > 0');
  });
});
