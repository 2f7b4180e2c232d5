/** Run the same computation on `cpu` and on `wasm` (custom kernels registered) and compare. */
import * as tf from '@tensorflow/tfjs';
import { useWasmBackend } from '../../../runner/kernels/node-wasm';

/** Deterministic values in [-1, 1) (mulberry32), so failures reproduce. */
export function values(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  }
  return out;
}

export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape.reduce((p, q) => p * q, 1), seed), shape);
}

export async function onBackend(name: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; data: Float32Array }[]> {
  if (name === 'wasm') await useWasmBackend();
  else await tf.setBackend('cpu');
  return tf.tidy(() => {
    const out = fn();
    return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape, data: Float32Array.from(t.dataSync() as Float32Array) }));
  });
}

/** max |a - b| / max |b| (relative to the reference's scale; 0 when both are all zeros). */
export function relError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Runs fn on both backends; returns the worst relative error over outputs (shapes must match). */
export async function compare(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ref = await onBackend('cpu', fn);
  const got = await onBackend('wasm', fn);
  if (ref.length !== got.length) throw new Error(`output count ${got.length} != ${ref.length}`);
  let worst = 0;
  ref.forEach((r, i) => {
    const g = got[i]!;
    if (JSON.stringify(g.shape) !== JSON.stringify(r.shape)) throw new Error(`shape ${g.shape} != ${r.shape}`);
    worst = Math.max(worst, relError(g.data, r.data));
  });
  return worst;
}

export function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as never) as tf.Tensor;
}
