/**
 * A minimal WebAssembly assembler: enough of the binary format to build small float32 loops (with
 * 128-bit SIMD) that run directly on the wasm backend's heap (simd.ts). Writing the bytes here
 * keeps the kernels readable TypeScript, with no compiler toolchain and no binary in the tree.
 *
 * Only what simd.ts needs: i32/f32/v128 locals, loads/stores at an address on the stack, arithmetic,
 * blocks, loops and branches; one imported memory ("env" "memory"). Encoding per the WebAssembly
 * 2.0 spec (LEB128 integers, sections 1 type, 2 import, 3 function, 7 export, 10 code).
 */

export type ValType = 'i32' | 'f32' | 'v128';
const I32_OPS = { add: 0x6a, sub: 0x6b, mul: 0x6c, and: 0x71, geU: 0x4f, ltU: 0x49, eq: 0x46 } as const;
const F32_OPS = { add: 0x92, sub: 0x93, mul: 0x94 } as const;
const F32X4_OPS = { splat: 0x13, add: 0xe4, sub: 0xe5, mul: 0xe6 } as const;
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const utf8 = (s: string): number[] => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** Instruction emitter for one function body; methods return `this` so code reads top to bottom. */
export class Code {
  readonly bytes: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: ValType[]) {}

  /** Declares a local; returns its index. */
  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  get(i: number): this {
    return this.op(0x20, ...uleb(i));
  }
  set(i: number): this {
    return this.op(0x21, ...uleb(i));
  }
  tee(i: number): this {
    return this.op(0x22, ...uleb(i));
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n | 0));
  }
  f32(x: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(x);
    return this.op(0x43, ...b);
  }
  /** i32 arithmetic and comparisons (geU / ltU: unsigned >= / <). */
  i32Op(name: keyof typeof I32_OPS): this {
    return this.op(I32_OPS[name]);
  }
  /** f32 scalar arithmetic. */
  f32Op(name: keyof typeof F32_OPS): this {
    return this.op(F32_OPS[name]);
  }
  /** 128-bit SIMD on four float32 lanes (splat: one f32 to all lanes). */
  f32x4Op(name: keyof typeof F32X4_OPS): this {
    return this.op(0xfd, ...uleb(F32X4_OPS[name]));
  }
  /** Load / store at the address on the stack (alignment hint 4 bytes: heap tensors are 4-byte aligned). */
  load(type: 'f32' | 'i32' | 'v128'): this {
    return type === 'f32' ? this.op(0x2a, 2, 0) : type === 'i32' ? this.op(0x28, 2, 0) : this.op(0xfd, 0x00, 2, 0);
  }
  store(type: 'f32' | 'i32' | 'v128'): this {
    return type === 'f32' ? this.op(0x38, 2, 0) : type === 'i32' ? this.op(0x36, 2, 0) : this.op(0xfd, 0x0b, 2, 0);
  }

  /** `if (cond) body()`: cond pushes one i32. */
  ifThen(cond: () => void, body: () => void): this {
    cond();
    this.op(0x04, 0x40);
    body();
    return this.op(0x0b);
  }

  /**
   * `while (local < end) { body(); local += step }` with i32 locals (typically byte addresses).
   * `end` is a local index.
   */
  loopWhileBelow(local: number, end: number, step: number, body: () => void): this {
    this.op(0x02, 0x40).op(0x03, 0x40); // block, loop
    this.get(local).get(end).i32Op('geU').op(0x0d, 1); // br_if out of the block
    body();
    this.get(local).i32(step).i32Op('add').set(local);
    this.op(0x0c, 0); // br to the loop
    return this.op(0x0b).op(0x0b); // end loop, end block
  }

  private op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }

  /** The code-section entry: locals (one group per local) and the body. */
  encode(): number[] {
    const locals = vec(this.locals.map((t) => [1, VALTYPE[t]]));
    const body = [...locals, ...this.bytes, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** A module of exported functions (no results) over one imported memory "env" "memory". */
export function assemble(fns: { name: string; code: Code }[]): Uint8Array<ArrayBuffer> {
  const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];
  const types = vec(fns.map(({ code }) => [0x60, ...vec(code.params.map((t) => [VALTYPE[t]])), 0]));
  const imports = vec([[...utf8('env'), ...utf8('memory'), 0x02, 0x00, 0x00]]);
  const funcs = vec(fns.map((_, i) => uleb(i)));
  const exports = vec(fns.map(({ name }, i) => [...utf8(name), 0x00, ...uleb(i)]));
  const code = vec(fns.map(({ code: c }) => c.encode()));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
}
