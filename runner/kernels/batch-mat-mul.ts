/**
 * BatchMatMul / _FusedMatMul for the wasm backend. The stock kernel takes XNNPACK's fast path only
 * for an un-transposed product with batch 1 on both sides; transposes and batch > 1 drop to a naive
 * loop (~20x slower; docs/engineering.md, 'TensorFlow.js backends in Node'). Backprop through
 * every Dense layer multiplies with transposeA or transposeB, so that path dominates MLP training.
 *
 * Here: materialise transposes with the (fast) Transpose kernel, fold a broadcast right-hand side
 * into the rows of the left one, and run real batches one matrix at a time, always calling the
 * ORIGINAL kernel with transposeA = transposeB = false.
 */
import { broadcast_util, util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, call, f32, free, transposeLast2, type WasmBackend } from './heap';

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

function sameDims(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Wraps the original BatchMatMul kernel function. */
export function makeBatchMatMul(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = util.sizeFromShape(outerA);
    const batchB = util.sizeFromShape(outerB);
    const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1;
    // Anything we do not handle (other dtypes, partial broadcasting) goes to the stock kernel.
    const handled = a.dtype === 'float32' && b.dtype === 'float32' && (batchB === 1 || batchA === 1 || sameDims(outerA, outerB));
    if (plain || !handled) return original(args);

    const temps: TensorInfo[] = [];
    const A = transposeA ? transposeLast2(backend, a) : a;
    const B = transposeB ? transposeLast2(backend, b) : b;
    if (A !== a) temps.push(A);
    if (B !== b) temps.push(B);
    try {
      const M = A.shape[A.shape.length - 2]!;
      const K = A.shape[A.shape.length - 1]!;
      const N = B.shape[B.shape.length - 1]!;
      if (B.shape[B.shape.length - 2] !== K)
        throw new Error(`Error in matMul: inner shapes (${K}) and (${B.shape[B.shape.length - 2]}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
      const outShape = [...broadcast_util.assertAndGetBroadcastShape(outerA, outerB), M, N];
      const fast = (x: TensorInfo, y: TensorInfo): TensorInfo => call(original, backend, { a: x, b: y }, { transposeA: false, transposeB: false });

      if (batchB === 1) {
        // Broadcast right-hand side: one [batchA*M, K] x [K, N] product.
        const A2: TensorInfo = { ...A, shape: [1, batchA * M, K] };
        const B2: TensorInfo = { ...B, shape: [1, K, N] };
        const out = fast(A2, B2);
        out.shape = outShape;
        return out;
      }
      // Real batches: copy each matrix into a batch-1 tensor and multiply it on the fast path.
      const batch = Math.max(batchA, batchB);
      const out = alloc(backend, [batch, M, N]);
      const ai = alloc(backend, [1, M, K]);
      temps.push(ai);
      for (let i = 0; i < batch; i++) {
        const ia = batchA === 1 ? 0 : i;
        f32(backend, ai).set(f32(backend, A).subarray(ia * M * K, (ia + 1) * M * K));
        // A fresh right-hand tensor each time: the C++ side caches packed weights by tensor id, so
        // refilling one buffer would silently reuse the first matrix.
        const bi = alloc(backend, [1, K, N]);
        f32(backend, bi).set(f32(backend, B).subarray(i * K * N, (i + 1) * K * N));
        const oi = fast(ai, bi);
        free(backend, bi);
        f32(backend, out).set(f32(backend, oi), i * M * N);
        free(backend, oi);
      }
      out.shape = outShape;
      return out;
    } finally {
      for (const t of temps) free(backend, t);
    }
  }) as unknown as KernelFunc;
}

/**
 * _FusedMatMul (matMul + bias + activation, used by Dense layers): only the transposes are slow
 * here; materialise them and call the original with transposeA = transposeB = false.
 */
export function makeFusedMatMul(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as MatMulAttrs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return original(args);
    const A = transposeA ? transposeLast2(backend, a) : a;
    const B = transposeB ? transposeLast2(backend, b) : b;
    try {
      return call(original, backend, { ...inputs, a: A, b: B }, { ...attrs, transposeA: false, transposeB: false });
    } finally {
      if (A !== a) free(backend, A);
      if (B !== b) free(backend, B);
    }
  }) as unknown as KernelFunc;
}
