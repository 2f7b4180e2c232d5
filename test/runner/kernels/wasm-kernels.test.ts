/**
 * Every custom wasm kernel (runner/kernels) against the pure-JS `cpu` backend: relative error
 * < 1e-4 over shapes, strides, paddings and batch sizes chosen to hit each code path
 * (conv-over-batch and im2col filter gradients, col2im and flipped-conv input gradients,
 * transposed / batched / broadcast matmuls).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, beforeAll } from 'vitest';
import { registerWasmKernels, unregisterWasmKernels } from '../../../runner/kernels';
import { middleBlock } from '../../../runner/kernels/reduce';
import { withoutSimd } from '../../../runner/kernels/simd';
import { withUnusedInputGradients } from '../../../runner/kernels/unused-input-grad';
import { useWasmBackend } from '../../../runner/kernels/node-wasm';
import { compare, rand, runKernel } from '../_helpers/kernels';

const TOL = 1e-4;
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  x: [number, number, number, number];
  f: [number, number];
  co: number;
  strides: number | [number, number];
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 8, 3], f: [3, 3], co: 5, strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3], co: 5, strides: 1, pad: 'valid' },
  { x: [3, 9, 8, 4], f: [3, 3], co: 6, strides: 2, pad: 'same' },
  { x: [3, 9, 8, 4], f: [3, 3], co: 6, strides: 2, pad: 'valid' }, // width leaves a remainder: im2col path
  { x: [1, 11, 10, 8], f: [5, 5], co: 4, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 12], f: [3, 3], co: 8, strides: 1, pad: 'same' }, // CI >= 8, stride 1: flipped conv
  { x: [2, 7, 6, 9], f: [2, 3], co: 3, strides: [2, 1], pad: 'valid' },
  { x: [2, 6, 6, 10], f: [1, 1], co: 7, strides: 1, pad: 'valid' }, // 1x1: plain matmul path
  { x: [4, 6, 5, 2], f: [3, 3], co: 3, strides: 1, pad: 1 },
  { x: [2, 8, 9, 3], f: [3, 3], co: 4, strides: 2, pad: [[0, 0], [1, 2], [2, 1], [0, 0]] },
  { x: [1, 28, 28, 1], f: [5, 5], co: 16, strides: 2, pad: 'same' }, // cnn-digits' first layer
];

function label(c: ConvCase): string {
  return `x=${c.x} f=${c.f}x${c.co} s=${c.strides} pad=${JSON.stringify(c.pad)}`;
}

beforeAll(async () => {
  await useWasmBackend();
});

describe('kernel registration', () => {
  it('registers on the tfjs-core instance that tfjs and tfjs-backend-wasm share', async () => {
    const names = registerWasmKernels();
    expect(names).toEqual(expect.arrayContaining(['BatchMatMul', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Tile']));
    const core = await import('@tensorflow/tfjs-core');
    expect(core.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc);
    expect(core.engine()).toBe(tf.engine());
    expect(registerWasmKernels()).toEqual(names); // idempotent
  });

  it('unregister restores the stock kernels (Conv2DBackpropFilter missing again)', async () => {
    unregisterWasmKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBeDefined();
    registerWasmKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});

describe('Conv2DBackpropFilter', () => {
  it.each(CONV_CASES)('matches cpu: %s', async (c) => {
    const err = await compare(() => {
      const x = rand(c.x, 1);
      const w = rand([...c.f, c.x[3], c.co], 2) as tf.Tensor4D;
      const y = tf.conv2d(x as tf.Tensor4D, w, c.strides, c.pad);
      const dy = rand(y.shape, 3);
      return runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: w.shape });
    });
    expect(err, label(c)).toBeLessThan(TOL);
  });
});

describe('Conv2DBackpropInput', () => {
  it.each(CONV_CASES)('matches cpu: %s', async (c) => {
    const err = await compare(() => {
      const w = rand([...c.f, c.x[3], c.co], 4) as tf.Tensor4D;
      const y = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, w, c.strides, c.pad);
      const dy = rand(y.shape, 5);
      return runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x });
    });
    expect(err, label(c)).toBeLessThan(TOL);
  });

  it('gives fresh results when called again with new values of the same shapes', async () => {
    // The C++ side caches packed filters by tensor id; a reused buffer would return stale results.
    const err = await compare(() => {
      const outs: tf.Tensor[] = [];
      for (let seed = 10; seed < 13; seed++) {
        const w = rand([3, 3, 12, 8], seed);
        const dy = rand([2, 7, 7, 8], seed + 100);
        outs.push(runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 7, 7, 12] }));
        outs.push(runKernel('Conv2DBackpropFilter', { x: rand([2, 7, 7, 12], seed + 200), dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 12, 8] }));
      }
      return outs;
    });
    expect(err).toBeLessThan(TOL);
  });

  it('rejects NCHW with a clear error', async () => {
    await useWasmBackend();
    expect(() =>
      tf.tidy(() => runKernel('Conv2DBackpropFilter', { x: tf.zeros([1, 2, 5, 5]), dy: tf.zeros([1, 2, 5, 5]) }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] })),
    ).toThrow(/NHWC/);
  });
});

describe('BatchMatMul / _FusedMatMul', () => {
  const cases: { a: number[]; b: number[]; tA: boolean; tB: boolean }[] = [
    { a: [5, 7], b: [7, 3], tA: false, tB: false },
    { a: [7, 5], b: [7, 3], tA: true, tB: false },
    { a: [5, 7], b: [3, 7], tA: false, tB: true },
    { a: [7, 5], b: [3, 7], tA: true, tB: true },
    { a: [4, 6, 9], b: [4, 9, 2], tA: false, tB: false }, // real batches
    { a: [4, 9, 6], b: [4, 2, 9], tA: true, tB: true },
    { a: [3, 6, 9], b: [1, 9, 5], tA: false, tB: false }, // broadcast right-hand side
    { a: [1, 9, 6], b: [3, 9, 5], tA: true, tB: false }, // broadcast left-hand side
    { a: [2, 3, 4, 5], b: [2, 3, 5, 6], tA: false, tB: false }, // rank 4
    { a: [128, 784], b: [128, 64], tA: true, tB: false }, // a Dense weight gradient
  ];
  it.each(cases)('BatchMatMul matches cpu: %j', async (c) => {
    const err = await compare(() => tf.matMul(rand(c.a, 6), rand(c.b, 7), c.tA, c.tB));
    expect(err).toBeLessThan(TOL);
  });
  it.each([
    [false, true],
    [true, false],
    [true, true],
  ])('_FusedMatMul with bias + relu, transposeA=%s transposeB=%s', async (tA, tB) => {
    const err = await compare(() => {
      const a = rand(tA ? [9, 6] : [6, 9], 8) as tf.Tensor2D;
      const b = rand(tB ? [4, 9] : [9, 4], 9) as tf.Tensor2D;
      return tf.fused.matMul({ a, b, transposeA: tA, transposeB: tB, bias: rand([4], 10), activation: 'relu' });
    });
    expect(err).toBeLessThan(TOL);
  });
});

describe('MaxPoolGrad', () => {
  const cases: { x: [number, number, number, number]; size: number; strides: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid' },
    { x: [2, 9, 7, 4], size: 3, strides: 2, pad: 'same' },
    { x: [1, 6, 6, 5], size: 3, strides: 1, pad: 'same' },
    { x: [3, 7, 9, 2], size: 2, strides: 1, pad: 'valid' },
  ];
  it.each(cases)('matches cpu: %j', async (c) => {
    const err = await compare(() => tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad).mul(rand([1], 11).add(2)).sum())(rand(c.x, 12)));
    expect(err).toBeLessThan(TOL);
  });
  it('sends the gradient of a tied window to its first maximum, as cpu does', async () => {
    // After a ReLU, windows of zeros are common; integers in {0,1,2} make many ties.
    const err = await compare(() => {
      const x = rand([2, 6, 6, 3], 13).mul(2).round().relu();
      const dy = rand([2, 3, 3, 3], 14);
      const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
      return runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' });
    });
    expect(err).toBe(0);
  });
});

describe('Tile', () => {
  it.each([
    { shape: [1, 1, 1, 4], reps: [3, 5, 2, 1] },
    { shape: [2, 3], reps: [2, 3] },
    { shape: [3, 1, 2], reps: [1, 4, 1] },
    { shape: [2, 2], reps: [1, 1] },
  ])('float32 matches cpu: %j', async ({ shape, reps }) => {
    expect(await compare(() => tf.tile(rand(shape, 15), reps))).toBe(0);
  });
  it('int32 and bool tensors', async () => {
    expect(await compare(() => tf.tile(tf.tensor2d([[1, 2], [3, 4]], undefined, 'int32'), [2, 3]).toFloat())).toBe(0);
    expect(await compare(() => tf.tile(tf.tensor1d([true, false], 'bool'), [3]).toFloat())).toBe(0);
  });
});

/** fn on the stock wasm kernels, then on the custom ones: the outputs' exact values. */
async function stockVsCustom(fn: () => tf.Tensor): Promise<{ stock: Float32Array; custom: Float32Array; shapes: [number[], number[]] }> {
  await useWasmBackend();
  unregisterWasmKernels();
  try {
    const a = tf.tidy(fn);
    const stock = Float32Array.from(a.dataSync() as Float32Array);
    const stockShape = a.shape;
    a.dispose();
    registerWasmKernels();
    const b = tf.tidy(fn);
    const custom = Float32Array.from(b.dataSync() as Float32Array);
    const customShape = b.shape;
    b.dispose();
    return { stock, custom, shapes: [stockShape, customShape] };
  } finally {
    registerWasmKernels();
  }
}

describe('Sum / Mean over middle axes', () => {
  it.each([
    { shape: [64, 7, 7, 16], axis: [0, 1, 2], keepDims: false }, // a bias gradient
    { shape: [8, 7, 7, 16], axis: [1, 2], keepDims: false }, // global average pooling
    { shape: [8, 7, 7, 16], axis: [1, 2], keepDims: true },
    { shape: [300, 5], axis: 0, keepDims: false },
    { shape: [3, 40, 6], axis: [-2], keepDims: true },
    { shape: [4, 5, 6], axis: [2], keepDims: false }, // innermost: the stock kernel
    { shape: [4, 5, 6], axis: [0, 2], keepDims: false }, // not contiguous: the stock kernel
  ])('bit-identical to the stock kernel: %j', async ({ shape, axis, keepDims }) => {
    // Values of mixed magnitudes, so a different summation order would show in the low bits.
    const x = () => tf.mul(rand(shape, 21), tf.pow(10, tf.mul(rand(shape, 22), 3)));
    for (const op of [tf.sum, tf.mean]) {
      const r = await stockVsCustom(() => op(x(), axis, keepDims));
      expect(r.shapes[1]).toEqual(r.shapes[0]);
      expect(Buffer.from(r.custom.buffer).equals(Buffer.from(r.stock.buffer))).toBe(true);
    }
  });

  it('the SIMD module starts on this tfjs-backend-wasm (else these kernels fall back to the stock ones, slowly)', async () => {
    await useWasmBackend();
    const { simdKernels } = await import('../../../runner/kernels/simd');
    expect(simdKernels(tf.backend() as never)).not.toBeNull();
  });

  it('takes the fast path only for a contiguous block of axes before the last one', () => {
    expect(middleBlock([64, 7, 7, 16], [0, 1, 2])).toMatchObject({ outer: 1, reduce: 64 * 49, inner: 16 });
    expect(middleBlock([8, 7, 7, 16], [2, 1])).toMatchObject({ outer: 8, reduce: 49, inner: 16 });
    expect(middleBlock([4, 5, 6], [2])).toBeNull();
    expect(middleBlock([4, 5, 6], [0, 2])).toBeNull();
  });

  it('int32 sums keep the stock kernel', async () => {
    expect(await compare(() => tf.sum(tf.tensor2d([[1, 2], [3, 4], [5, 6]], undefined, 'int32'), 0).toFloat())).toBe(0);
  });
});

/** fn with the SIMD module, then without (each kernel's fallback): exact values of both. */
async function simdVsFallback(fn: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  await useWasmBackend();
  const run = () => tf.tidy(() => Float32Array.from(fn().dataSync() as Float32Array));
  return [run(), withoutSimd(run)];
}

describe('SIMD paths are bit-identical to their fallbacks', () => {
  it.each(CONV_CASES)('Conv2DBackpropInput (col2im / canvas): $x $f $co s=$strides', async (c) => {
    const oh = (n: number, s: number) => (c.pad === 'same' ? Math.ceil(n / s) : Math.ceil((n - c.f[0] + 1) / s));
    const strides = typeof c.strides === 'number' ? [c.strides, c.strides] : c.strides;
    if (typeof c.pad !== 'string') return; // explicit paddings: covered against cpu above
    const dy = rand([c.x[0], oh(c.x[1], strides[0]!), oh(c.x[2], strides[1]!), c.co], 61);
    const w = rand([c.f[0], c.f[1], c.x[3], c.co], 62);
    const [simd, fallback] = await simdVsFallback(() => runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }));
    expect(Buffer.from(simd.buffer).equals(Buffer.from(fallback.buffer))).toBe(true);
  });

  it.each([
    { shape: [64, 7, 7, 16], perm: [1, 2, 0, 3] },
    { shape: [6, 7, 5, 3], perm: [3, 1, 2, 0] },
    { shape: [5, 9], perm: [1, 0] },
    { shape: [2, 3, 4], perm: [2, 0, 1] },
    { shape: [3, 1, 4, 6], perm: [0, 2, 1, 3] },
  ])('Transpose $shape by $perm (float32 and int32; stock kernel as the fallback)', async ({ shape, perm }) => {
    const [simd, fallback] = await simdVsFallback(() => tf.transpose(rand(shape, 63), perm));
    expect(Buffer.from(simd.buffer).equals(Buffer.from(fallback.buffer))).toBe(true);
    const ints = () => tf.transpose(tf.cast(tf.mul(rand(shape, 64), 1000), 'int32'), perm).toFloat();
    const [si, fi] = await simdVsFallback(ints);
    expect(Array.from(si)).toEqual(Array.from(fi));
    expect(await compare(() => tf.transpose(rand(shape, 65), perm))).toBe(0);
  });
});

describe('Mean gradient (kernels/mean-grad.ts)', () => {
  it.each([
    { shape: [6, 5, 5, 8], axis: [1, 2] }, // global average pooling
    { shape: [12, 10], axis: -1 },
    { shape: [7], axis: 0 },
  ])('bit-identical to tfjs-core gradient: %j', async ({ shape, axis }) => {
    const w = () => tf.mul(rand(shape, 51), tf.pow(10, tf.mul(rand(shape, 52), 3)));
    const g = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mean(x, axis), rand(tf.mean(tf.zeros(shape), axis).shape, 53))))(w());
    const r = await stockVsCustom(g);
    expect(r.shapes[1]).toEqual(r.shapes[0]);
    expect(Buffer.from(r.custom.buffer).equals(Buffer.from(r.stock.buffer))).toBe(true);
    const { meanGrad } = await import('../../../runner/kernels/mean-grad');
    expect(tf.getGradient('Mean')?.gradFunc).toBe(meanGrad.gradFunc);
  });
});

describe('Identity / same-dtype Cast share the buffer', () => {
  it('the copy holds the same values, outlives its source, and frees the buffer with the last holder', async () => {
    await useWasmBackend();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    const x = rand([5, 7], 31);
    const want = Float32Array.from(x.dataSync() as Float32Array);
    const c = x.clone();
    const k = tf.cast(x, 'float32');
    expect(backend.numDataIds()).toBe(ids + 1); // one buffer, three tensors
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual(Array.from(want));
    c.dispose();
    expect(Array.from(k.dataSync())).toEqual(Array.from(want));
    k.dispose();
    expect(backend.numDataIds()).toBe(ids);
  });

  it('a real conversion still converts', async () => {
    expect(await compare(() => tf.cast(tf.tensor1d([1.7, -2.2, 0.4]), 'int32').toFloat())).toBe(0);
    expect(await compare(() => tf.cast(tf.tensor1d([1, 0, 3], 'int32'), 'float32'))).toBe(0);
  });
});

describe('unused input gradients', () => {
  const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 12, 12, 1] };
  it('answers zeros of the input shape for a marked filter, inside the scope only', async () => {
    await useWasmBackend();
    const w = rand([5, 5, 1, 4], 41);
    const other = rand([5, 5, 1, 4], 42);
    const dy = rand([2, 6, 6, 4], 43);
    const grad = (f: tf.Tensor) => tf.tidy(() => Array.from(runKernel('Conv2DBackpropInput', { dy, filter: f }, attrs).dataSync()));
    const normal = grad(w);
    expect(normal.some((v) => v !== 0)).toBe(true);
    withUnusedInputGradients([w], () => {
      const skipped = tf.tidy(() => runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs));
      expect(skipped.shape).toEqual([2, 12, 12, 1]);
      expect(Array.from(skipped.dataSync()).every((v) => v === 0)).toBe(true);
      skipped.dispose();
      expect(grad(other)).toEqual(grad(other.clone())); // unmarked filters compute as usual
      expect(grad(other).some((v) => v !== 0)).toBe(true);
      expect(grad(w.clone())).toEqual(normal.map(() => 0)); // a clone shares the marked buffer
    });
    expect(grad(w)).toEqual(normal);
    tf.dispose([w, other, dy]);
  });
});

describe('memory', () => {
  it('kernels free their temporaries (wasm data ids and tensors do not grow)', async () => {
    await useWasmBackend();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = rand([2, 9, 8, 12], 1);
    const w = rand([3, 3, 12, 6], 2);
    const dy = rand([2, 9, 8, 6], 3);
    const body = () =>
      tf.tidy(() => {
        runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 12, 6] });
        runKernel('Conv2DBackpropFilter', { x, dy: rand([2, 4, 3, 6], 4) }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 12, 6] });
        runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 9, 8, 12] });
        runKernel('Conv2DBackpropInput', { dy: rand([2, 5, 4, 6], 4), filter: w }, { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 9, 8, 12] });
        tf.matMul(rand([3, 4, 5], 5), rand([3, 6, 5], 6), false, true);
        tf.matMul(rand([5, 4], 5), rand([5, 6], 6), true, false);
      });
    body();
    const ids = backend.numDataIds();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) body();
    expect(backend.numDataIds()).toBe(ids);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, w, dy]);
  });
});
