/**
 * DSSE v1 envelopes signed with Ed25519.
 *
 * Signature input is the pre-authentication encoding
 *   PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * where LEN is the ASCII decimal byte length. We sign and verify the exact payload bytes; the
 * payload is parsed only after a signature has verified.
 */
import { DsseEnvelopeSchema, type DsseEnvelope } from './schemas/envelope';
import { weakSignatureReason } from './ed25519-strict';
import { concatBytes, EncodingError, fromBase64, toBase64, utf8 } from './encoding';
import { ED25519, exportPublicKeyRaw, importPublicKeyRaw, keyIdOfRaw } from './keys';

export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = utf8.encode(payloadType);
  return concatBytes(
    utf8.encode(`DSSEv1 ${type.length} `),
    type,
    utf8.encode(` ${payload.length} `),
    payload,
  );
}

export async function signEnvelope(
  payload: Uint8Array,
  payloadType: string,
  privateKey: CryptoKey,
  publicKey: CryptoKey,
): Promise<DsseEnvelope> {
  const sig = new Uint8Array(
    await crypto.subtle.sign(ED25519, privateKey, pae(payloadType, payload) as Uint8Array<ArrayBuffer>),
  );
  const keyid = await keyIdOfRaw(await exportPublicKeyRaw(publicKey));
  return { payload: toBase64(payload), payloadType, signatures: [{ keyid, sig: toBase64(sig) }] };
}

export type VerifyFailure =
  | 'envelope_malformed'
  | 'payload_type'
  | 'base64'
  | 'unknown_key'
  | 'key_invalid'
  | 'signature_invalid';

export class VerifyError extends Error {
  override name = 'VerifyError';
  constructor(
    readonly code: VerifyFailure,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export interface Verified {
  /** The exact payload bytes that were signed. */
  payload: Uint8Array;
  payloadType: string;
  /** Key id of the signature that verified. */
  keyid: string;
}

/**
 * Looks up a public key (raw 32 bytes) by key id; return null when unknown. A plain map or a
 * database lookup both fit.
 */
export type KeyLookup = (keyid: string) => Promise<Uint8Array | null> | Uint8Array | null;

/**
 * Imported verification keys by key id, for keys whose id was checked against their bytes. A key id
 * is the sha256 of the key's bytes, so an entry can only be reused for the same bytes (compared on
 * every hit); it saves a digest and an import per verification on a server that sees the same keys
 * again and again. Bounded: the oldest entry goes first.
 */
const VERIFIERS_MAX = 1024;
const verifiers = new Map<string, { raw: Uint8Array; key: CryptoKey }>();

/** The imported key for `raw` when its id is `keyid`, else null. */
async function verifierFor(keyid: string, raw: Uint8Array): Promise<CryptoKey | null> {
  const hit = verifiers.get(keyid);
  if (hit && bytesEqual(hit.raw, raw)) return hit.key;
  if ((await keyIdOfRaw(raw)) !== keyid) return null;
  const key = await importPublicKeyRaw(raw);
  if (verifiers.size >= VERIFIERS_MAX) verifiers.delete(verifiers.keys().next().value!);
  verifiers.set(keyid, { raw: raw.slice(), key });
  return key;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Parses envelope JSON text (the bytes on the wire, decoded) into a typed envelope, or throws VerifyError. */
export function parseEnvelope(text: string): DsseEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new VerifyError('envelope_malformed', `envelope is not JSON: ${(e as Error).message}`);
  }
  const parsed = DsseEnvelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw new VerifyError('envelope_malformed', `envelope ${path || '(root)'}: ${issue.message}`, path || undefined);
  }
  return parsed.data;
}

/**
 * Verifies a DSSE envelope: the payloadType must be the expected one, and at least one signature
 * whose key id the lookup knows must verify over PAE(payloadType, payload bytes). The key id in the
 * envelope is only a hint: the key actually used is re-derived (id = sha256(raw key)) so a lookup
 * cannot be tricked into using a key under another id.
 */
export async function verifyEnvelope(
  envelope: DsseEnvelope,
  expectedPayloadType: string,
  lookup: KeyLookup,
): Promise<Verified> {
  if (envelope.payloadType !== expectedPayloadType)
    throw new VerifyError(
      'payload_type',
      `payloadType must be "${expectedPayloadType}", got "${envelope.payloadType}"`,
      'payloadType',
    );
  let payload: Uint8Array;
  try {
    payload = fromBase64(envelope.payload);
  } catch (e) {
    throw new VerifyError('base64', `payload: ${(e as EncodingError).message}`, 'payload');
  }
  const message = pae(envelope.payloadType, payload) as Uint8Array<ArrayBuffer>;
  let knownKey = false;
  let weak: string | null = null;
  let weakKey: string | null = null;
  for (const [i, s] of envelope.signatures.entries()) {
    const raw = await lookup(s.keyid);
    if (!raw) continue;
    let key: CryptoKey | null;
    try {
      key = await verifierFor(s.keyid, raw);
    } catch (e) {
      // A stored key that fails the strict checks (small order, non-canonical) verifies nothing.
      weakKey = `key ${s.keyid}: ${(e as Error).message}`;
      continue;
    }
    if (!key) continue;
    knownKey = true;
    let sig: Uint8Array;
    try {
      sig = fromBase64(s.sig);
    } catch (e) {
      throw new VerifyError('base64', `signatures.${i}.sig: ${(e as EncodingError).message}`, `signatures.${i}.sig`);
    }
    // RFC 8032 strict: canonical R not of small order, S < L (Web Crypto alone accepts more).
    const why = weakSignatureReason(sig);
    if (why) {
      weak = why;
      continue;
    }
    if (await crypto.subtle.verify(ED25519, key, sig as Uint8Array<ArrayBuffer>, message))
      return { payload, payloadType: envelope.payloadType, keyid: s.keyid };
  }
  if (!knownKey && weakKey) throw new VerifyError('key_invalid', `${weakKey}; create a new key (headprep keys create --force)`, 'signatures');
  if (!knownKey)
    throw new VerifyError(
      'unknown_key',
      `no signature is by a known key (key ids: ${envelope.signatures.map((s) => s.keyid).join(', ')})`,
      'signatures',
    );
  throw new VerifyError(
    'signature_invalid',
    weak ? `signature refused: ${weak} (RFC 8032 strict verification)` : 'signature does not verify over the payload bytes',
    'signatures',
  );
}
