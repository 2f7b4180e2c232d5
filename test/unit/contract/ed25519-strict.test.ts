import { describe, expect, it } from 'vitest';
import {
  ED25519_L,
  fromHex,
  importPublicKeyRaw,
  keyIdOfRaw,
  parsePublicKey,
  publicKeyPemFromRaw,
  rawFromPublicKeyPem,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  toBase64,
  toHex,
  utf8,
  verifyEnvelope,
  VerifyError,
  weakPublicKeyReason,
  weakSignatureReason,
  type DsseEnvelope,
} from '../../../contract';
import { RFC8032_TEST1, rfc8032Keys, SMALL_ORDER_CANONICAL, SMALL_ORDER_NON_CANONICAL } from '../../fixtures/ed25519-vectors';
import { rejection } from '../../fixtures/rejection';

const RFC_PUBLIC = RFC8032_TEST1.public;
const P = 2n ** 255n - 19n;

const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
const toLe = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

/** An envelope "signed" by `raw` with the given 64 signature bytes. */
async function envelopeWith(raw: Uint8Array, sig: Uint8Array, payload = 'anything at all'): Promise<DsseEnvelope> {
  return { payload: toBase64(utf8.encode(payload)), payloadType: RESULT_PAYLOAD_TYPE, signatures: [{ keyid: await keyIdOfRaw(raw), sig: toBase64(sig) }] };
}

const verifyError = (p: Promise<unknown>) => rejection(p, VerifyError);

describe('strict Ed25519 public keys (RFC 8032)', () => {
  it('accepts the RFC 8032 test key', () => {
    expect(weakPublicKeyReason(fromHex(RFC_PUBLIC))).toBeNull();
    expect(toHex(parsePublicKey(toBase64(fromHex(RFC_PUBLIC))))).toBe(RFC_PUBLIC);
  });

  for (const v of SMALL_ORDER_CANONICAL)
    it(`refuses the small-order point ${v.name} everywhere a key enters`, async () => {
      const raw = fromHex(v.hex);
      expect(weakPublicKeyReason(raw)).toMatch(/small order/);
      expect(() => parsePublicKey(toBase64(raw))).toThrow(/public key: a point of small order/);
      expect(() => rawFromPublicKeyPem(publicKeyPemFromRaw(raw))).toThrow(/small order/);
      await expect(importPublicKeyRaw(raw)).rejects.toThrow(/small order/);
    });

  for (const v of SMALL_ORDER_NON_CANONICAL)
    it(`refuses the non-canonical encoding ${v.name}`, () => {
      const raw = fromHex(v.hex);
      expect(weakPublicKeyReason(raw)).toMatch(/not a canonical point encoding/);
      expect(() => parsePublicKey(toBase64(raw))).toThrow(/canonical/);
    });

  it('refuses a mixed-order key (the RFC key plus the order-2 point) and bytes that are no point', () => {
    // (x, y) + (0, -1) = (-x, -y): y -> p - y, and the sign of x flips (x != 0, p odd).
    const a = fromHex(RFC_PUBLIC);
    const y = le(a) & ((1n << 255n) - 1n);
    const mixed = toLe(P - y);
    mixed[31]! |= (a[31]! & 0x80) ^ 0x80;
    expect(weakPublicKeyReason(mixed)).toMatch(/prime-order subgroup/);
    // y = 2 is no curve point ((y^2 - 1) / (d y^2 + 1) is not a square mod p)
    expect(weakPublicKeyReason(toLe(2n))).toMatch(/not a point on the Ed25519 curve/);
  });
});

describe('strict verification of DSSE envelopes', () => {
  for (const v of SMALL_ORDER_CANONICAL)
    it(`refuses R = identity, S = 0 under the small-order key ${v.name}`, async () => {
      const raw = fromHex(v.hex);
      const sig = new Uint8Array(64);
      sig.set(fromHex(SMALL_ORDER_CANONICAL[0]!.hex));
      const e = await verifyError(verifyEnvelope(await envelopeWith(raw, sig), RESULT_PAYLOAD_TYPE, () => raw));
      expect(e.code).toBe('key_invalid');
      expect(e.message).toMatch(/small order/);
    });

  it('Web Crypto alone accepts that forgery for the identity key (why the strict checks exist)', async () => {
    const id = fromHex(SMALL_ORDER_CANONICAL[0]!.hex);
    const key = await crypto.subtle.importKey('raw', id as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, true, ['verify']);
    const sig = new Uint8Array(64);
    sig.set(id);
    expect(await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, utf8.encode('any message') as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it('accepts a real signature, refuses it with S + L (malleated) and with a non-canonical or small-order R', async () => {
    const { privateKey, publicKey } = await rfc8032Keys();
    const raw = fromHex(RFC_PUBLIC);
    const good = await signEnvelope(utf8.encode('payload'), RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    const lookup = () => raw;
    expect((await verifyEnvelope(good, RESULT_PAYLOAD_TYPE, lookup)).keyid).toBe(await keyIdOfRaw(raw));
    const sig = Uint8Array.from(atob(good.signatures[0]!.sig), (c) => c.charCodeAt(0));

    const sPlusL = sig.slice();
    sPlusL.set(toLe(le(sig.subarray(32)) + ED25519_L), 32);
    expect(weakSignatureReason(sPlusL)).toMatch(/S is not below/);
    const withSig = (s: Uint8Array): DsseEnvelope => ({ ...good, signatures: [{ ...good.signatures[0]!, sig: toBase64(s) }] });
    let e = await verifyError(verifyEnvelope(withSig(sPlusL), RESULT_PAYLOAD_TYPE, lookup));
    expect(e.code).toBe('signature_invalid');
    expect(e.message).toMatch(/S is not below the group order/);

    for (const v of SMALL_ORDER_NON_CANONICAL) {
      const s = sig.slice();
      s.set(fromHex(v.hex), 0);
      e = await verifyError(verifyEnvelope(withSig(s), RESULT_PAYLOAD_TYPE, lookup));
      expect(e.message, v.name).toMatch(/R is not a canonical point encoding/);
    }
    for (const v of SMALL_ORDER_CANONICAL) {
      const s = sig.slice();
      s.set(fromHex(v.hex), 0);
      e = await verifyError(verifyEnvelope(withSig(s), RESULT_PAYLOAD_TYPE, lookup));
      expect(e.message, v.name).toMatch(/R is a point of small order/);
    }
  });
});
