/**
 * Low-level access to the wasm backend's heap for the custom kernels in this folder.
 *
 * Shapes: every tensor on the wasm backend is a dense, row-major buffer on the wasm heap; a
 * TensorInfo's dataId maps to {id, memoryOffset}. `typedArrayFromHeap` returns a VIEW of the heap:
 * any later allocation can grow the heap and detach it, so take views only after all allocations of
 * a kernel step (the helpers below re-take them on every call).
 */
import { getKernel, type KernelConfig, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmBackend = BackendWasm;

/** Float32 view of a tensor's heap buffer (valid until the next allocation). */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Allocates an uninitialised float32 (or int32) tensor on the heap; free it with `free` unless returned. */
export function alloc(backend: WasmBackend, shape: number[], dtype: 'float32' | 'int32' = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

export function free(backend: WasmBackend, t: TensorInfo): void {
  backend.disposeData(t.dataId);
}

/** The kernel currently registered for `name` on wasm, or a clear error. */
export function wasmKernel(name: string): KernelConfig {
  const k = getKernel(name, 'wasm');
  if (!k) throw new Error(`wasm kernel '${name}' is not registered (is @tensorflow/tfjs-backend-wasm imported?)`);
  return k;
}

export function call(fn: KernelFunc, backend: WasmBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const out = fn({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error('expected a single-output kernel');
  return out;
}

/** [..., r, c] -> [..., c, r] as a new dense tensor, using the wasm Transpose kernel. */
export function transposeLast2(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return call(wasmKernel('Transpose').kernelFunc, backend, { x }, { perm });
}
