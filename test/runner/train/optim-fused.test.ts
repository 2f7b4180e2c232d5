/**
 * The fused SGD / momentum update (runner/kernels/sgd-update.ts, used by train/optim.ts on wasm)
 * against the op-by-op update: every variant, sizes that are and are not multiples of the SIMD
 * width, several steps with changing learning rates; the weights and momentum buffers must be
 * bit-identical.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerConfig } from '../../../runner/train/optim';
import { Optimizer } from '../../../runner/train/optim';
import { registerWasmKernels, unregisterWasmKernels } from '../../../runner/kernels';
import { fusedSgdAvailable } from '../../../runner/kernels/sgd-update';
import { useWasmBackend } from '../../../runner/kernels/node-wasm';
import { values } from '../_helpers/kernels';

const SHAPES = [[7, 3], [5], [64, 10], [13, 17]];

function base(over: Partial<OptimizerConfig>): OptimizerConfig {
  return { optimizer: 'momentum', momentum: 0.9, nesterov: true, lr: 0.1, schedule: 'constant', lr_min: 0, warmup_epochs: 0, weight_decay: 5e-4, weight_decay_mode: 'l2', batch_size: 8, ...over } as OptimizerConfig;
}

const CASES: [string, Partial<OptimizerConfig>][] = [
  ['nesterov + coupled L2 (suites @2)', {}],
  ['plain momentum + coupled L2', { nesterov: false }],
  ['momentum + decoupled decay (suites @1)', { weight_decay_mode: 'decoupled' as never }],
  ['nesterov, no decay', { weight_decay: 0 }],
  ['momentum 0', { momentum: 0 }],
  ['sgd + decoupled decay', { optimizer: 'sgd', momentum: 0, weight_decay_mode: 'decoupled' as never, weight_decay: 1e-2 }],
  ['sgd + coupled L2', { optimizer: 'sgd', momentum: 0, weight_decay: 3e-3 }],
];

/** Runs 4 updates; returns every variable's and momentum buffer's bits. */
function run(cfg: OptimizerConfig, fused: boolean): Uint32Array[] {
  if (fused) registerWasmKernels();
  else unregisterWasmKernels();
  expect(fusedSgdAvailable()).toBe(fused);
  const vars = SHAPES.map((s, i) => tf.variable(tf.tensor(values(s.reduce((p, q) => p * q, 1), 100 + i), s), true, `w${i}`));
  const opt = new Optimizer(cfg, vars);
  for (let step = 0; step < 4; step++) {
    const grads = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(values(v.size, 1000 * step + i), v.shape)]));
    opt.apply(grads, 0.1 * Math.cos(step / 3) + 1e-3 * step);
    tf.dispose(Object.values(grads));
  }
  const slots = [...(opt as unknown as { slots: Map<tf.Variable, tf.Variable[]> }).slots.values()].flat();
  const out = [...vars, ...slots].map((t) => new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));
  opt.dispose();
  tf.dispose(vars);
  return out;
}

beforeAll(async () => {
  await useWasmBackend();
});
afterAll(() => {
  registerWasmKernels();
});

describe('fused SGD update on wasm', () => {
  it.each(CASES)('%s: bit-identical to the op-by-op update', (_, over) => {
    const cfg = base(over);
    const ops = run(cfg, false);
    const fused = run(cfg, true);
    expect(fused.length).toBe(ops.length);
    fused.forEach((f, i) => expect(Array.from(f)).toEqual(Array.from(ops[i]!)));
  });

  it('keeps the tensor count flat', () => {
    registerWasmKernels();
    const v = tf.variable(tf.ones([9, 4]), true, 'flat');
    const opt = new Optimizer(base({}), [v]);
    const g = { flat: tf.ones([9, 4]) };
    opt.apply(g, 0.1);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.apply(g, 0.1);
    expect(tf.memory().numTensors).toBe(n);
    opt.dispose();
    tf.dispose([v, g.flat]);
  });
});
