/**
 * Parsers for the real dataset formats: IDX (MNIST, Fashion-MNIST; gzip or raw), CIFAR-10 binary
 * batches, tar archives (optionally gzipped), and PNG/JPEG images (pngjs, jpeg-js: pure JS).
 */
import { gunzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export function maybeGunzip(bytes: Uint8Array): Uint8Array {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
}

export interface Idx {
  dims: number[];
  data: Uint8Array;
}

/** IDX: 0x00 0x00 <dtype 0x08 = ubyte> <ndims>, then ndims big-endian uint32 sizes, then the data. */
export function parseIdx(input: Uint8Array, what = 'IDX file'): Idx {
  const b = maybeGunzip(input);
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) throw new Error(`${what}: not an IDX file (bad magic)`);
  if (b[2] !== 0x08) throw new Error(`${what}: IDX dtype 0x${b[2]!.toString(16)} is not supported (expected 0x08, unsigned bytes)`);
  const nd = b[3]!;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims = Array.from({ length: nd }, (_, i) => view.getUint32(4 + 4 * i, false));
  const off = 4 + 4 * nd;
  const n = dims.reduce((a, c) => a * c, 1);
  if (b.length - off !== n) throw new Error(`${what}: expected ${n} data bytes for dims [${dims.join(',')}], got ${b.length - off}`);
  return { dims, data: b.subarray(off) };
}

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

/** Regular files of a (gzipped) ustar/GNU tar archive. */
export function parseTar(input: Uint8Array, what = 'tar archive'): TarEntry[] {
  const b = maybeGunzip(input);
  const dec = new TextDecoder();
  const str = (o: number, n: number) => dec.decode(b.subarray(o, o + n)).replace(/\0.*$/s, '');
  const out: TarEntry[] = [];
  let longName: string | null = null;
  for (let o = 0; o + 512 <= b.length; ) {
    if (b.subarray(o, o + 512).every((x) => x === 0)) break;
    const size = parseInt(str(o + 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new Error(`${what}: corrupt header at byte ${o}`);
    const type = String.fromCharCode(b[o + 156]!);
    const prefix = str(o + 257, 6).startsWith('ustar') ? str(o + 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${str(o, 100)}` : str(o, 100));
    longName = null;
    const data = b.subarray(o + 512, o + 512 + size);
    if (type === 'L') longName = dec.decode(data).replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') out.push({ name, data });
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

export const CIFAR_RECORD = 1 + 32 * 32 * 3;

/** CIFAR-10 binary batch: records of <label byte><1024 R><1024 G><1024 B>; returns HWC floats in [0,1]. */
export function parseCifarBatch(bytes: Uint8Array, what = 'CIFAR batch'): { x: Float32Array; y: Int32Array; n: number } {
  if (bytes.length % CIFAR_RECORD !== 0) throw new Error(`${what}: size ${bytes.length} is not a multiple of ${CIFAR_RECORD} bytes`);
  const n = bytes.length / CIFAR_RECORD;
  const x = new Float32Array(n * 3072);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = i * CIFAR_RECORD;
    const label = bytes[r]!;
    if (label > 9) throw new Error(`${what}: record ${i} has label ${label} (expected 0-9)`);
    y[i] = label;
    for (let p = 0; p < 1024; p++) for (let c = 0; c < 3; c++) x[i * 3072 + p * 3 + c] = bytes[r + 1 + c * 1024 + p]! / 255;
  }
  return { x, y, n };
}

export interface Image {
  width: number;
  height: number;
  /** RGBA bytes. */
  rgba: Uint8Array;
}

/** Decodes a PNG or JPEG (by magic bytes) to RGBA. */
export function decodeImage(bytes: Uint8Array, what = 'image'): Image {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, rgba: img.data };
  }
  throw new Error(`${what}: not a PNG or JPEG file`);
}
