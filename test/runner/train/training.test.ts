import { beforeAll, describe, expect, it } from 'vitest';
import { ResultBundleSchema, type CellConfig, type ResultBundle } from '../../../contract';
import { serializeModel } from '../../../runner/backbones/io';
import { instantiateBackbone } from '../../../runner/backbones/index';
import { pretrainMlpDigits, MLP_DIGITS_RECIPE } from '../../../runner/backbones/mlp-digits';
import { getDataset } from '../../../runner/datasets/index';
import { PeakRss } from '../../../runner/lib/peak-rss';
import { initBackend, type BackendInfo } from '../../../runner/train/backend';
import { inferAll } from '../../../runner/train/data';
import { buildHead, headVariables } from '../../../runner/train/head';
import { ftEpoch, hpEpoch } from '../../../runner/train/loops';
import { Optimizer } from '../../../runner/train/optim';
import { tf } from '../../../runner/train/tf';
import { planTinyOnWasm, runCells, useSharedTestCache } from '../../fixtures/tiny-run';

useSharedTestCache();

let backend: BackendInfo;
let tinyCells: CellConfig[];
beforeAll(async () => ({ backend, cells: tinyCells } = await planTinyOnWasm()));

const collect = runCells;

/** Bundle numbers without the wall-clock fields. */
function numbers(b: ResultBundle) {
  const { wall_time_s: _w, samples_per_sec: _s, peak_memory_mb: _m, ...summary } = b.summary!;
  return { energy: b.energy, epochs: b.epochs, summary, fingerprint: b.fingerprint };
}

describe('backend', () => {
  it('wasm runs in Node and shares the one tfjs-core instance with @tensorflow/tfjs', async () => {
    expect(backend.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const core = await import('@tensorflow/tfjs-core');
    expect(core.getBackend()).toBe('wasm');
    expect(core.engine()).toBe(tf.engine());
  });
});

describe('a job on synthetic-linear', () => {
  it('writes schema-valid bundles with the epoch-0 row and the reference zero-init energy', async () => {
    const bundles = await collect(tinyCells, { backend });
    expect(bundles).toHaveLength(tinyCells.length);
    for (const b of bundles) {
      expect(b.status, b.error_message).toBe('ok');
      expect(ResultBundleSchema.safeParse(b).success).toBe(true);
      expect(b.epochs).toHaveLength(b.config.ft.epochs + 1);
      expect(b.epochs[0]!.feat_l2_dist).toBe(0);
      expect(b.epochs[0]!.feat_cos_sim).toBeCloseTo(1, 6);
      expect(b.environment.backend).toBe('wasm');
    }
    const zero = bundles.find((b) => b.config.strategy.id === 'hp-zero')!;
    expect(Math.abs(zero.energy!.aie - Math.sqrt(1 - 1 / 4))).toBeLessThan(1e-6);
    // lp never moves features; the probe's energy falls with tau.
    const lp = bundles.find((b) => b.config.strategy.id === 'lp')!;
    expect(lp.epochs).toHaveLength(1);
    const ft = bundles.find((b) => b.config.strategy.id === 'ft')!;
    expect(lp.energy!.aie).toBeLessThan(ft.energy!.aie);
  });

  it('same seed and backend give identical numbers', async () => {
    const cells = tinyCells.filter((c) => ['hp-tau', 'hp-mlp'].includes(c.strategy.id));
    const a = await collect(cells, { backend });
    const b = await collect(cells, { backend });
    expect(a.map(numbers)).toEqual(b.map(numbers));
  });

  it('a failing cell yields an error bundle and the other cells still run', async () => {
    const good = tinyCells.find((c) => c.strategy.id === 'ft')!;
    const bad: CellConfig = { ...good, strategy: { id: 'hp-tau', version: 1 }, tau: 1, eval_set_size: good.dataset.n_test + 1 };
    const out = await collect([bad, good], { backend });
    const byStatus = Object.fromEntries(out.map((b) => [b.config.tau === 1 ? 'bad' : 'good', b]));
    expect(byStatus.bad!.status).toBe('error');
    expect(byStatus.bad!.error_message).toMatch(/eval_set_size/);
    expect(ResultBundleSchema.safeParse(byStatus.bad).success).toBe(true);
    expect(byStatus.good!.status).toBe('ok');
  });
});

describe('training hygiene', () => {
  it('HP keeps the backbone in inference mode: BatchNorm statistics and z unchanged by an HP epoch', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 8, inputShape: [32], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
    m.add(tf.layers.batchNormalization({ name: 'bn' }));
    m.add(tf.layers.activation({ activation: 'relu', name: 'features' }));
    const saved = await serializeModel(m);
    m.dispose();
    const bb = await instantiateBackbone(saved, 'features');
    const ds = await getDataset('synthetic-linear').load({ seed: 0, n_train: 64, n_val: 8, n_test: 32 });
    const cfg: CellConfig = { ...tinyCells[0]!, augmentation: { kind: 'shift', max_shift: 0 } };
    const bnWeights = () => bb.model.getLayer('bn').getWeights().map((w) => Array.from(w.dataSync()));
    const before = bnWeights();
    const z0 = await inferAll(bb.model, ds.test.x, ds.test.n, ds.inputShape);
    const head = buildHead(cfg.head, bb.featDim, 4, 0);
    const vars = headVariables(head);
    const opt = new Optimizer(cfg.hp, vars);
    const headBefore = Array.from(vars[0]!.dataSync());
    // cached = false: every batch goes through the backbone (the augmentation path).
    const data = { zTrain: new Float32Array(0), featDim: bb.featDim, train: ds.train, inputShape: ds.inputShape, cached: false, backbone: bb.model };
    await hpEpoch(cfg, { head, headVars: vars, opt, step: 0 }, data, 0, 1, new PeakRss());
    expect(Array.from(vars[0]!.dataSync())).not.toEqual(headBefore); // the head did train
    expect(bnWeights()).toEqual(before);
    expect(await inferAll(bb.model, ds.test.x, ds.test.n, ds.inputShape)).toEqual(z0);
    // whereas one FT epoch does move the BatchNorm statistics (the check can fail)
    const ftOpt = new Optimizer(cfg.ft, [...bb.model.trainableWeights.map((w) => w.read() as tf.Variable), ...vars]);
    await ftEpoch(cfg, bb.model, head, ftOpt, new Set(vars.map((v) => v.name)), ds.train, ds.inputShape, 0, 0, new PeakRss());
    expect(bnWeights()).not.toEqual(before);
    opt.dispose();
    ftOpt.dispose();
    head.dispose();
    bb.dispose();
  });

  it('tensor count does not grow across HP and FT steps', async () => {
    const saved = await (await import('../../../runner/backbones/index')).getBackbone('linear').resolve();
    const bb = await instantiateBackbone(saved, 'features');
    const ds = await getDataset('synthetic-linear').load({ seed: 0, n_train: 64, n_val: 8, n_test: 32 });
    const cfg = tinyCells[0]!;
    const head = buildHead(cfg.head, bb.featDim, 4, 0);
    const vars = headVariables(head);
    const zTrain = await inferAll(bb.model, ds.train.x, ds.train.n, ds.inputShape);
    const hpOpt = new Optimizer(cfg.hp, vars);
    const ftOpt = new Optimizer(cfg.ft, [...bb.model.trainableWeights.map((w) => w.read() as tf.Variable), ...vars]);
    const st = { head, headVars: vars, opt: hpOpt, step: 0 };
    const data = { zTrain, featDim: bb.featDim, train: ds.train, inputShape: ds.inputShape, cached: true, backbone: bb.model };
    const names = new Set(vars.map((v) => v.name));
    // first epochs allocate optimiser slots; afterwards the count must be flat
    await hpEpoch(cfg, st, data, 0, 4, new PeakRss());
    await ftEpoch(cfg, bb.model, head, ftOpt, names, ds.train, ds.inputShape, 0, 0, new PeakRss());
    const n0 = tf.memory().numTensors;
    for (let e = 1; e < 4; e++) {
      await hpEpoch(cfg, st, data, e, 4, new PeakRss());
      await ftEpoch(cfg, bb.model, head, ftOpt, names, ds.train, ds.inputShape, e, e * 4, new PeakRss());
      expect(tf.memory().numTensors).toBe(n0);
    }
    hpOpt.dispose();
    ftOpt.dispose();
    head.dispose();
    bb.dispose();
  });
});

describe('backbone determinism across backends', () => {
  it('pretraining gives the same weight sha256 whether wasm or cpu is the active backend', async () => {
    const recipe = { ...MLP_DIGITS_RECIPE, hidden: [16, 8], epochs: 1, n_train: 256, batch_size: 64 };
    await initBackend('wasm');
    const a = await pretrainMlpDigits(recipe);
    expect(tf.getBackend()).toBe('wasm'); // restored after the cpu detour
    await initBackend('cpu');
    const b = await pretrainMlpDigits(recipe);
    await initBackend('wasm');
    expect(a.saved.sha256).toBe(b.saved.sha256);
    expect(a.saved.weightData.byteLength).toBe((784 * 16 + 16 + 16 * 8 + 8) * 4);
    const c = await pretrainMlpDigits({ ...recipe, seed: 1 });
    expect(c.saved.sha256).not.toBe(a.saved.sha256);
  }, 60_000);
});
