/**
 * cifar10-transfer@1 (the GPU-scale suite) cannot run here (no network, no GPU), so this checks
 * everything short of running it: the suite validates, every cell it expands to is a valid
 * CellConfig accepted by its strategy, the datasets' checksums resolve offline, the class-subset
 * datasets relabel and split deterministically (on an in-memory base), and the backbone builds
 * with a 128-wide feature layer.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CellConfigSchema, strategyProblems, SuiteSchema } from '../../../../contract';
import { getBackbone } from '../../../../runner/backbones/index';
import { getDataset, registerDataset, type DatasetDef, type Split } from '../../../../runner/datasets/index';
import { expandCells, groupJobs } from '../../../../runner/run/plan';
import { buildCnnCifar } from '../../../../runner/backbones/cnn-cifar';
import { classSubsetDataset, subsetSplit } from '../../../../runner/datasets/class-subset';
import { getSuite, registerSuitePieces } from '../../../../runner/protocols/suites/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
  // its datasets and backbone load on demand (planCells and the runner's workers do this)
  await registerSuitePieces('cifar10-transfer');
});

describe('cifar10-transfer@1', () => {
  const suite = getSuite('cifar10-transfer@1');

  it('is registered and valid', () => {
    expect(SuiteSchema.safeParse(suite).success).toBe(true);
    expect(getBackbone('cnn-cifar').featureLayer).toBe('features');
    expect(getDataset('cifar-10-5-9').nClasses).toBe(5);
  });

  it('expands to valid cells (as planCells would, with the backbone checksum stubbed) in 15 jobs', async () => {
    const pair = suite.grid.pairs[0]!;
    const ds = getDataset(pair.dataset);
    const dsSha = await ds.sha256(); // offline: derived from the pinned archive checksum
    expect(dsSha).toMatch(/^[0-9a-f]{64}$/);
    expect(await getDataset('cifar-10-0-4').sha256()).not.toBe(dsSha);
    const cells = expandCells(suite, [
      {
        backbone: { id: pair.backbone, sha256: 'f'.repeat(64), feature_layer: getBackbone(pair.backbone).featureLayer },
        dataset: { id: ds.id, sha256: dsSha, ...ds.defaultSizes, n_classes: ds.nClasses },
      },
    ]);
    for (const cell of cells) {
      expect(CellConfigSchema.safeParse(cell).success).toBe(true);
      expect(strategyProblems(cell)).toEqual([]);
    }
    expect(cells).toHaveLength(45);
    expect(groupJobs(cells)).toHaveLength(15);
  });

  it('cnn-cifar builds: [32,32,3] -> 128 features', () => {
    const m = buildCnnCifar();
    expect(m.outputs[0]!.shape).toEqual([null, 128]);
    expect(m.inputs[0]!.shape).toEqual([null, 32, 32, 3]);
    m.dispose();
  });
});

describe('class-subset datasets', () => {
  // A small in-memory base: 60 train + 30 test examples of 2x2x1, label i % 6, value = index.
  const mk = (n: number, off: number): Split => ({
    x: Float32Array.from({ length: n * 4 }, (_, i) => off + Math.floor(i / 4)),
    y: Int32Array.from({ length: n }, (_, i) => i % 6),
    n,
  });
  const base: DatasetDef = {
    id: 'test-six-classes',
    description: 'test base',
    nClasses: 6,
    inputShape: [2, 2, 1],
    defaultSizes: { n_train: 60, n_val: 0, n_test: 30 },
    sha256: async () => 'e'.repeat(64),
    load: async (o) => {
      if (o.n_train !== 60 || o.n_test !== 30 || o.n_val !== 0) throw new Error('subset must load the whole base');
      return { id: 'test-six-classes', sha256: 'e'.repeat(64), nClasses: 6, inputShape: [2, 2, 1], train: mk(60, 0), val: mk(0, 0), test: mk(30, 1000) };
    },
  };
  registerDataset(base);
  const sub = classSubsetDataset({ id: 'test-subset-4-2', description: 'classes 4 and 2', base: base.id, baseAll: { n_train: 60, n_test: 30 }, classes: [4, 2], defaultSizes: { n_train: 10, n_val: 5, n_test: 10 } });

  it('subsetSplit keeps the listed classes and relabels them in order', () => {
    const s = subsetSplit(mk(12, 0), [4, 2], 4);
    expect([...s.y]).toEqual([1, 0, 1, 0]); // examples 2, 4, 8, 10
    expect([...s.x.filter((_, i) => i % 4 === 0)]).toEqual([2, 4, 8, 10]);
  });

  it('splits deterministically per seed, from the subset only', async () => {
    const a = await sub.load({ seed: 1, n_train: 10, n_val: 5, n_test: 10 });
    const b = await sub.load({ seed: 1, n_train: 10, n_val: 5, n_test: 10 });
    const c = await sub.load({ seed: 2, n_train: 10, n_val: 5, n_test: 10 });
    expect(a.train.x).toEqual(b.train.x);
    expect(a.train.x).not.toEqual(c.train.x);
    expect(a.nClasses).toBe(2);
    for (const s of [a.train, a.val, a.test]) expect([...s.y].every((y) => y === 0 || y === 1)).toBe(true);
    // every original label was 4 (-> 0) or 2 (-> 1): value v came from base index v, label v % 6
    for (let i = 0; i < a.train.n; i++) expect(a.train.x[i * 4]! % 6).toBe(a.train.y[i] === 1 ? 2 : 4);
    expect(await sub.sha256()).not.toBe(await base.sha256());
  });
});
