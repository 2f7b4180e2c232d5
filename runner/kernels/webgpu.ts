/**
 * The runner's kernels for the webgpu backend. tfjs-backend-webgpu 4.22's Conv2DBackpropFilter
 * runs one thread per filter weight, each summing batch x out-height x out-width products with
 * strided reads: on the cnn-digits FT step it is the slowest kernel (docs/performance.md, GPU
 * section). For stride 1 (NHWC, no dilation) the filter gradient is itself a convolution:
 *
 *   dW[kh, kw, ci, co] = sum_{n,i,j} x_pad[n, i + kh, j + kw, ci] * dy[n, i, j, co]
 *                      = conv2d(x^T, dy^T)[ci, kh, kw, co]
 *
 * with x^T = x transposed to [ci, H, W, n] (the batch becomes the channels), dy^T = dy transposed
 * to [Ho, Wo, n, co] (a filter) and the forward pass's padding: the backend's own tiled
 * Conv2D (im2col + matmul, or its matmul-based program) does the reduction. Other strides and
 * layouts, and short reductions, call the stock kernel. Measured only on Mesa's llvmpipe so far, at
 * the cnn-digits batch-64 shapes on a machine at load 8-16: the third convolution's filter gradient
 * 977 -> 813 and 1031 -> 520 ms, the first two mixed (307 -> 188 and 65 -> 83; 1028 -> 436 and
 * 258 -> 307 ms); a GPU's answer comes from scripts/gpu-smoke.sh (its profile times both). Gradient parity against the cpu backend:
 * test/runner/kernels/webgpu-kernels.test.ts. HEADPREP_WEBGPU_STOCK_KERNELS=1 keeps tfjs's kernels
 * (for A/B timing).
 */
import { backend_util, getKernel, registerKernel, unregisterKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';

type Attrs = { strides: [number, number] | number; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
interface Backend {
  disposeData(dataId: object): void;
}

let stock: KernelFunc | null = null;

/** batch x out-height x out-width below which the stock kernel runs (it is fine for short sums). */
export const MIN_REDUCTION = 256;

/** The stock tfjs-backend-webgpu Conv2DBackpropFilter (for tests and timing), once registerWebGpuKernels ran. */
export function stockConv2DBackpropFilter(): KernelFunc | null {
  return stock;
}

/** Registers the runner's webgpu kernels (after the backend package is imported); returns their names. */
export function registerWebGpuKernels(): string[] {
  if (process.env.HEADPREP_WEBGPU_STOCK_KERNELS === '1') return [];
  const conv2d = getKernel('Conv2D', 'webgpu')?.kernelFunc;
  const transpose = getKernel('Transpose', 'webgpu')?.kernelFunc;
  const current = getKernel('Conv2DBackpropFilter', 'webgpu');
  if (!conv2d || !transpose || !current) return [];
  if ((current.kernelFunc as { headprep?: boolean }).headprep) return ['Conv2DBackpropFilter'];
  const original = current.kernelFunc;
  stock = original;
  const kernelFunc: KernelFunc & { headprep?: boolean } = (args) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as Attrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      a.filterShape,
      a.strides,
      1,
      a.pad,
      a.dimRoundingMode,
      false,
      backend_util.convertConv2DDataFormat(a.dataFormat),
    );
    // Small reductions stay with the stock kernel: three extra dispatches cost more than they save.
    if (info.dataFormat !== 'channelsLast' || info.strideHeight !== 1 || info.strideWidth !== 1 || x.dtype !== 'float32' || info.batchSize * info.outHeight * info.outWidth < MIN_REDUCTION)
      return original(args);
    const b = backend as unknown as Backend;
    const xT = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }) as TensorInfo;
    const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }) as TensorInfo;
    const p = info.padInfo;
    const out = conv2d({
      inputs: { x: xT, filter: dyT },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [
          [0, 0],
          [p.top, p.bottom],
          [p.left, p.right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    }) as TensorInfo;
    const dW = transpose({ inputs: { x: out }, backend, attrs: { perm: [1, 2, 0, 3] } }) as TensorInfo;
    b.disposeData(xT.dataId);
    b.disposeData(dyT.dataId);
    b.disposeData(out.dataId);
    return dW;
  };
  kernelFunc.headprep = true;
  unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  registerKernel({ ...current, kernelFunc });
  return ['Conv2DBackpropFilter'];
}
