/**
 * Float32 loops in WebAssembly SIMD that run on the wasm backend's own heap: the module imports
 * the backend's exported memory, so tensors are addressed by their byte offsets with no copies.
 * Every loop does, per element, exactly the float32 operations of the tfjs ops it replaces, in the
 * same order (SIMD lanes are independent elements), so results are bit-identical to them; tests
 * check it against the stock kernels and the op-by-op optimiser.
 *
 * - sum_middle: x viewed as [outer, reduce, inner] -> out[outer, inner], each output accumulated
 *   over r = 0, 1, ... (reduce.ts; the stock Sum/Mean add in that order after a transpose).
 * - sgd_*: one optimiser update of a variable (train/optim.ts), one function per variant.
 * - copy4_*: 4-d strided copies (transpose.ts, the dilated canvas of conv2d-backprop.ts).
 * - col2im: the scatter-add of a strided convolution's input gradient (conv2d-backprop.ts).
 *
 * `simdKernels(backend)` is null where the backend's memory is not reachable or cannot be imported
 * (a future threaded build's shared memory): callers then keep their tfjs-op path.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { assemble, Code } from './wasm-asm';
import { f32, type WasmBackend } from './heap';

/** Which update: coupled L2 before momentum, momentum kind, decoupled decay after the step. */
export interface SgdVariant {
  coupled: boolean;
  momentum: 'none' | 'plain' | 'nesterov';
  decoupled: boolean;
}

const variantName = (v: SgdVariant) => `sgd_${v.coupled ? 'l2' : 'x'}_${v.momentum}_${v.decoupled ? 'wd' : 'x'}`;

export const SGD_VARIANTS: SgdVariant[] = [false, true].flatMap((coupled) =>
  (['none', 'plain', 'nesterov'] as const).flatMap((momentum) => [false, true].map((decoupled) => ({ coupled, momentum, decoupled }))),
);

/**
 * Emits `while (p < end) { *p = *p + *q; p++, q++ }` over float32 (byte addresses in locals): four
 * lanes at a time up to vecEnd, then one at a time. Each element gets one float32 add, in order.
 */
function addRow(c: Code, p: number, q: number, vecEnd: number, end: number): void {
  c.loopWhileBelow(p, vecEnd, 16, () => {
    c.get(p).get(p).load('v128').get(q).load('v128').f32x4Op('add').store('v128');
    c.get(q).i32(16).i32Op('add').set(q);
  });
  c.loopWhileBelow(p, end, 4, () => {
    c.get(p).get(p).load('f32').get(q).load('f32').f32Op('add').store('f32');
    c.get(q).i32(4).i32Op('add').set(q);
  });
}

function sumMiddleCode(): Code {
  // (x, outer, reduce, inner, out): byte addresses and element counts.
  const c = new Code(['i32', 'i32', 'i32', 'i32', 'i32']);
  const [X, OUTER, REDUCE, INNER, OUT] = [0, 1, 2, 3, 4];
  const rowBytes = c.local('i32');
  const vecBytes = c.local('i32');
  const op = c.local('i32');
  const opEnd = c.local('i32');
  const xp = c.local('i32');
  const r = c.local('i32');
  const p = c.local('i32');
  const q = c.local('i32');
  const vecEnd = c.local('i32');
  const rowEnd = c.local('i32');
  c.get(INNER).i32(4).i32Op('mul').set(rowBytes);
  c.get(INNER).i32(~3).i32Op('and').i32(4).i32Op('mul').set(vecBytes);
  c.get(X).set(xp);
  c.get(OUT).set(op);
  c.get(OUT).get(OUTER).get(rowBytes).i32Op('mul').i32Op('add').set(opEnd);
  c.loopWhileBelow(op, opEnd, 0, () => {
    c.get(op).get(rowBytes).i32Op('add').set(rowEnd);
    c.get(op).get(vecBytes).i32Op('add').set(vecEnd);
    c.get(op).set(p);
    c.loopWhileBelow(p, rowEnd, 4, () => void c.get(p).f32(0).store('f32'));
    c.i32(0).set(r);
    c.loopWhileBelow(r, REDUCE, 1, () => {
      c.get(op).set(p);
      c.get(xp).set(q);
      addRow(c, p, q, vecEnd, rowEnd);
      c.get(xp).get(rowBytes).i32Op('add').set(xp);
    });
    c.get(op).get(rowBytes).i32Op('add').set(op); // the outer loop's step (0 above): one output row
  });
  return c;
}

/**
 * (v, g, buf, outV, outBuf, n, wd, m, lr, lrwd): per element, as train/optim.ts's ops:
 *   g' = coupled ? g + v*wd : g
 *   b  = buf*m + g'           (momentum; written to outBuf)
 *   u  = nesterov ? g' + b*m : plain ? b : g'
 *   v' = v - u*lr; decoupled: v' = v' - v*lrwd   (written to outV)
 */
function sgdCode(variant: SgdVariant): Code {
  const c = new Code(['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f32', 'f32', 'f32', 'f32']);
  const [V, G, BUF, OUTV, OUTB, N, WD, M, LR, LRWD] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const k = c.local('i32');
  const vecEnd = c.local('i32');
  const end = c.local('i32');
  const splat = (i: number) => {
    const l = c.local('v128');
    c.get(i).f32x4Op('splat').set(l);
    return l;
  };
  const lanes = { wd: splat(WD), m: splat(M), lr: splat(LR), lrwd: splat(LRWD) };
  const body = (simd: boolean) => {
    const t = simd ? 'v128' : 'f32';
    const gl = c.local(t);
    const bl = c.local(t);
    const ul = c.local(t);
    const load = (base: number) => c.get(base).get(k).i32Op('add').load(t);
    const scalar = (lane: number, param: number) => c.get(simd ? lane : param);
    const arith = (name: 'add' | 'sub' | 'mul') => (simd ? c.f32x4Op(name) : c.f32Op(name));
    const add = () => arith('add');
    const sub = () => arith('sub');
    const mul = () => arith('mul');
    const storeTo = (base: number, value: () => void) => {
      c.get(base).get(k).i32Op('add');
      value();
      c.store(t);
    };
    // g' = g (+ v*wd)
    load(G);
    if (variant.coupled) {
      load(V);
      scalar(lanes.wd, WD);
      mul();
      add();
    }
    c.set(gl);
    // b = buf*m + g'
    if (variant.momentum !== 'none') {
      load(BUF);
      scalar(lanes.m, M);
      mul();
      c.get(gl);
      add();
      c.set(bl);
      storeTo(OUTB, () => c.get(bl));
    }
    // u = g' + b*m | b | g'
    if (variant.momentum === 'nesterov') {
      c.get(gl).get(bl);
      scalar(lanes.m, M);
      mul();
      add();
    } else c.get(variant.momentum === 'plain' ? bl : gl);
    c.set(ul);
    // v' = v - u*lr (- v*lrwd)
    storeTo(OUTV, () => {
      load(V);
      c.get(ul);
      scalar(lanes.lr, LR);
      mul();
      sub();
      if (variant.decoupled) {
        load(V);
        scalar(lanes.lrwd, LRWD);
        mul();
        sub();
      }
    });
  };
  c.i32(0).set(k);
  c.get(N).i32(~3).i32Op('and').i32(4).i32Op('mul').set(vecEnd);
  c.get(N).i32(4).i32Op('mul').set(end);
  c.loopWhileBelow(k, vecEnd, 16, () => body(true));
  c.loopWhileBelow(k, end, 4, () => body(false));
  return c;
}

/**
 * (inp, out, n0..n3, is0..is3, os0..os3): out[i0,i1,i2,i3] at out + sum(ik*osk) = the 4-byte word
 * at inp + sum(ik*isk), strides in bytes. `contiguous` (is3 = os3 = 4) copies the innermost run
 * 16 bytes at a time. Pure data movement (i32 loads/stores: any 4-byte dtype, bits unchanged).
 */
function copy4Code(contiguous: boolean): Code {
  const c = new Code(Array<'i32'>(14).fill('i32'));
  const [INP, OUT, N0, N1, N2, N3, IS0, IS1, IS2, IS3, OS0, OS1, OS2, OS3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
  const L = () => c.local('i32');
  const [i0, i1, i2, i3, p0, p1, p2, p, q0, q1, q2, q, vecEnd, end] = [L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L()] as const;
  const level = (i: number, n: number, pIn: number, qIn: number, pOut: number, qOut: number, is: number, os: number, body: () => void) => {
    c.get(pIn).set(pOut);
    c.get(qIn).set(qOut);
    c.i32(0).set(i);
    c.loopWhileBelow(i, n, 1, () => {
      body();
      c.get(pOut).get(is).i32Op('add').set(pOut);
      c.get(qOut).get(os).i32Op('add').set(qOut);
    });
  };
  c.get(INP).set(p0);
  c.get(OUT).set(q0);
  c.i32(0).set(i0);
  c.loopWhileBelow(i0, N0, 1, () => {
    level(i1, N1, p0, q0, p1, q1, IS1, OS1, () =>
      level(i2, N2, p1, q1, p2, q2, IS2, OS2, () => {
        c.get(p2).set(p);
        c.get(q2).set(q);
        if (contiguous) {
          c.get(p2).get(N3).i32(~3).i32Op('and').i32(4).i32Op('mul').i32Op('add').set(vecEnd);
          c.get(p2).get(N3).i32(4).i32Op('mul').i32Op('add').set(end);
          c.loopWhileBelow(p, vecEnd, 16, () => {
            c.get(q).get(p).load('v128').store('v128');
            c.get(q).i32(16).i32Op('add').set(q);
          });
          c.loopWhileBelow(p, end, 4, () => {
            c.get(q).get(p).load('i32').store('i32');
            c.get(q).i32(4).i32Op('add').set(q);
          });
        } else {
          c.i32(0).set(i3);
          c.loopWhileBelow(i3, N3, 1, () => {
            c.get(q).get(p).load('i32').store('i32');
            c.get(p).get(IS3).i32Op('add').set(p);
            c.get(q).get(OS3).i32Op('add').set(q);
          });
        }
      }),
    );
    c.get(p0).get(IS0).i32Op('add').set(p0);
    c.get(q0).get(OS0).i32Op('add').set(q0);
  });
  return c;
}

/**
 * col2im of a convolution's input gradient (conv2d-backprop.ts, same loop order as its
 * JavaScript version, so each dx element receives its additions in the same order):
 * (cols, dx, B, H, W, CI, OH, OW, KH, KW, sh, sw, top, left); dx must be zeroed. cols rows are
 * (b, oh, ow) x (kh, kw, ci).
 */
function col2imCode(): Code {
  const c = new Code(Array<'i32'>(14).fill('i32'));
  const [COLS, DX, B, H, W, CI, OH, OW, KH, KW, SH, SW, TOP, LEFT] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;
  const L = () => c.local('i32');
  const [b, oh, ow, kh, kw, ih, iw, src, p, q, vecEnd, end, rowBytes, vecBytes] = [L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L()] as const;
  c.get(CI).i32(4).i32Op('mul').set(rowBytes);
  c.get(CI).i32(~3).i32Op('and').i32(4).i32Op('mul').set(vecBytes);
  c.get(COLS).set(src);
  const count = (i: number, n: number, body: () => void) => {
    c.i32(0).set(i);
    c.loopWhileBelow(i, n, 1, body);
  };
  count(b, B, () =>
    count(oh, OH, () =>
      count(ow, OW, () =>
        count(kh, KH, () => {
          c.get(oh).get(SH).i32Op('mul').get(TOP).i32Op('sub').get(kh).i32Op('add').set(ih);
          count(kw, KW, () => {
            c.get(ow).get(SW).i32Op('mul').get(LEFT).i32Op('sub').get(kw).i32Op('add').set(iw);
            c.ifThen(
              () => c.get(ih).get(H).i32Op('ltU').get(iw).get(W).i32Op('ltU').i32Op('and'),
              () => {
                // p = dx + ((b*H + ih)*W + iw) * CI * 4
                c.get(DX).get(b).get(H).i32Op('mul').get(ih).i32Op('add').get(W).i32Op('mul').get(iw).i32Op('add').get(rowBytes).i32Op('mul').i32Op('add').set(p);
                c.get(src).set(q);
                c.get(p).get(vecBytes).i32Op('add').set(vecEnd);
                c.get(p).get(rowBytes).i32Op('add').set(end);
                addRow(c, p, q, vecEnd, end);
              },
            );
            c.get(src).get(rowBytes).i32Op('add').set(src);
          });
        }),
      ),
    ),
  );
  return c;
}

type SgdFn = (v: number, g: number, buf: number, outV: number, outB: number, n: number, wd: number, m: number, lr: number, lrwd: number) => void;

/** A 4-d strided view: sizes and strides in elements (4-byte elements). */
export interface View4 {
  sizes: [number, number, number, number];
  inStrides: [number, number, number, number];
  outStrides: [number, number, number, number];
  /** Element offsets of the first element in the input and output buffers. */
  inOffset?: number;
  outOffset?: number;
}

export interface Col2ImShape {
  B: number;
  H: number;
  W: number;
  CI: number;
  OH: number;
  OW: number;
  KH: number;
  KW: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
}

export interface SimdKernels {
  /** Copies a 4-d strided view of x's buffer into out's buffer (any 4-byte dtype). */
  copy4(x: TensorInfo, out: TensorInfo, v: View4): void;
  /** dx[b, ih, iw, :] += cols[(b, oh, ow), (kh, kw), :] in loop order; dx must be zeroed. */
  col2im(cols: TensorInfo, dx: TensorInfo, s: Col2ImShape): void;
  /** out[o, i] = sum over r of x[o, r, i] (float32, r in order). */
  sumMiddle(x: TensorInfo, outer: number, reduce: number, inner: number, out: TensorInfo): void;
  /** One update of n = size(v) elements; buf/outBuf unused (pass v/outV) without momentum. */
  sgd(variant: SgdVariant, t: { v: TensorInfo; g: TensorInfo; buf: TensorInfo; outV: TensorInfo; outBuf: TensorInfo }, s: { wd: number; m: number; lr: number; lrwd: number }): void;
}

let module: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The backend's heap as a WebAssembly.Memory (the emscripten module's exported memory), if reachable. */
function heapMemory(backend: WasmBackend): WebAssembly.Memory | null {
  const wasm = (backend as unknown as { wasm?: { asm?: Record<string, unknown>; wasmMemory?: unknown } }).wasm;
  const candidates = [wasm?.asm?.memory, wasm?.wasmMemory, ...Object.values(wasm?.asm ?? {})];
  return (candidates.find((m) => m instanceof WebAssembly.Memory) as WebAssembly.Memory | undefined) ?? null;
}

let disabled = 0;

/** Runs fn with the SIMD module switched off (callers take their fallbacks): for tests and before/after measurements. */
export function withoutSimd<T>(fn: () => T): T {
  disabled++;
  try {
    return fn();
  } finally {
    disabled--;
  }
}

/** Per backend object: every kernel call asks, so the lookup must not walk the module's exports. */
const byBackend = new WeakMap<WasmBackend, SimdKernels | null>();

export function simdKernels(backend: WasmBackend): SimdKernels | null {
  if (disabled > 0) return null;
  const known = byBackend.get(backend);
  if (known !== undefined) return known;
  const kernels = instantiate(backend);
  byBackend.set(backend, kernels);
  return kernels;
}

function instantiate(backend: WasmBackend): SimdKernels | null {
  const memory = heapMemory(backend);
  if (!memory) return null;
  if (instances.has(memory)) return instances.get(memory)!;
  let kernels: SimdKernels | null = null;
  try {
    module ??= new WebAssembly.Module(
      assemble([
        { name: 'sum_middle', code: sumMiddleCode() },
        { name: 'copy4_contiguous', code: copy4Code(true) },
        { name: 'copy4_strided', code: copy4Code(false) },
        { name: 'col2im', code: col2imCode() },
        ...SGD_VARIANTS.map((v) => ({ name: variantName(v), code: sgdCode(v) })),
      ]),
    );
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => void>;
    const at = (t: TensorInfo) => f32(backend, t).byteOffset;
    const bytes = (a: readonly number[]) => a.map((x) => x * 4);
    kernels = {
      copy4: (x, out, v) => {
        const contiguous = v.inStrides[3] === 1 && v.outStrides[3] === 1;
        const fn = contiguous ? exports.copy4_contiguous! : exports.copy4_strided!;
        fn(at(x) + 4 * (v.inOffset ?? 0), at(out) + 4 * (v.outOffset ?? 0), ...v.sizes, ...bytes(v.inStrides), ...bytes(v.outStrides));
      },
      col2im: (cols, dx, s) => exports.col2im!(at(cols), at(dx), s.B, s.H, s.W, s.CI, s.OH, s.OW, s.KH, s.KW, s.sh, s.sw, s.top, s.left),
      sumMiddle: (x, outer, reduce, inner, out) => exports.sum_middle!(at(x), outer, reduce, inner, at(out)),
      sgd: (variant, t, s) => {
        const n = f32(backend, t.v).length;
        (exports[variantName(variant)] as SgdFn)(at(t.v), at(t.g), at(t.buf), at(t.outV), at(t.outBuf), n, s.wd, s.m, s.lr, s.lrwd);
      },
    };
  } catch {
    module = null; // no SIMD or the memory cannot be imported: the callers' tfjs-op paths
    kernels = null;
  }
  instances.set(memory, kernels);
  return kernels;
}
