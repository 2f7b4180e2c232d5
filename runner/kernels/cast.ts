/**
 * Cast for the wasm backend. tfjs-core's ReLU gradient casts its float32 mask to float32, and the
 * stock kernel copies the buffer even when the dtype does not change (three activation-sized
 * copies per cnn-digits step). A same-dtype cast shares the buffer and counts a reference (tensors
 * are immutable here; see identity.ts); every real conversion keeps the stock kernel.
 */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './heap';

export function makeCast(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string' || args.attrs.dtype !== x.dtype) return original(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  }) as unknown as KernelFunc;
}
