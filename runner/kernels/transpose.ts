/**
 * Transpose for the wasm backend. The stock kernel computes every element's source index on its
 * own (0.5-0.6 ms for the [64,7,7,64] and [64,14,14,16] activations the convolution gradients
 * transpose on every cnn-digits step). Here a transpose of rank <= 4 is one strided copy
 * (simd.ts copy4): 16 bytes at a time when the last axis stays last, otherwise a strided gather.
 * Data movement only, so the bits are the stock kernel's. Other ranks, 1-byte and complex dtypes,
 * or no SIMD module: the stock kernel.
 */
import { util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, type WasmBackend } from './heap';
import { simdKernels, type View4 } from './simd';

type Quad = [number, number, number, number];

/** The copy that transposes `shape` by `perm` (rank <= 4), padded with leading unit axes. */
export function transposeView(shape: readonly number[], perm: readonly number[]): View4 {
  const r = shape.length;
  const inStr = util.computeStrides(shape as number[]).concat(1);
  const outShape = perm.map((a) => shape[a]!);
  const outStr = util.computeStrides(outShape).concat(1);
  const pad = 4 - r;
  const sizes = [1, 1, 1, 1] as Quad;
  const inStrides = [0, 0, 0, 0] as Quad;
  const outStrides = [0, 0, 0, 0] as Quad;
  for (let i = 0; i < r; i++) {
    sizes[pad + i] = outShape[i]!;
    inStrides[pad + i] = inStr[perm[i]!]!;
    outStrides[pad + i] = outStr[i]!;
  }
  return { sizes, inStrides, outStrides };
}

export function makeTranspose(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const perm = attrs.perm as number[];
    const dtype = x.dtype === 'float32' || x.dtype === 'int32' ? x.dtype : null;
    const simd = dtype && x.shape.length <= 4 && x.shape.length > 0 && util.sizeFromShape(x.shape) > 0 ? simdKernels(backend) : null;
    if (!simd || !dtype || perm.every((p, i) => p === i)) return original(args);
    const out = alloc(backend, perm.map((a) => x.shape[a]!), dtype);
    simd.copy4(x, out, transposeView(x.shape, perm));
    return out;
  }) as unknown as KernelFunc;
}
