/**
 * Tile for the wasm backend. The stock kernel walks every output element through index arithmetic
 * (~100 ms to tile a [1,1,1,16] vector to [64,28,28,16]); BatchNorm gradients tile per-channel
 * vectors to the full activation shape on every step. Here each dimension is tiled as block copies,
 * innermost first, and a block repeated many times is doubled with copyWithin (memcpy speed).
 */
import { type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo, type TypedArray } from '@tensorflow/tfjs';
import type { WasmBackend } from './heap';

/** Writes `count` back-to-back copies of src[0, len) into dst starting at `at`. */
function repeat(dst: TypedArray, at: number, src: TypedArray, len: number, count: number): void {
  dst.set(src.subarray(0, len), at);
  let filled = len;
  const total = len * count;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(at + filled, at, at + n);
    filled += n;
  }
}

/** Pure tiling of a dense row-major buffer (exported for tests). */
export function tileBuffer(src: TypedArray, shape: number[], reps: number[], out: TypedArray): void {
  // Work buffer holds the tensor tiled along dims > d; process d from last to first.
  let cur: TypedArray = src;
  const curShape = [...shape];
  for (let d = shape.length - 1; d >= 0; d--) {
    const r = reps[d]!;
    if (r === 1) continue;
    const block = curShape.slice(d).reduce((p, q) => p * q, 1); // one slice at dim d, inner dims tiled
    const outer = curShape.slice(0, d).reduce((p, q) => p * q, 1);
    const isLast = !reps.slice(0, d).some((x) => x !== 1);
    const next: TypedArray = isLast ? out : new (cur.constructor as new (n: number) => TypedArray)(outer * block * r);
    for (let o = 0; o < outer; o++) repeat(next, o * block * r, cur.subarray(o * block, (o + 1) * block), block, r);
    cur = next;
    curShape[d] = curShape[d]! * r;
  }
  if (cur === src) out.set(src);
}

export function makeTile(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const reps = (attrs as unknown as { reps: number[] }).reps;
    if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) return original(args);
    const outShape = x.shape.map((s, i) => s * reps[i]!);
    const out = backend.makeOutput(outShape, x.dtype);
    if (outShape.some((s) => s === 0)) return out;
    tileBuffer(backend.typedArrayFromHeap(x), x.shape, reps, backend.typedArrayFromHeap(out));
    return out;
  }) as unknown as KernelFunc;
}
