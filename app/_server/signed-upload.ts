import 'server-only';
import { parseEnvelope, utf8, verifyEnvelope, VerifyError, fromBase64, type DsseEnvelope, type ParseResult, type Verified } from '../../contract';
import type { KeyRow } from '../../db/schema';
import { ApiFailure } from './errors';

/**
 * What every signed upload (a result, a reproduction statement, a key registration) goes through
 * before anything in it is trusted: the envelope parsed strictly, then the signature verified over
 * the exact payload bytes against the stored keys. One module that ingest.ts, reproductions.ts and
 * keys.ts import (none of them imports another for it). Hashing: lib/sha256.ts.
 */

/** DSSE verification failures -> HTTP: malformed input is 400, signatures that do not check out 401. */
const VERIFY_STATUS: Record<VerifyError['code'], number> = {
  envelope_malformed: 400,
  payload_type: 400,
  base64: 400,
  unknown_key: 401,
  key_invalid: 401,
  signature_invalid: 401,
};

/**
 * The DSSE envelope of a signed upload (result, reproduction, key registration): strict UTF-8 and
 * the envelope schema (400), then the expected payloadType (400). Nothing in it is trusted yet.
 */
export function parseSignedEnvelope(rawBody: Uint8Array, payloadType: string): DsseEnvelope {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new ApiFailure(400, 'envelope_malformed', 'body is not valid UTF-8');
  }
  let envelope: DsseEnvelope;
  try {
    envelope = parseEnvelope(text);
  } catch (e) {
    if (e instanceof VerifyError) throw new ApiFailure(400, e.code, e.message, e.path);
    throw e;
  }
  if (envelope.payloadType !== payloadType)
    throw new ApiFailure(400, 'payload_type', `payloadType must be "${payloadType}", got "${envelope.payloadType}"`, 'payloadType');
  return envelope;
}

/** Verifies `envelope` against known key rows (any status: the caller decides what each may do). */
export async function verifyWith(envelope: DsseEnvelope, payloadType: string, known: Map<string, Pick<KeyRow, 'keyId' | 'publicKey'>>): Promise<Verified> {
  try {
    return await verifyEnvelope(envelope, payloadType, (keyid) => {
      const row = known.get(keyid);
      return row ? fromBase64(row.publicKey) : null;
    });
  } catch (e) {
    if (e instanceof VerifyError) {
      const hint =
        e.code === 'unknown_key' ? '; register your key first: headprep keys register --site <url> --name <name> --contact <email>' : '';
      throw new ApiFailure(VERIFY_STATUS[e.code], e.code, `${e.message}${hint}`, e.path);
    }
    throw e;
  }
}

/**
 * The verified payload parsed by its schema (`parse`, e.g. parseResultBundleBytes), or a 422 with
 * `code` that names the first issue, its field (`payload.<path>`) and how many more there are.
 */
export function parsedPayload<T>(parsed: ParseResult<T>, code: string, typeName: string): T {
  if (parsed.ok) return parsed.value;
  const issue = parsed.issues[0]!;
  const more = parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : '';
  throw new ApiFailure(422, code, `payload is not a valid ${typeName}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}${more}`, issue.path ? `payload.${issue.path}` : 'payload');
}
