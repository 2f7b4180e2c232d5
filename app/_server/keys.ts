import 'server-only';
import {
  fromBase64,
  KEY_REGISTRATION_PAYLOAD_TYPE,
  KeyRegistrationSchema,
  keyIdOfRaw,
  parsePublicKey,
  utf8,
  verifyEnvelope,
  VerifyError,
  type KeyRegistration,
} from '../../contract';
import type { Db } from '../../db/types';
import { insertPendingKey } from '../../db/mutations/keys';
import { hitRateLimit } from '../../db/mutations/rate-limit';
import { getKey, keyState } from '../../db/queries/keys';
import type { KeyRow } from '../../db/schema';
import { ApiFailure } from './errors';
import { parseSignedEnvelope } from './signed-upload';
import type { PublicKeyInfo } from '../../contract';

export type { PublicKeyInfo };

export interface RegisterOptions {
  /** Largest |issued_at - now| accepted, seconds (default 600). */
  windowS?: number;
  /** New keys accepted site-wide per limitWindowS (429 above it); 0 disables. Default 0. */
  newKeyLimit?: number;
  limitWindowS?: number;
  now?: Date;
}

export function publicKeyInfo(k: KeyRow): PublicKeyInfo {
  return { key_id: k.keyId, public_key: k.publicKey, ...keyState(k) };
}

/**
 * POST /api/keys: the body is a DSSE envelope whose payload is a KeyRegistration signed by the key
 * it registers (proof of possession). The payload must be read to learn which key to verify with;
 * nothing it says is trusted until that signature has verified. New keys are pending (201); a key
 * registered again returns its stored row (200); a revoked key is refused (403).
 */
export async function registerKey(db: Db, rawBody: Uint8Array, opts: RegisterOptions = {}): Promise<{ status: 200 | 201; key: PublicKeyInfo }> {
  const envelope = parseSignedEnvelope(rawBody, KEY_REGISTRATION_PAYLOAD_TYPE);

  let reg: KeyRegistration;
  let payload: Uint8Array;
  try {
    payload = fromBase64(envelope.payload);
    const r = KeyRegistrationSchema.safeParse(JSON.parse(utf8.decode(payload)));
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const path = issue.path.map(String).join('.');
      throw new ApiFailure(422, 'registration_invalid', `KeyRegistration ${path || '(root)'}: ${issue.message}`, path ? `payload.${path}` : 'payload');
    }
    reg = r.data;
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    throw new ApiFailure(400, 'envelope_malformed', `payload is not base64 of a JSON KeyRegistration: ${(e as Error).message}`, 'payload');
  }
  let raw: Uint8Array;
  try {
    raw = parsePublicKey(reg.public_key);
  } catch (e) {
    throw new ApiFailure(422, 'registration_invalid', (e as Error).message, 'payload.public_key');
  }
  const keyId = await keyIdOfRaw(raw);
  try {
    await verifyEnvelope(envelope, KEY_REGISTRATION_PAYLOAD_TYPE, (id) => (id === keyId ? raw : null));
  } catch (e) {
    if (e instanceof VerifyError)
      throw new ApiFailure(401, e.code === 'unknown_key' ? 'signature_invalid' : e.code, `registration must be signed by the key it registers (${keyId}): ${e.message}`, 'signatures');
    throw e;
  }
  const windowS = opts.windowS ?? 600;
  const now = (opts.now ?? new Date()).getTime();
  const skew = Math.abs(Date.parse(reg.issued_at) - now);
  if (skew > windowS * 1000)
    throw new ApiFailure(422, 'registration_stale', `issued_at ${reg.issued_at} is more than ${windowS} s from the server clock; sign a fresh registration`, 'payload.issued_at');

  // Registration needs no account, so new keys are capped site-wide (a counter in the database,
  // shared by every instance): pending keys cannot be created without bound. Only a registration
  // that would add a key counts; registering a known key again is free (and stays idempotent).
  if ((opts.newKeyLimit ?? 0) > 0 && !(await getKey(db, keyId))) {
    const limitWindowS = opts.limitWindowS ?? 3600;
    const rate = await hitRateLimit(db, 'keys:new', opts.newKeyLimit!, limitWindowS, now);
    if (!rate.allowed)
      throw new ApiFailure(
        429,
        'rate_limited',
        `this site accepts ${rate.limit} new keys per ${limitWindowS} s and has reached that; retry in ${rate.retryAfterS} s`,
        undefined,
        { 'retry-after': String(rate.retryAfterS) },
      );
  }
  const { key, created } = await insertPendingKey(db, { publicKeyRaw: raw, name: reg.name, contact: reg.contact });
  if (key.status === 'revoked') throw new ApiFailure(403, 'key_revoked', `key ${key.keyId} was revoked; create a new key`);
  return { status: created ? 201 : 200, key: publicKeyInfo(key) };
}
