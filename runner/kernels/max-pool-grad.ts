/**
 * MaxPoolGrad for the wasm backend (the stock kernel costs ~25 ms for a [64,28,28,16] input, more
 * than the convolution around it). One pass over the output: for each window find, per channel,
 * the FIRST maximum in row-major window order (the `cpu` backend's tie rule, which matters after a
 * ReLU where windows of zeros are common) and add dy there.
 */
import { backend_util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { f32, type WasmBackend } from './heap';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function makeMaxPoolGrad(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    if (dy.dtype !== 'float32' || input.dtype !== 'float32') return original(args);
    const a = attrs as unknown as PoolAttrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;

    const dx = backend.makeOutput(input.shape, 'float32');
    const DX = f32(backend, dx);
    const X = f32(backend, input);
    const DY = f32(backend, dy);
    DX.fill(0);
    const rowStride = W * C;
    for (let b = 0; b < B; b++) {
      for (let oh = 0; oh < OH; oh++) {
        const h0 = oh * sh - top;
        const hLo = Math.max(0, h0);
        const hHi = Math.min(H, h0 + fh);
        for (let ow = 0; ow < OW; ow++) {
          const w0 = ow * sw - left;
          const wLo = Math.max(0, w0);
          const wHi = Math.min(W, w0 + fw);
          const first = (b * H + hLo) * rowStride + wLo * C;
          const o = ((b * OH + oh) * OW + ow) * C;
          for (let c = 0; c < C; c++) {
            let best = -Infinity;
            let at = -1;
            for (let ih = hLo, rowBase = first + c; ih < hHi; ih++, rowBase += rowStride) {
              for (let iw = wLo, p = rowBase; iw < wHi; iw++, p += C) {
                const v = X[p]!;
                if (v > best) {
                  best = v;
                  at = p;
                }
              }
            }
            if (at >= 0) DX[at] = DX[at]! + DY[o + c]!;
          }
        }
      }
    }
    return dx;
  }) as unknown as KernelFunc;
}
