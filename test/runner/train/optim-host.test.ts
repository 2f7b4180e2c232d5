import { describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../runner/train/optim';
import { Optimizer } from '../../../runner/train/optim';
import { initBackend } from '../../../runner/train/backend';
import { tf } from '../../../runner/train/tf';

const base: OptimizerConfig = {
  optimizer: 'momentum',
  momentum: 0.9,
  nesterov: true,
  lr: 1e-3,
  schedule: 'constant',
  lr_min: 0,
  warmup_epochs: 0,
  weight_decay: 5e-4,
  weight_decay_mode: 'l2',
  batch_size: 64,
} as OptimizerConfig;

const variants: [string, Partial<OptimizerConfig>][] = [
  ['nesterov, coupled L2 (suites @2)', {}],
  ['momentum, decoupled decay (suites @1)', { nesterov: false, weight_decay_mode: 'decoupled' } as Partial<OptimizerConfig>],
  ['momentum 0 (plain SGD), no decay', { momentum: 0, weight_decay: 0 }],
  ['sgd with decoupled decay', { optimizer: 'sgd', weight_decay: 0.01, weight_decay_mode: 'decoupled' } as Partial<OptimizerConfig>],
];

/** Runs 6 updates with pseudo-random gradients and a changing lr; returns the final values. */
function run(cfg: OptimizerConfig, hostUpdate: boolean): Float32Array[] {
  let s = 7;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 2;
  const vars = [tf.variable(tf.tensor2d(Float32Array.from({ length: 300 }, rnd), [30, 10]), true, 'w'), tf.variable(tf.tensor1d(Float32Array.from({ length: 10 }, rnd)), true, 'b')];
  const opt = new Optimizer(cfg, vars, { hostUpdate });
  for (let step = 0; step < 6; step++) {
    const grads = { w: tf.tensor2d(Float32Array.from({ length: 300 }, rnd), [30, 10]), b: tf.tensor1d(Float32Array.from({ length: 10 }, rnd)) };
    opt.apply(grads, 0.01 * Math.cos(step / 7) + 1e-4 * step);
    tf.dispose(Object.values(grads));
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return out;
}

describe.each(['wasm', 'cpu'] as const)('the host optimiser update on %s', (backend) => {
  it.each(variants)('%s: bit-identical to the op sequence', async (_name, over) => {
    await initBackend(backend);
    const cfg = { ...base, ...over };
    const ops = run(cfg, false);
    const host = run(cfg, true);
    for (let i = 0; i < ops.length; i++) expect(Buffer.from(host[i]!.buffer).equals(Buffer.from(ops[i]!.buffer))).toBe(true);
    // and the updates moved the weights (the first initial value is rnd() of seed 7)
    expect(ops[0]![0]).not.toBe(Math.fround((((7 * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 2));
  });

  it('keeps the tensor count flat across steps', async () => {
    await initBackend(backend);
    const v = tf.variable(tf.ones([4, 4]), true, 'flat');
    const opt = new Optimizer(base, [v], { hostUpdate: true });
    const step = () => {
      const g = { flat: tf.fill([4, 4], 0.5) };
      opt.apply(g, 0.1);
      tf.dispose(Object.values(g));
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    v.dispose();
  });
});
