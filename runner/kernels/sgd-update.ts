/**
 * HeadprepSgdUpdate: one SGD / momentum update of a variable in one kernel call on the wasm
 * backend (simd.ts), instead of 4-9 tfjs ops each with its own dispatch, temporaries and tape
 * bookkeeping (train/optim.ts). Per element it performs the same float32 operations in the same
 * order as those ops, with the scalars rounded to float32 as tfjs does, so the weights it writes
 * are bit-identical (test/runner/train/optim-fused.test.ts).
 *
 * Inputs {v, g, buf} (buf: the momentum buffer; pass v when there is none); attrs
 * {coupled, momentum: 'none' | 'plain' | 'nesterov', decoupled, wd, m, lr, lrwd}. Outputs
 * [v', buf'], or [v'] without momentum.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { alloc, type WasmBackend } from './heap';
import { simdKernels, type SgdVariant } from './simd';

export const SGD_UPDATE = 'HeadprepSgdUpdate';

export interface SgdUpdateAttrs extends SgdVariant {
  wd: number;
  m: number;
  lr: number;
  /** lr * wd as the decoupled decay multiplies it (JavaScript double, rounded to float32 here). */
  lrwd: number;
}

export function makeSgdUpdate(): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend } = args;
    const a = args.attrs as unknown as SgdUpdateAttrs;
    const { v, g, buf } = inputs as { v: TensorInfo; g: TensorInfo; buf: TensorInfo };
    const simd = simdKernels(backend);
    if (!simd) throw new Error(`${SGD_UPDATE}: the SIMD module is not available on this backend (check fusedSgdAvailable first)`);
    for (const [name, t] of Object.entries({ g, buf }))
      if (t.dtype !== 'float32' || t.shape.join() !== v.shape.join() || v.dtype !== 'float32')
        throw new Error(`${SGD_UPDATE}: '${name}' must be float32 of shape [${v.shape}], got ${t.dtype} [${t.shape}]`);
    const outV = alloc(backend, [...v.shape]);
    const outBuf = a.momentum === 'none' ? outV : alloc(backend, [...v.shape]);
    const f = Math.fround;
    simd.sgd(a, { v, g, buf, outV, outBuf }, { wd: f(a.wd), m: f(a.m), lr: f(a.lr), lrwd: f(a.lrwd) });
    return a.momentum === 'none' ? [outV] : [outV, outBuf];
  }) as unknown as KernelFunc;
}

/** True when the active backend runs HeadprepSgdUpdate (wasm, custom kernels and SIMD module present). */
export function fusedSgdAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(SGD_UPDATE, 'wasm') !== undefined && simdKernels(tf.backend() as unknown as WasmBackend) !== null;
}
