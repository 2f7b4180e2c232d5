/**
 * Batching and inference helpers over flat Float32Array splits. Inference runs in fixed-size
 * chunks in example order (no dropped remainder), backbone in inference mode (training: false).
 */
import { Rng } from '../lib/rng';
import { exampleSize } from '../datasets/types';
import { tf } from './tf';

export const INFER_BATCH = 512;

/** Rows `idx` of a flat n x size array. */
export function gatherRows(src: Float32Array, size: number, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * size);
  for (let i = 0; i < idx.length; i++) {
    const j = idx[i]!;
    out.set(src.subarray(j * size, (j + 1) * size), i * size);
  }
  return out;
}

export function gatherLabels(src: Int32Array, idx: ArrayLike<number>): Int32Array {
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = src[idx[i]!]!;
  return out;
}

/**
 * Random shifts of image batches (shape [H, W, C]) by up to `maxShift` pixels in each direction,
 * zero-filled. Deterministic given the Rng. Inputs that are not images ([d]) are returned as is.
 */
export function shiftBatch(x: Float32Array, n: number, shape: readonly number[], maxShift: number, rng: Rng): Float32Array {
  if (shape.length !== 3 || maxShift === 0) return x;
  const [H, W, C] = shape as [number, number, number];
  const size = H * W * C;
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    for (let r = 0; r < H; r++) {
      const sr = r - dy;
      if (sr < 0 || sr >= H) continue;
      for (let c = 0; c < W; c++) {
        const sc = c - dx;
        if (sc < 0 || sc >= W) continue;
        for (let k = 0; k < C; k++) out[i * size + (r * W + c) * C + k] = x[i * size + (sr * W + sc) * C + k]!;
      }
    }
  }
  return out;
}

export function toTensor(x: Float32Array, n: number, shape: readonly number[]): tf.Tensor {
  return tf.tensor(x, [n, ...shape]);
}

/**
 * Applies `model` (inference mode) to all n examples in chunks; returns n x outDim values. Reads
 * back asynchronously: the webgpu backend has no synchronous read in Node (its readSync needs
 * OffscreenCanvas); on wasm and cpu `data()` gives the same values as dataSync.
 */
export async function inferAll(model: tf.LayersModel, x: Float32Array, n: number, shape: readonly number[]): Promise<Float32Array> {
  const size = exampleSize(shape);
  let out: Float32Array | null = null;
  let dim = 0;
  for (let s = 0; s < n; s += INFER_BATCH) {
    const m = Math.min(INFER_BATCH, n - s);
    const yT = tf.tidy(() => {
      const xb = toTensor(x.subarray(s * size, (s + m) * size), m, shape);
      return model.apply(xb, { training: false }) as tf.Tensor;
    });
    const y = (await yT.data()) as Float32Array;
    yT.dispose();
    if (!out) {
      dim = y.length / m;
      out = new Float32Array(n * dim);
    }
    out.set(y, s * dim);
  }
  return out ?? new Float32Array(0);
}
