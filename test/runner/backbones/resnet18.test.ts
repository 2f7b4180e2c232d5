/**
 * resnet18-cifar (runner/backbones/resnet18.ts): the architecture (ResNet-18's 11,168,832
 * trainable weights without its classifier), the loading path (cached model.json + weights.bin ->
 * resolve() -> instantiateBackbone at `features`, same outputs), and a short finetuning run on a
 * small fixture (a narrow ResNet-18, 16 images of 32x32x3): HP leaves the BatchNorm statistics
 * frozen, FT moves them and trains, on wasm and, where Dawn gives an adapter, on webgpu (the
 * same losses to float32 rounding).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellConfig } from '../../../contract';
import { serializeModel, writeSavedModel } from '../../../runner/backbones/io';
import { instantiateBackbone } from '../../../runner/backbones/index';
import { buildResNetCifar, resnet18CifarBackbone, resnet18CifarDir } from '../../../runner/backbones/resnet18';
import type { Split } from '../../../runner/datasets/types';
import { PeakRss } from '../../../runner/lib/peak-rss';
import { Rng } from '../../../runner/lib/rng';
import { planCells } from '../../../runner/run/plan';
import { getSuite } from '../../../runner/protocols/suites/index';
import { initBackend } from '../../../runner/train/backend';
import { inferAll } from '../../../runner/train/data';
import { buildHead, headVariables } from '../../../runner/train/head';
import { ftEpoch, hpEpoch } from '../../../runner/train/loops';
import { Optimizer } from '../../../runner/train/optim';
import { tf } from '../../../runner/train/tf';
import { classifyProbe, probeAdaptersInChild, releaseWebGpu } from '../../../runner/train/webgpu';

process.env.HEADPREP_CACHE_DIR = mkdtempSync(join(tmpdir(), 'headprep-resnet-'));
const SHAPE: [number, number, number] = [32, 32, 3];
const K = 4;

/** 16 images whose mean colour depends on the class, plus seeded noise. */
function fixture(n: number, seed: number): Split {
  const rng = new Rng(seed, 'resnet-fixture');
  const size = 32 * 32 * 3;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % K;
    for (let j = 0; j < size; j++) x[i * size + j] = (j % 3 === y[i]! % 3 ? 0.5 : 0) + 0.3 * rng.next();
  }
  return { x, y, n };
}

let cfg: CellConfig;
beforeAll(async () => {
  const wasm = await initBackend('wasm');
  const tiny = await planCells(getSuite('tiny@1'), { backend: wasm });
  const base = tiny.find((c) => c.strategy.id === 'lp-ft')!;
  cfg = { ...base, augmentation: { kind: 'none', max_shift: 0 }, hp: { ...base.hp, batch_size: 8 }, ft: { ...base.ft, batch_size: 8, epochs: 1 }, dataset: { ...base.dataset, n_classes: K } };
});

describe('resnet18-cifar', () => {
  it('is ResNet-18: 11,168,832 trainable weights before the classifier, 512 features from 32x32x3', () => {
    const m = buildResNetCifar();
    expect(m.outputs[0]!.shape).toEqual([null, 512]);
    expect(m.trainableWeights.reduce((a, w) => a + w.shape.reduce((p: number, q) => p * (q ?? 1), 1), 0)).toBe(11_168_832);
    expect(m.layers.filter((l) => l.getClassName() === 'BatchNormalization')).toHaveLength(20);
    expect(m.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(8);
    m.dispose();
  });

  it('loads from the cache directory through resolve() and gives the saved model\'s features', async () => {
    const m = buildResNetCifar({ width: 8, seed: 3 });
    const saved = await serializeModel(m);
    await writeSavedModel(resnet18CifarDir(), saved);
    const resolved = await resnet18CifarBackbone.resolve();
    expect(resolved.sha256).toBe(saved.sha256);
    const bb = await instantiateBackbone(resolved, resnet18CifarBackbone.featureLayer);
    expect(bb.featDim).toBe(64);
    const x = fixture(4, 1);
    const want = await inferAll(m, x.x, x.n, SHAPE);
    expect(await inferAll(bb.model, x.x, x.n, SHAPE)).toEqual(want);
    bb.dispose();
    m.dispose();
  });
});

/** HP (BN frozen) then one FT epoch of a narrow ResNet-18 on the fixture; returns the FT numbers. */
async function shortFinetune(): Promise<{ ftLoss: number; headGradNorm: number; zAfterHp: Float32Array }> {
  const saved = await serializeModel(buildResNetCifar({ width: 8, seed: 5 }));
  const bb = await instantiateBackbone(saved, 'features');
  const train = fixture(16, 2);
  // Moving mean and variance of every BatchNorm layer (read with data(): webgpu has no dataSync in Node).
  const bnStats = async () =>
    Promise.all(
      bb.model.layers
        .filter((l) => l.getClassName() === 'BatchNormalization')
        .flatMap((l) => l.getWeights().slice(2))
        .map(async (w) => Array.from(await w.data())),
    );
  const before = await bnStats();
  const z0 = await inferAll(bb.model, train.x, train.n, SHAPE);
  const head = buildHead(cfg.head, bb.featDim, K, 0);
  const vars = headVariables(head);
  const hpOpt = new Optimizer(cfg.hp, vars);
  // cached = false: every HP batch goes through the backbone in inference mode.
  await hpEpoch(cfg, { head, headVars: vars, opt: hpOpt, step: 0 }, { zTrain: new Float32Array(0), featDim: bb.featDim, train, inputShape: SHAPE, cached: false, backbone: bb.model }, 0, 1, new PeakRss());
  const zAfterHp = await inferAll(bb.model, train.x, train.n, SHAPE);
  expect(zAfterHp).toEqual(z0);
  expect(await bnStats()).toEqual(before);
  const ftOpt = new Optimizer(cfg.ft, [...bb.model.trainableWeights.map((w) => w.read() as tf.Variable), ...vars]);
  const st = await ftEpoch(cfg, bb.model, head, ftOpt, new Set(vars.map((v) => v.name)), train, SHAPE, 0, 0, new PeakRss());
  expect(Number.isFinite(st.train_loss)).toBe(true);
  // FT runs the backbone in training mode: its features (BatchNorm statistics and weights) move.
  expect(await inferAll(bb.model, train.x, train.n, SHAPE)).not.toEqual(z0);
  expect(await bnStats()).not.toEqual(before);
  hpOpt.dispose();
  ftOpt.dispose();
  head.dispose();
  bb.dispose();
  return { ftLoss: st.train_loss, headGradNorm: st.head_grad_norm, zAfterHp };
}

describe('a short finetuning run (narrow ResNet-18, 16 images)', () => {
  let onWasm: Awaited<ReturnType<typeof shortFinetune>>;
  it('wasm: HP keeps BatchNorm frozen, FT moves it and trains', async () => {
    await initBackend('wasm');
    onWasm = await shortFinetune();
    expect(onWasm.ftLoss).toBeGreaterThan(0);
  }, 180_000);

  const probe = classifyProbe(probeAdaptersInChild());
  describe.skipIf(!probe.hardware && !probe.software)('webgpu', () => {
    afterAll(async () => {
      releaseWebGpu();
      await initBackend('wasm');
    });
    it('gives the same HP features and FT loss as wasm, to float32 rounding', async () => {
      expect(onWasm).toBeDefined();
      const b = await initBackend('webgpu');
      expect(b.name).toBe('webgpu');
      const onGpu = await shortFinetune();
      const maxZ = onGpu.zAfterHp.reduce((m, v, i) => Math.max(m, Math.abs(v - onWasm.zAfterHp[i]!)), 0);
      expect(maxZ).toBeLessThan(1e-3);
      expect(Math.abs(onGpu.ftLoss - onWasm.ftLoss)).toBeLessThan(1e-4 + 1e-4 * onWasm.ftLoss);
      expect(Math.abs(onGpu.headGradNorm - onWasm.headGradNorm)).toBeLessThan(1e-4 + 1e-3 * onWasm.headGradNorm);
    }, 300_000);
  });
});
