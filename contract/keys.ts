/**
 * Ed25519 keys through Web Crypto (Node >= 20, modern browsers, edge runtimes).
 * Formats: raw 32-byte public keys (base64), SPKI PEM public keys, PKCS#8 PEM private keys.
 */
import { weakPublicKeyReason } from './ed25519-strict';
import { EncodingError, fromBase64, sha256Hex, toBase64 } from './encoding';

export const ED25519 = { name: 'Ed25519' } as const;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
const SPKI_PREFIX = new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

export class KeyFormatError extends Error {
  override name = 'KeyFormatError';
}

export interface KeyPair {
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

export async function generateKeyPair(): Promise<KeyPair> {
  return (await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as KeyPair;
}

export async function exportPublicKeyRaw(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('raw', key));
}

/**
 * Throws KeyFormatError unless `raw` is a strict RFC 8032 public key: 32 bytes, the canonical
 * encoding of a curve point in the prime-order subgroup (small-order keys make forgery trivial).
 */
export function assertStrictPublicKey(raw: Uint8Array): void {
  const why = weakPublicKeyReason(raw);
  if (why) throw new KeyFormatError(`public key: ${why}`);
}

/** Imports a raw public key for verification; weak keys are refused (assertStrictPublicKey). */
export async function importPublicKeyRaw(raw: Uint8Array): Promise<CryptoKey> {
  assertStrictPublicKey(raw);
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, ED25519, true, ['verify']);
}

/** key id = lowercase hex sha256 of the raw 32-byte public key. */
export async function keyIdOfRaw(raw: Uint8Array): Promise<string> {
  if (raw.length !== 32) throw new KeyFormatError(`public key: expected 32 raw bytes, got ${raw.length}`);
  return sha256Hex(raw);
}

export async function keyIdOf(publicKey: CryptoKey): Promise<string> {
  return keyIdOfRaw(await exportPublicKeyRaw(publicKey));
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function fromPem(label: string, pem: string): Uint8Array {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const m = re.exec(pem);
  if (!m) throw new KeyFormatError(`expected a PEM block "${label}"`);
  try {
    return fromBase64(m[1]!.replace(/\s+/g, ''));
  } catch (e) {
    throw new KeyFormatError(`PEM "${label}": ${(e as EncodingError).message}`);
  }
}

export async function exportPublicKeyPem(key: CryptoKey): Promise<string> {
  return toPem('PUBLIC KEY', new Uint8Array(await crypto.subtle.exportKey('spki', key)));
}

export async function exportPrivateKeyPem(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', new Uint8Array(await crypto.subtle.exportKey('pkcs8', key)));
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  const der = fromPem('PRIVATE KEY', pem);
  try {
    return await crypto.subtle.importKey('pkcs8', der as Uint8Array<ArrayBuffer>, ED25519, true, ['sign']);
  } catch {
    throw new KeyFormatError('private key: not an Ed25519 PKCS#8 key');
  }
}

/** Raw 32 bytes of an SPKI PEM public key (a strict one: see assertStrictPublicKey). */
export function rawFromPublicKeyPem(pem: string): Uint8Array {
  const der = fromPem('PUBLIC KEY', pem);
  if (der.length !== SPKI_PREFIX.length + 32 || SPKI_PREFIX.some((b, i) => der[i] !== b))
    throw new KeyFormatError('public key: not an Ed25519 SubjectPublicKeyInfo');
  const raw = der.slice(SPKI_PREFIX.length);
  assertStrictPublicKey(raw);
  return raw;
}

export function publicKeyPemFromRaw(raw: Uint8Array): string {
  if (raw.length !== 32) throw new KeyFormatError(`public key: expected 32 raw bytes, got ${raw.length}`);
  const der = new Uint8Array(SPKI_PREFIX.length + 32);
  der.set(SPKI_PREFIX);
  der.set(raw, SPKI_PREFIX.length);
  return toPem('PUBLIC KEY', der);
}

/** Accepts an SPKI PEM block or base64 of the raw 32 bytes; returns the raw bytes of a strict key. */
export function parsePublicKey(text: string): Uint8Array {
  const t = text.trim();
  if (t.includes('-----BEGIN')) return rawFromPublicKeyPem(t);
  let raw: Uint8Array;
  try {
    raw = fromBase64(t);
  } catch (e) {
    throw new KeyFormatError(`public key: expected SPKI PEM or base64 of 32 raw bytes (${(e as Error).message})`);
  }
  if (raw.length !== 32) throw new KeyFormatError(`public key: expected 32 raw bytes, got ${raw.length}`);
  assertStrictPublicKey(raw);
  return raw;
}

/** The public key of a private key (Web Crypto has no direct derivation; JWK carries x). */
export async function publicKeyFromPrivate(privateKey: CryptoKey): Promise<CryptoKey> {
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  if (!jwk.x) throw new KeyFormatError('private key: cannot derive the public key');
  return crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED25519, true, ['verify']);
}
