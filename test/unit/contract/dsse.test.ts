import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  exportPublicKeyRaw,
  fromBase64,
  fromHex,
  generateKeyPair,
  importPrivateKeyPem,
  keyIdOf,
  keyIdOfRaw,
  pae,
  parseEnvelope,
  parsePublicKey,
  publicKeyFromPrivate,
  publicKeyPemFromRaw,
  rawFromPublicKeyPem,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  toBase64,
  toHex,
  utf8,
  verifyEnvelope,
  VerifyError,
  type DsseEnvelope,
} from '../../../contract';
import { RFC8032_TEST1, rfc8032Keys } from '../../fixtures/ed25519-vectors';
import { rejection } from '../../fixtures/rejection';

const { public: RFC8032_PUBLIC, sig: RFC8032_SIG } = RFC8032_TEST1;

/** Two fresh key pairs a and b (with their raw public keys) and an envelope of `text` signed by a, with its key id. */
async function signedByA(text: string) {
  const [a, b] = await Promise.all([generateKeyPair(), generateKeyPair()]);
  const env = await signEnvelope(utf8.encode(text), RESULT_PAYLOAD_TYPE, a.privateKey, a.publicKey);
  return { a, b, env, keyid: env.signatures[0]!.keyid, rawA: await exportPublicKeyRaw(a.publicKey), rawB: await exportPublicKeyRaw(b.publicKey) };
}

async function expectVerifyError(p: Promise<unknown>, code: string) {
  expect((await rejection(p, VerifyError)).code).toBe(code);
}

describe('Ed25519 (Web Crypto) against RFC 8032 test vector 1', () => {
  it('derives the public key and signs the empty message to the published signature', async () => {
    const { privateKey, publicKey } = await rfc8032Keys();
    expect(toHex(await exportPublicKeyRaw(publicKey))).toBe(RFC8032_PUBLIC);
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, privateKey, new Uint8Array(0)));
    expect(toHex(sig)).toBe(RFC8032_SIG);
  });
});

describe('DSSE PAE', () => {
  it('matches the DSSE spec encoding', () => {
    const text = new TextDecoder().decode(pae('http://example.com/HelloWorld', utf8.encode('hello world')));
    expect(text).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });
  it('counts bytes, not characters', () => {
    const text = new TextDecoder().decode(pae('t', utf8.encode('\u00e9')));
    expect(text).toBe('DSSEv1 1 t 2 \u00e9');
  });
});

describe('signEnvelope / verifyEnvelope', () => {
  it('round-trips with the RFC key and is deterministic (Ed25519 is)', async () => {
    const { privateKey, publicKey } = await rfc8032Keys();
    const payload = utf8.encode('{"hello":"world"}');
    const a = await signEnvelope(payload, RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    const b = await signEnvelope(payload, RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    expect(a).toEqual(b);
    expect(a.signatures[0]!.keyid).toBe(await keyIdOfRaw(fromHex(RFC8032_PUBLIC)));
    const raw = fromHex(RFC8032_PUBLIC);
    const v = await verifyEnvelope(a, RESULT_PAYLOAD_TYPE, (id) => (id === a.signatures[0]!.keyid ? raw : null));
    expect(toHex(v.payload)).toBe(toHex(payload));
  });

  it('accepts an envelope produced independently with node:crypto', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    const payload = Buffer.from(JSON.stringify({ any: 'bytes', n: 1 }));
    const paeBuf = Buffer.concat([
      Buffer.from(`DSSEv1 ${Buffer.byteLength(RESULT_PAYLOAD_TYPE)} ${RESULT_PAYLOAD_TYPE} ${payload.length} `),
      payload,
    ]);
    const sig = nodeSign(null, paeBuf, privateKey);
    const { createHash } = await import('node:crypto');
    const keyid = createHash('sha256').update(raw).digest('hex');
    const envelopeText = JSON.stringify({
      payload: payload.toString('base64'),
      payloadType: RESULT_PAYLOAD_TYPE,
      signatures: [{ keyid, sig: sig.toString('base64') }],
    });
    const v = await verifyEnvelope(parseEnvelope(envelopeText), RESULT_PAYLOAD_TYPE, (id) => (id === keyid ? raw : null));
    expect(Buffer.from(v.payload).equals(payload)).toBe(true);
    // and our PEM export matches node's
    const pem = publicKeyPemFromRaw(raw);
    expect(pem).toBe(publicKey.export({ format: 'pem', type: 'spki' }));
  });

  it('rejects every single flipped byte of a small payload, and every flipped signature byte', async () => {
    const { privateKey, publicKey } = await generateKeyPair();
    const raw = await exportPublicKeyRaw(publicKey);
    const payload = utf8.encode('{"a":1,"b":[true,null]}');
    const env = await signEnvelope(payload, RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    const keyid = env.signatures[0]!.keyid;
    const lookup = (id: string) => (id === keyid ? raw : null);
    for (let i = 0; i < payload.length; i++) {
      for (const mask of [0x01, 0x80]) {
        const t = payload.slice();
        t[i]! ^= mask;
        await expectVerifyError(
          verifyEnvelope({ ...env, payload: toBase64(t) }, RESULT_PAYLOAD_TYPE, lookup),
          'signature_invalid',
        );
      }
    }
    const sig = fromBase64(env.signatures[0]!.sig);
    for (let i = 0; i < sig.length; i++) {
      const t = sig.slice();
      t[i]! ^= 0x01;
      await expectVerifyError(
        verifyEnvelope({ ...env, signatures: [{ keyid, sig: toBase64(t) }] }, RESULT_PAYLOAD_TYPE, lookup),
        'signature_invalid',
      );
    }
  });

  it('rejects a wrong key, an unknown key, a wrong payloadType and malformed base64', async () => {
    const { b, env, keyid, rawA, rawB } = await signedByA('x');
    // lookup returns b's key under a's id: the id no longer matches the key, so it is not used
    await expectVerifyError(verifyEnvelope(env, RESULT_PAYLOAD_TYPE, () => rawB), 'unknown_key');
    // a signature claiming b's id but made by a
    const forged: DsseEnvelope = { ...env, signatures: [{ keyid: await keyIdOf(b.publicKey), sig: env.signatures[0]!.sig }] };
    await expectVerifyError(
      verifyEnvelope(forged, RESULT_PAYLOAD_TYPE, (id) => (id === forged.signatures[0]!.keyid ? rawB : null)),
      'signature_invalid',
    );
    await expectVerifyError(verifyEnvelope(env, RESULT_PAYLOAD_TYPE, () => null), 'unknown_key');
    const lookupA = (id: string) => (id === keyid ? rawA : null);
    await expectVerifyError(verifyEnvelope({ ...env, payloadType: 'application/json' }, RESULT_PAYLOAD_TYPE, lookupA), 'payload_type');
    await expectVerifyError(verifyEnvelope(env, 'application/json', lookupA), 'payload_type');
    for (const bad of ['eA=', 'e A==', 'eA==\n', '*A==', 'eB==']) {
      await expectVerifyError(verifyEnvelope({ ...env, payload: bad }, RESULT_PAYLOAD_TYPE, lookupA), 'base64');
    }
    await expectVerifyError(
      verifyEnvelope({ ...env, signatures: [{ keyid, sig: '!!!' }] }, RESULT_PAYLOAD_TYPE, lookupA),
      'base64',
    );
  });

  it('reuses a verified key only for the same key bytes (the verifier cache never masks a swapped key)', async () => {
    const { env, keyid, rawA, rawB } = await signedByA('cached');
    // first verification caches a's key under its id; the second hits the cache
    for (let i = 0; i < 2; i++) expect((await verifyEnvelope(env, RESULT_PAYLOAD_TYPE, () => rawA)).keyid).toBe(keyid);
    // the same id now looked up to other bytes: not a's key, so the signature has no known key
    await expectVerifyError(verifyEnvelope(env, RESULT_PAYLOAD_TYPE, () => rawB), 'unknown_key');
    // a tampered payload under the cached key still fails
    const tampered = { ...env, payload: toBase64(utf8.encode('cachee')) };
    await expectVerifyError(verifyEnvelope(tampered, RESULT_PAYLOAD_TYPE, () => rawA), 'signature_invalid');
    // more keys than the cache holds: every one still verifies, and the first one again after eviction
    const many = await Promise.all(Array.from({ length: 1100 }, () => generateKeyPair()));
    for (const k of many) {
      const e = await signEnvelope(utf8.encode('x'), RESULT_PAYLOAD_TYPE, k.privateKey, k.publicKey);
      const raw = await exportPublicKeyRaw(k.publicKey);
      expect((await verifyEnvelope(e, RESULT_PAYLOAD_TYPE, () => raw)).keyid).toBe(e.signatures[0]!.keyid);
    }
    expect((await verifyEnvelope(env, RESULT_PAYLOAD_TYPE, () => rawA)).keyid).toBe(keyid);
  });
  it('parseEnvelope reports malformed JSON and wrong shapes with paths', () => {
    expect(() => parseEnvelope('{')).toThrow(VerifyError);
    try {
      parseEnvelope(JSON.stringify({ payload: 'eA==', payloadType: 't', signatures: [{ keyid: 'k' }] }));
      expect.unreachable();
    } catch (e) {
      expect((e as VerifyError).code).toBe('envelope_malformed');
      expect((e as VerifyError).path).toBe('signatures.0.sig');
    }
  });
});

describe('keys', () => {
  it('round-trips PEM (PKCS#8 private, SPKI public) and raw base64', async () => {
    const { privateKey, publicKey } = await generateKeyPair();
    const privPem = await exportPrivateKeyPem(privateKey);
    const pubPem = await exportPublicKeyPem(publicKey);
    // node:crypto reads what we write
    expect(createPrivateKey(privPem).asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(pubPem).asymmetricKeyType).toBe('ed25519');
    const again = await importPrivateKeyPem(privPem);
    const raw = await exportPublicKeyRaw(publicKey);
    expect(toHex(await exportPublicKeyRaw(await publicKeyFromPrivate(again)))).toBe(toHex(raw));
    expect(toHex(rawFromPublicKeyPem(pubPem))).toBe(toHex(raw));
    expect(toHex(parsePublicKey(pubPem))).toBe(toHex(raw));
    expect(toHex(parsePublicKey(toBase64(raw)))).toBe(toHex(raw));
    expect(() => parsePublicKey('abcd')).toThrow(/32 raw bytes/);
    expect(() => parsePublicKey('not base64 at all!')).toThrow(/SPKI PEM or base64/);
  });
});
