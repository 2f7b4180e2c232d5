/**
 * Identity for the wasm backend. tfjs-core clones every tensor it saves for the backward pass
 * (Engine.clone runs Identity), and the stock wasm kernel copies the whole buffer each time: an MLP
 * step copied its input batch, its first weight matrix and every activation (25 copies a step).
 * Tensors are immutable on this backend (kernels write only to fresh outputs; Variable.assign
 * swaps the data id), so the clone can share the buffer and count a reference, as the cpu
 * backend's Identity and the wasm Reshape already do. String tensors keep the stock path.
 */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackend } from './heap';

export function makeIdentity(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return original(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  }) as unknown as KernelFunc;
}
