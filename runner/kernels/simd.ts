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
      c.loopWhileBelow(p, vecEnd, 16, () => {
        c.get(p).get(p).load('v128').get(q).load('v128').f32x4Op('add').store('v128');
        c.get(q).i32(16).i32Op('add').set(q);
      });
      c.loopWhileBelow(p, rowEnd, 4, () => {
        c.get(p).get(p).load('f32').get(q).load('f32').f32Op('add').store('f32');
        c.get(q).i32(4).i32Op('add').set(q);
      });
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

type SgdFn = (v: number, g: number, buf: number, outV: number, outB: number, n: number, wd: number, m: number, lr: number, lrwd: number) => void;

export interface SimdKernels {
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

export function simdKernels(backend: WasmBackend): SimdKernels | null {
  const memory = heapMemory(backend);
  if (!memory) return null;
  if (instances.has(memory)) return instances.get(memory)!;
  let kernels: SimdKernels | null = null;
  try {
    module ??= new WebAssembly.Module(
      assemble([{ name: 'sum_middle', code: sumMiddleCode() }, ...SGD_VARIANTS.map((v) => ({ name: variantName(v), code: sgdCode(v) }))]),
    );
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => void>;
    const at = (t: TensorInfo) => f32(backend, t).byteOffset;
    kernels = {
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
