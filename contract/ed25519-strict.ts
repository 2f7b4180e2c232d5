/**
 * RFC 8032 strict checks that Web Crypto's Ed25519 does not make (it follows the permissive
 * verification of most implementations): a public key or a signature's R must be the canonical
 * encoding of a curve point, S must be below the group order L, and a public key must lie in the
 * prime-order subgroup (no small-order or mixed-order keys). Without them the identity point is a
 * "public key" for which (R = identity, S = 0) verifies every message, so proof of possession
 * proves nothing.
 *
 * Pure BigInt arithmetic (Web-standard), used only to *refuse* encodings; signing and the actual
 * verification stay in Web Crypto. Encodings (RFC 8032 section 5.1.2): 32 bytes little-endian, the
 * low 255 bits are y, the top bit is the sign (low bit) of x.
 */

const P = 2n ** 255n - 19n;
/** Order of the prime-order subgroup (RFC 8032 section 5.1). */
export const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

const mod = (a: bigint): bigint => {
  const r = a % P;
  return r < 0n ? r + P : r;
};

function pow(base: bigint, exp: bigint): bigint {
  let r = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) r = mod(r * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return r;
}

const inv = (a: bigint): bigint => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
/** sqrt(-1) mod p (RFC 8032 section 5.1.3, step 3). */
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Extended homogeneous coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, x*y = T/Z (RFC 8032 section 5.1.4). */
interface Point {
  X: bigint;
  Y: bigint;
  Z: bigint;
  T: bigint;
}

const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

function add(p: Point, q: Point): Point {
  const A = mod((p.Y - p.X) * (q.Y - q.X));
  const B = mod((p.Y + p.X) * (q.Y + q.X));
  const C = mod(2n * p.T * q.T * D);
  const Dd = mod(2n * p.Z * q.Z);
  const E = B - A;
  const F = Dd - C;
  const G = Dd + C;
  const H = B + A;
  return { X: mod(E * F), Y: mod(G * H), Z: mod(F * G), T: mod(E * H) };
}

const double = (p: Point): Point => add(p, p);

function isIdentity(p: Point): boolean {
  return mod(p.X) === 0n && mod(p.Y - p.Z) === 0n;
}

function multiply(p: Point, k: bigint): Point {
  let r = IDENTITY;
  let q = p;
  let e = k;
  while (e > 0n) {
    if (e & 1n) r = add(r, q);
    q = double(q);
    e >>= 1n;
  }
  return r;
}

function littleEndian(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

export type PointDecodeFailure = 'length' | 'non_canonical' | 'not_on_curve';

/** RFC 8032 section 5.1.3 decoding, strict: y >= p and a "negative zero" x are refused. */
function decodePoint(bytes: Uint8Array): Point | PointDecodeFailure {
  if (bytes.length !== 32) return 'length';
  const sign = (bytes[31]! >> 7) & 1;
  const yBytes = bytes.slice();
  yBytes[31]! &= 0x7f;
  const y = littleEndian(yBytes);
  if (y >= P) return 'non_canonical';
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  // x = u v^3 (u v^7)^((p-5)/8)
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  const vx2 = mod(v * x * x);
  if (vx2 === u) {
    // x is a root
  } else if (vx2 === mod(-u)) x = mod(x * SQRT_M1);
  else return 'not_on_curve';
  if (x === 0n && sign === 1) return 'non_canonical';
  if (Number(x & 1n) !== sign) x = P - x;
  return { X: x, Y: y, Z: 1n, T: mod(x * y) };
}

/** True when 8 * point is the identity (the point has order 1, 2, 4 or 8). */
function hasSmallOrder(p: Point): boolean {
  return isIdentity(double(double(double(p))));
}

/**
 * Why a 32-byte public key must be refused, or null when it is acceptable: a canonical encoding of
 * a point of the prime-order subgroup (so in particular not of small order).
 */
export function weakPublicKeyReason(raw: Uint8Array): string | null {
  const p = decodePoint(raw);
  if (p === 'length') return `expected 32 raw bytes, got ${raw.length}`;
  if (p === 'non_canonical') return 'not a canonical point encoding (RFC 8032 5.1.3)';
  if (p === 'not_on_curve') return 'not a point on the Ed25519 curve';
  if (hasSmallOrder(p)) return 'a point of small order (it would let anyone forge signatures)';
  if (!isIdentity(multiply(p, ED25519_L))) return 'not in the prime-order subgroup (mixed-order point)';
  return null;
}

/**
 * y coordinates of the eight points of small order: the identity (y = 1), (0, -1), the two points
 * of order 4 (y = 0) and the four of order 8 (y = +-y8). y8 is read off one published order-8
 * encoding and checked here, so a wrong constant fails loudly at load.
 */
const SMALL_ORDER_Y: ReadonlySet<bigint> = (() => {
  const order8 = decodePoint(Uint8Array.from([
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
    0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
  ]));
  if (typeof order8 === 'string' || !hasSmallOrder(order8) || isIdentity(double(double(order8))))
    throw new Error('ed25519-strict: the order-8 constant is wrong');
  return new Set([1n, P - 1n, 0n, order8.Y, P - order8.Y]);
})();

/**
 * Why a 64-byte signature R || S must be refused before verification, or null: R must be a
 * canonical point encoding not of small order, and S < L (RFC 8032 section 5.1.7 step 1). Cheap
 * (no square root): a canonical encoding needs y < p and no sign bit on x = 0, which happens
 * exactly when y = +-1; whether R is on the curve at all is left to the verification itself.
 */
export function weakSignatureReason(sig: Uint8Array): string | null {
  if (sig.length !== 64) return `expected 64 bytes, got ${sig.length}`;
  const s = littleEndian(sig.subarray(32));
  if (s >= ED25519_L) return 'S is not below the group order L (malleable signature)';
  const r = sig.slice(0, 32);
  const sign = r[31]! >> 7;
  r[31]! &= 0x7f;
  const y = littleEndian(r);
  if (y >= P || (sign === 1 && (y === 1n || y === P - 1n))) return 'R is not a canonical point encoding';
  if (SMALL_ORDER_Y.has(y)) return 'R is a point of small order';
  return null;
}
