/**
 * The runner's webgpu Conv2DBackpropFilter (runner/kernels/webgpu.ts) against the cpu backend:
 * the cnn-digits shapes (5x5 and 3x3 filters, 'same'), a 'valid' one, a short reduction (the stock
 * kernel's case) and a stride-2 one (also stock), plus the gradient of a whole conv layer through
 * tf.grad. Skipped, with the reason, only where Dawn gives no adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebGpuKernels } from '../../../runner/kernels/webgpu';
import { initBackend } from '../../../runner/train/backend';
import { tf } from '../../../runner/train/tf';
import { classifyProbe, probeAdaptersInChild, releaseWebGpu } from '../../../runner/train/webgpu';

const probe = classifyProbe(probeAdaptersInChild());
const none = !probe.hardware && !probe.software;
if (none) console.warn(`skipping webgpu kernels: no adapter (${probe.notes.join('; ')})`);

type Shape4 = [number, number, number, number];
type Case = { x: Shape4; f: Shape4; pad: 'same' | 'valid'; stride: number };
const CASES: Case[] = [
  { x: [16, 28, 28, 1], f: [5, 5, 1, 16], pad: 'same', stride: 1 },
  { x: [16, 14, 14, 16], f: [3, 3, 16, 32], pad: 'same', stride: 1 },
  { x: [16, 7, 7, 32], f: [3, 3, 32, 64], pad: 'same', stride: 1 },
  { x: [8, 12, 12, 3], f: [3, 3, 3, 8], pad: 'valid', stride: 1 },
  { x: [2, 5, 5, 3], f: [3, 3, 3, 4], pad: 'same', stride: 1 },
  { x: [8, 16, 16, 8], f: [3, 3, 8, 16], pad: 'same', stride: 2 },
];

interface Ref {
  x: Float32Array;
  dy: Float32Array;
  dyShape: number[];
  dW: Float32Array;
  layerGrad: Float32Array;
}

describe.skipIf(none)('webgpu Conv2DBackpropFilter', () => {
  const refs: Ref[] = [];
  beforeAll(async () => {
    await initBackend('cpu');
    for (const c of CASES) {
      const x = tf.randomUniform(c.x, -1, 1, 'float32', 11) as tf.Tensor4D;
      const f = tf.randomUniform(c.f, -0.5, 0.5, 'float32', 12) as tf.Tensor4D;
      const y = tf.conv2d(x, f, c.stride, c.pad);
      const dy = tf.randomUniform(y.shape, -1, 1, 'float32', 13);
      const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: c.f }) as tf.Tensor;
      const layerGrad = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, c.stride, c.pad), dy)))(f);
      const f32 = (t: tf.Tensor) => Float32Array.from(t.dataSync());
      refs.push({ x: f32(x), dy: f32(dy), dyShape: dy.shape, dW: f32(dW), layerGrad: f32(layerGrad) });
      tf.dispose([x, f, y, dy, dW, layerGrad]);
    }
    const b = await initBackend('webgpu');
    expect(b.name).toBe('webgpu');
    expect(registerWebGpuKernels()).toEqual(['Conv2DBackpropFilter']);
    // The runner's kernel is the one registered (the stock one stays for short sums and stride 2).
    expect((tf.getKernel('Conv2DBackpropFilter', 'webgpu')?.kernelFunc as { headprep?: boolean }).headprep).toBe(true);
  }, 120_000);

  afterAll(async () => {
    releaseWebGpu();
    await initBackend('wasm');
  });

  const maxRelErr = (got: Float32Array, want: Float32Array) => {
    const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    return got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0) / scale;
  };

  CASES.forEach((c, i) => {
    it(`x ${c.x.join('x')}, filter ${c.f.join('x')}, ${c.pad}, stride ${c.stride}: equals cpu to float32 rounding`, async () => {
      const r = refs[i]!;
      const x = tf.tensor(r.x, c.x);
      const dy = tf.tensor(r.dy, r.dyShape);
      const dW = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: c.f }) as tf.Tensor;
      expect(dW.shape).toEqual(c.f);
      expect(maxRelErr((await dW.data()) as Float32Array, r.dW)).toBeLessThan(2e-5);
      const f = tf.zeros(c.f);
      const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), dy)))(f);
      expect(maxRelErr((await g.data()) as Float32Array, r.layerGrad)).toBeLessThan(2e-5);
      tf.dispose([x, dy, dW, f, g]);
    }, 120_000);
  });
});
