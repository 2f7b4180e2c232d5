import 'server-only';
import {
  parseEnvelope,
  parseResultBundleBytes,
  RESULT_PAYLOAD_TYPE,
  sha256Hex,
  utf8,
  verifyEnvelope,
  VerifyError,
  fromBase64,
  type DsseEnvelope,
  type Verified,
} from '../../contract';
import type { Db } from '../../db/connect';
import { hitRateLimit } from '../../db/mutations/rate-limit';
import { insertResult } from '../../db/mutations/results';
import { getKey } from '../../db/queries/keys';
import { getResultIdByPayload } from '../../db/queries/results';
import { getSuite } from '../../db/queries/suites';
import type { KeyRow } from '../../db/schema';
import { runChecks } from './checks';
import { ApiFailure } from './errors';
import { isJsonContentType } from './http';

export interface IngestOptions {
  /** The request's Content-Type; undefined skips the check (trusted callers such as seeding). */
  contentType?: string | null;
  /** Body size limit in bytes (413 above it). Default 2 MiB. */
  maxBytes?: number;
  /** Requests per key per window; 0 disables (seeding, benchmarks). Default 0. */
  rateLimit?: number;
  rateWindowS?: number;
  now?: Date;
}

export type IngestOutcome =
  | {
      ok: true;
      /** 201 for a new result, 200 when the payload was already stored (replay). */
      status: 201 | 200;
      id: string;
      created: boolean;
      /** The key that signed this request and its status (pending results are stored, not ranked). */
      key_id: string;
      key_status: KeyRow['status'];
      payload_sha256: string;
    }
  | { ok: false; status: number; code: string; message: string; path?: string; headers?: Record<string, string> };

const fail = (e: ApiFailure): IngestOutcome => ({
  ok: false,
  status: e.status,
  code: e.code,
  message: e.message,
  ...(e.path ? { path: e.path } : {}),
  ...(e.headers ? { headers: e.headers } : {}),
});

/** DSSE verification failures -> HTTP: malformed input is 400, signatures that do not check out 401. */
const VERIFY_STATUS: Record<VerifyError['code'], number> = {
  envelope_malformed: 400,
  payload_type: 400,
  base64: 400,
  unknown_key: 401,
  signature_invalid: 401,
};

/**
 * The ingest pipeline of POST /api/results, in order:
 *   size limit (413) -> content type (415) -> envelope JSON (400) -> signature over the exact
 *   payload bytes by a registered key (401) -> key not revoked (403) -> per-key rate limit (429)
 *   -> replay of a stored payload (200, original id) -> bundle parses with the contract (422)
 *   -> named checks (422 check_failed.<name>) -> one transaction (201).
 * Idempotency key: sha256 of the signed payload bytes. A replayed envelope, the same payload
 * re-signed by the same key (Ed25519 signatures are deterministic, so the envelope is identical)
 * or by another registered key all return the first result's id; the first signer keeps it.
 * Never throws for bad input: every refusal is an outcome with its status and error code.
 */
export async function ingestEnvelope(db: Db, rawBody: Uint8Array, opts: IngestOptions = {}): Promise<IngestOutcome> {
  try {
    return await ingest(db, rawBody, opts);
  } catch (e) {
    if (e instanceof ApiFailure) return fail(e);
    throw e;
  }
}

async function ingest(db: Db, rawBody: Uint8Array, opts: IngestOptions): Promise<IngestOutcome> {
  const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
  const now = opts.now ?? new Date();
  if (rawBody.byteLength > maxBytes) throw new ApiFailure(413, 'body_too_large', `request body exceeds ${maxBytes} bytes`);
  if (opts.contentType !== undefined && !isJsonContentType(opts.contentType))
    throw new ApiFailure(415, 'unsupported_media_type', `Content-Type must be application/json, got "${opts.contentType ?? '(none)'}"`);

  const { verified, key } = await verifyRequest(db, rawBody, RESULT_PAYLOAD_TYPE);
  if (key.status === 'revoked')
    throw new ApiFailure(403, 'key_revoked', `key ${key.keyId} was revoked; create a new key (headprep keys create --force) and register it`);

  const rate = await hitRateLimit(db, `results:${key.keyId}`, opts.rateLimit ?? 0, opts.rateWindowS ?? 60, now.getTime());
  if (!rate.allowed)
    throw new ApiFailure(429, 'rate_limited', `more than ${rate.limit} submissions in ${opts.rateWindowS ?? 60} s from key ${key.keyId}; retry in ${rate.retryAfterS} s`, undefined, {
      'retry-after': String(rate.retryAfterS),
    });

  const payloadSha256 = await sha256Hex(verified.payload);
  const base = { ok: true as const, key_id: key.keyId, key_status: key.status, payload_sha256: payloadSha256 };
  const existing = await getResultIdByPayload(db, payloadSha256);
  if (existing) return { ...base, status: 200, id: existing, created: false };

  const parsed = parseResultBundleBytes(verified.payload);
  if (!parsed.ok) {
    const issue = parsed.issues[0]!;
    throw new ApiFailure(
      422,
      'bundle_invalid',
      `payload is not a valid ResultBundle: ${issue.path ? `${issue.path}: ` : ''}${issue.message}${parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : ''}`,
      issue.path ? `payload.${issue.path}` : 'payload',
    );
  }
  const bundle = parsed.value;
  const suite = await getSuite(db, bundle.suite.name, bundle.suite.version);
  const failure = await runChecks(bundle, { suite: suite?.definition ?? null, now });
  if (failure) throw new ApiFailure(422, `check_failed.${failure.check}`, failure.message, failure.path ? `payload.${failure.path}` : undefined);

  const { id, created } = await insertResult(db, {
    envelope: rawBody,
    payloadSha256,
    bundle,
    keyId: key.keyId,
    trustTier: key.status === 'approved' ? 'signed' : 'pending',
  });
  return { ...base, status: created ? 201 : 200, id, created };
}

/**
 * Parses the body as a DSSE envelope of `payloadType` and verifies a signature against the keys
 * table (any status: the caller decides what a revoked or pending key may do).
 */
export async function verifyRequest(
  db: Db,
  rawBody: Uint8Array,
  payloadType: string,
): Promise<{ envelope: DsseEnvelope; verified: Verified; key: KeyRow }> {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    throw new ApiFailure(400, 'envelope_malformed', 'body is not valid UTF-8');
  }
  const found = new Map<string, KeyRow>();
  try {
    const envelope = parseEnvelope(text);
    const verified = await verifyEnvelope(envelope, payloadType, async (keyid) => {
      if (!/^[0-9a-f]{64}$/.test(keyid)) return null;
      const row = await getKey(db, keyid);
      if (!row) return null;
      found.set(keyid, row);
      return fromBase64(row.publicKey);
    });
    return { envelope, verified, key: found.get(verified.keyid)! };
  } catch (e) {
    if (e instanceof VerifyError) {
      const hint =
        e.code === 'unknown_key' ? '; register your key first: headprep keys register --site <url> --name <name> --contact <email>' : '';
      throw new ApiFailure(VERIFY_STATUS[e.code], e.code, `${e.message}${hint}`, e.path);
    }
    throw e;
  }
}
