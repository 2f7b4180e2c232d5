/**
 * Conv2D gradients for the wasm backend (NHWC only, dilation 1 as tfjs requires for conv gradients).
 *
 * - Conv2DBackpropFilter is missing from tfjs-backend-wasm 4.22 (CNN training fails outright).
 *   dW[kh,kw,ci,co] = sum over (b,oh,ow) of x[b, oh*sh-top+kh, ow*sw-left+kw, ci] * dy[b,oh,ow,co]
 *   = P^T @ dy, where P^T is the transposed im2col matrix [KH*KW*CI, B*OH*OW]. P^T is written
 *   straight onto the heap (no separate transpose) and the product runs on XNNPACK's fast path.
 * - Conv2DBackpropInput exists but is a scalar loop. dx is a stride-1 'valid' convolution of dy,
 *   dilated by the stride and zero-padded by (K-1-pad), with the filter flipped in space and its
 *   in/out channels swapped; that convolution runs on the fast Conv2D kernel.
 */
import { backend_util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, call, f32, free, transposeLast2, wasmKernel, type WasmBackend } from './heap';
import { simdKernels } from './simd';
import { inputGradientUnused } from './unused-input-grad';

interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function convInfo(xShape: number[], filterShape: number[], a: ConvGradAttrs, kernel: string): backend_util.Conv2DInfo {
  const fmt = backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  if (fmt !== 'channelsLast') throw new Error(`wasm ${kernel} supports dataFormat 'NHWC' only, got '${a.dataFormat}'`);
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    fmt,
  );
}

/** Conv2DBackpropFilter: inputs {x, dy}, attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}. */
export function makeConv2DBackpropFilter(): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] };
    const info = convInfo(x.shape, a.filterShape, a, 'Conv2DBackpropFilter');
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const N = B * OH * OW;
    const KKC = KH * KW * CI;

    const matMul = wasmKernel('BatchMatMul').kernelFunc;
    // 1x1 filter, stride 1, no padding: P is x itself.
    if (KH === 1 && KW === 1 && sh === 1 && sw === 1 && top === 0 && left === 0 && OH === H && OW === W) {
      const out = call(matMul, backend, { a: { ...x, shape: [1, N, CI] }, b: { ...dy, shape: [1, N, CO] } }, { transposeA: true, transposeB: false });
      out.shape = [KH, KW, CI, CO];
      return out;
    }

    // Preferred: the filter gradient is itself a convolution, over the batch. With x^T =
    // [CI, H, W, B] as input ("batch" CI, "channels" B) and dy^T = [OH, OW, B, CO] as the filter,
    // dilated by the stride: out[ci, kh, kw, co] = sum_{oh,ow,b} x[b, oh*sh-top+kh, ow*sw-left+kw, ci]
    // * dy[b, oh, ow, co] = dW[kh, kw, ci, co]. XNNPACK runs it without materialising im2col.
    // Needs padding >= 0 on every side (a 'valid' conv whose stride skips trailing rows has
    // "negative" bottom padding): then the im2col path below.
    const bottom = KH + (OH - 1) * sh - H - top;
    const right = KW + (OW - 1) * sw - W - left;
    if (bottom >= 0 && right >= 0 && top >= 0 && left >= 0) {
      const transpose = wasmKernel('Transpose').kernelFunc;
      const xt = call(transpose, backend, { x }, { perm: [3, 1, 2, 0] });
      const dyt = call(transpose, backend, { x: dy }, { perm: [1, 2, 0, 3] });
      try {
        const o = call(wasmKernel('Conv2D').kernelFunc, backend, { x: xt, filter: dyt }, {
          strides: [1, 1],
          pad: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          dilations: [sh, sw],
        });
        try {
          return call(transpose, backend, { x: o }, { perm: [1, 2, 0, 3] });
        } finally {
          free(backend, o);
        }
      } finally {
        free(backend, xt);
        free(backend, dyt);
      }
    }

    // Fallback: im2col P [N, KKC]: row n = (b, oh, ow) holds the input values each filter tap (kh, kw, ci)
    // multiplies, 0 in the padding. Written row by row: contiguous reads of CI (or KW*CI) values.
    const p = alloc(backend, [1, N, KKC]);
    const temps: TensorInfo[] = [p];
    try {
      const P = f32(backend, p);
      const X = f32(backend, x);
      const rowLen = KW * CI;
      let dst = 0;
      for (let b = 0; b < B; b++) {
        const xb = b * H * W * CI;
        for (let oh = 0; oh < OH; oh++) {
          for (let ow = 0; ow < OW; ow++) {
            const iw0 = ow * sw - left;
            const fullRow = iw0 >= 0 && iw0 + KW <= W;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * sh - top + kh;
              if (ih < 0 || ih >= H) {
                P.fill(0, dst, dst + rowLen);
                dst += rowLen;
                continue;
              }
              const src = xb + (ih * W + iw0) * CI;
              if (fullRow) {
                for (let i = 0; i < rowLen; i++) P[dst + i] = X[src + i]!;
                dst += rowLen;
                continue;
              }
              for (let kw = 0; kw < KW; kw++) {
                const iw = iw0 + kw;
                if (iw < 0 || iw >= W) P.fill(0, dst, dst + CI);
                else for (let c = 0; c < CI; c++) P[dst + c] = X[src + kw * CI + c]!;
                dst += CI;
              }
            }
          }
        }
      }
      // dW^T [CO, KKC] = dy^T [CO, N] @ P [N, KKC] (fast path: the big operand is P, not its
      // transpose), then the small [CO, KKC] result is transposed into the filter layout.
      const dwT = call(matMul, backend, { a: { ...dy, shape: [1, N, CO] }, b: p }, { transposeA: true, transposeB: false });
      temps.push(dwT);
      const dw = transposeLast2(backend, { ...dwT, shape: [CO, KKC] });
      dw.shape = [KH, KW, CI, CO];
      return dw;
    } finally {
      for (const t of temps) free(backend, t);
    }
  }) as unknown as KernelFunc;
}

/**
 * Conv2DBackpropInput through columns: dcols = dy @ W^T, then col2im. For few input channels
 * (XNNPACK is slow at producing 1-4 output channels) or a stride (the dilated canvas of the other
 * path would be mostly zeros).
 */
function backpropInputByColumns(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
  const N = B * OH * OW;
  const KKC = KH * KW * CI;
  const dcols = call(wasmKernel('BatchMatMul').kernelFunc, backend, { a: { ...dy, shape: [1, N, CO] }, b: { ...filter, shape: [1, KKC, CO] } }, { transposeA: false, transposeB: true });
  try {
    const dx = alloc(backend, [B, H, W, CI]);
    const DX = f32(backend, dx);
    const D = f32(backend, dcols);
    DX.fill(0);
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const simd = simdKernels(backend);
    if (simd) {
      // The loop below, in WebAssembly SIMD over ci (same order of additions per element).
      simd.col2im(dcols, dx, { B, H, W, CI, OH, OW, KH, KW, sh, sw, top, left });
      return dx;
    }
    let src = 0;
    for (let b = 0; b < B; b++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let kh = 0; kh < KH; kh++) {
            const ih = oh * sh - top + kh;
            if (ih < 0 || ih >= H) {
              src += KW * CI;
              continue;
            }
            for (let kw = 0; kw < KW; kw++) {
              const iw = ow * sw - left + kw;
              if (iw < 0 || iw >= W) {
                src += CI;
                continue;
              }
              const dst = ((b * H + ih) * W + iw) * CI;
              for (let c = 0; c < CI; c++) DX[dst + c] = DX[dst + c]! + D[src + c]!;
              src += CI;
            }
          }
    return dx;
  } finally {
    free(backend, dcols);
  }
}

/** Conv2DBackpropInput: inputs {dy, filter}, attrs {strides, pad, dataFormat, dimRoundingMode, inputShape}. */
export function makeConv2DBackpropInput(original: KernelFunc): KernelFunc {
  return ((args: { inputs: NamedTensorInfoMap; backend: WasmBackend; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvGradAttrs & { inputShape: number[] };
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return original(args);
    const info = convInfo(a.inputShape, filter.shape, a, 'Conv2DBackpropInput');
    if (inputGradientUnused(filter)) {
      // Nobody reads it (unused-input-grad.ts): the right shape, zeros, no arithmetic.
      const zeros = alloc(backend, [...a.inputShape]);
      f32(backend, zeros).fill(0);
      return zeros;
    }
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW, outChannels: CO } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    // Few input channels or a stride: through columns (see backpropInputByColumns).
    if (CI < 8 || sh > 1 || sw > 1) return backpropInputByColumns(backend, dy, filter, info);

    // dy dilated by the stride, placed at offset (K-1-pad) in a [B, H+KH-1, W+KW-1, CO] zero
    // canvas; positions that fall outside the canvas never meet a filter tap, so they are dropped.
    const HP = H + KH - 1;
    const WP = W + KW - 1;
    const offH = KH - 1 - info.padInfo.top;
    const offW = KW - 1 - info.padInfo.left;

    const canvas = alloc(backend, [B, HP, WP, CO]);
    const wt = alloc(backend, [KH, KW, CO, CI]);
    try {
      const C = f32(backend, canvas);
      const DY = f32(backend, dy);
      C.fill(0);
      const simd = simdKernels(backend);
      // Rows and columns of dy that land inside the canvas: offH + oh*sh in [0, HP).
      const first = (off: number, step: number) => Math.max(0, Math.ceil(-off / step));
      const stop = (off: number, step: number, size: number, n: number) => Math.min(n, Math.floor((size - 1 - off) / step) + 1);
      const [oh0, oh1] = [first(offH, sh), stop(offH, sh, HP, OH)];
      const [ow0, ow1] = [first(offW, sw), stop(offW, sw, WP, OW)];
      if (simd && oh1 > oh0 && ow1 > ow0) {
        simd.copy4(dy, canvas, {
          sizes: [B, oh1 - oh0, ow1 - ow0, CO],
          inStrides: [OH * OW * CO, OW * CO, CO, 1],
          outStrides: [HP * WP * CO, sh * WP * CO, sw * CO, 1],
          inOffset: (oh0 * OW + ow0) * CO,
          outOffset: ((offH + oh0 * sh) * WP + offW + ow0 * sw) * CO,
        });
      } else {
        for (let b = 0; b < B; b++) {
          for (let oh = oh0; oh < oh1; oh++) {
            const r = offH + oh * sh;
            for (let ow = ow0; ow < ow1; ow++) {
              const c = offW + ow * sw;
              const src = ((b * OH + oh) * OW + ow) * CO;
              C.set(DY.subarray(src, src + CO), ((b * HP + r) * WP + c) * CO);
            }
          }
        }
      }
      // wt[kh', kw', co, ci] = w[KH-1-kh', KW-1-kw', ci, co]
      const WT = f32(backend, wt);
      const WF = f32(backend, filter);
      for (let kh = 0; kh < KH; kh++)
        for (let kw = 0; kw < KW; kw++) {
          const srcBase = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
          const dstBase = (kh * KW + kw) * CO * CI;
          for (let ci = 0; ci < CI; ci++)
            for (let co = 0; co < CO; co++) WT[dstBase + co * CI + ci] = WF[srcBase + ci * CO + co]!;
        }
      return call(wasmKernel('Conv2D').kernelFunc, backend, { x: canvas, filter: wt }, {
        strides: [1, 1],
        pad: 'valid',
        dataFormat: 'NHWC',
        dilations: [1, 1],
      });
    } finally {
      free(backend, canvas);
      free(backend, wt);
    }
  }) as unknown as KernelFunc;
}
