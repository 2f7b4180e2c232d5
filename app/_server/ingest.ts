import 'server-only';
import {
  HEX64_RE,
  parseResultBundleBytes,
  RESULT_PAYLOAD_TYPE,
  fromBase64,
  type Suite,
  type Verdict,
} from '../../contract';
import type { Db } from '../../db/types';
import { hitRateLimit } from '../../db/mutations/rate-limit';
import { insertReproduction } from '../../db/mutations/reproductions';
import { insertResult } from '../../db/mutations/results';
import { getFirstResultOfPair } from '../../db/queries/reproductions';
import { getSignersAndReplay } from '../../db/queries/ingest';
import { getKey } from '../../db/queries/keys';
import { getSuite } from '../../db/queries/suites';
import type { KeyRow } from '../../db/schema';
import { runChecks } from './checks';
import { ApiFailure } from './errors';
import { checkPendingQuota, checkRerun } from './reproductions';
import { parsedPayload, parseSignedEnvelope, verifyWith } from './signed-upload';
import { sha256HexSync } from '../../lib/sha256';

export interface IngestOptions {
  /** Requests per key per window; 0 disables (seeding, benchmarks). Default 0. Replays never count. */
  rateLimit?: number;
  /** Replays of stored results per client address per window; 0 disables. Default 0. */
  replayLimit?: number;
  /** The client's address when known (a trusted proxy's X-Forwarded-For), else null: one shared bucket. */
  clientAddress?: string | null;
  rateWindowS?: number;
  /** Bytes of stored envelopes a pending key may hold (413 quota_exceeded past it); 0 disables. Default 0. */
  pendingQuotaBytes?: number;
  now?: Date;
}

/** A stored (or already stored) result. Every refusal is thrown as an ApiFailure instead. */
export interface IngestResult {
      /** 201 for a new result, 200 when the payload was already stored (replay). */
      status: 201 | 200;
      id: string;
      created: boolean;
      /** The key that owns the stored result and its status (pending results are stored, not ranked):
       *  the signer of a new result; for a replay, the key that first submitted it. */
      key_id: string;
      key_status: KeyRow['status'];
      payload_sha256: string;
      /** Set when the envelope was recorded as a reproduction of `id` (the same fingerprint and
       *  seed, first stored by another key) instead of a new result. */
      reproduction?: { id: string; verdict: Verdict; created: boolean };
}

/**
 * The ingest pipeline of POST /api/results, in order (the route has already checked the content
 * type, 415, and the size, 413: app/_server/http.ts readJsonBody):
 *   envelope JSON (400) -> signature over the exact
 *   payload bytes by a registered key (401) -> key not revoked (403) -> replay of a stored payload
 *   (200, original id and owner; per-address replay limit, 429) -> per-key rate limit (429)
 *   -> bundle parses with the contract (422)
 *   -> named checks (422 check_failed.<name>: epochs and payload size capped by the suite among them)
 *   -> storage quota of a pending key (413 quota_exceeded)
 *   -> an "ok" bundle of a (fingerprint, seed) another key stored first is recorded as a
 *      reproduction of that result (200, its id, and `reproduction` with the site's verdict)
 *   -> one transaction (201).
 * Idempotency key: sha256 of the signed payload bytes. A replayed envelope, the same payload
 * re-signed by the same key (Ed25519 signatures are deterministic, so the envelope is identical)
 * or by another registered key all return the first result's id; the first signer keeps it.
 * Every refusal is thrown as an ApiFailure (status, error code, path), which the route's `handle`
 * turns into the error response; anything else thrown is the server's trouble (500 or 503).
 */
export async function ingestEnvelope(db: Db, rawBody: Uint8Array, opts: IngestOptions = {}): Promise<IngestResult> {
  const now = opts.now ?? new Date();
  const envelope = parseSignedEnvelope(rawBody, RESULT_PAYLOAD_TYPE);
  // The payload hash is computed up front so the key lookup and the replay check share one
  // round trip; nothing is decided on it before the signature has verified.
  let payloadBytes: Uint8Array;
  try {
    payloadBytes = fromBase64(envelope.payload);
  } catch (e) {
    throw new ApiFailure(400, 'base64', `payload: ${(e as Error).message}`, 'payload');
  }
  const payloadSha256 = sha256HexSync(payloadBytes);
  const signerIds = envelope.signatures.map((s) => s.keyid).filter((id) => HEX64_RE.test(id));
  const { keys: signers, existing } = await getSignersAndReplay(db, signerIds, payloadSha256);
  const verified = await verifyWith(envelope, RESULT_PAYLOAD_TYPE, signers);
  const key = signers.get(verified.keyid)!;
  if (key.status === 'revoked')
    throw new ApiFailure(403, 'key_revoked', `key ${key.keyId} was revoked; create a new key (headprep keys create --force) and register it`);

  // A replay (this payload is already stored) is answered before the signer's rate limit and never
  // spends it: envelopes are public, so anyone can replay them. Replays are limited per client
  // address instead, and the answer names the stored owner's key, not the requester's.
  if (existing) {
    const address = opts.clientAddress ?? 'unknown-address';
    const r = await hitRateLimit(db, `replays:${address}`, opts.replayLimit ?? 0, opts.rateWindowS ?? 60, now.getTime());
    if (!r.allowed)
      throw new ApiFailure(429, 'rate_limited', `more than ${r.limit} replays of stored results in ${opts.rateWindowS ?? 60} s from ${address}; retry in ${r.retryAfterS} s`, undefined, {
        'retry-after': String(r.retryAfterS),
      });
    return { status: 200, id: existing.id, created: false, key_id: existing.keyId, key_status: existing.keyStatus, payload_sha256: payloadSha256 };
  }

  const rate = await hitRateLimit(db, `results:${key.keyId}`, opts.rateLimit ?? 0, opts.rateWindowS ?? 60, now.getTime());
  if (!rate.allowed)
    throw new ApiFailure(429, 'rate_limited', `more than ${rate.limit} submissions in ${opts.rateWindowS ?? 60} s from key ${key.keyId}; retry in ${rate.retryAfterS} s`, undefined, {
      'retry-after': String(rate.retryAfterS),
    });

  const base = { key_id: key.keyId, key_status: key.status, payload_sha256: payloadSha256 };

  const bundle = parsedPayload(parseResultBundleBytes(verified.payload), 'bundle_invalid', 'ResultBundle');
  const suite = await publishedSuite(db, bundle.suite.name, bundle.suite.version);
  const failure = await runChecks(bundle, { suite, now, payloadBytes: verified.payload.byteLength });
  if (failure) throw new ApiFailure(422, `check_failed.${failure.check}`, failure.message, failure.path ? `payload.${failure.path}` : 'payload');

  // Unapproved keys get a storage quota (anyone can register one), results and statements together.
  await checkPendingQuota(db, key, rawBody.byteLength, opts.pendingQuotaBytes ?? 0);

  // One observation per (fingerprint, seed): an "ok" bundle of a pair another approved key already stored is
  // a reproduction of that result, with the verdict computed as for POST /api/reproductions.
  if (bundle.status === 'ok') {
    const first = await getFirstResultOfPair(db, bundle.fingerprint, bundle.config.seed, key.keyId);
    if (first) {
      // runChecks above verified bundle.fingerprint against the config: no second suite fetch, check or hash
      const { verdict, comparison } = await checkRerun(db, first, bundle, key.keyId, 'payload', now, verified.payload.byteLength, { fingerprint: bundle.fingerprint });
      const rep = await insertReproduction(db, {
        resultId: first.id,
        keyId: key.keyId,
        source: 'result',
        envelope: rawBody,
        payloadSha256,
        bundle,
        verdict,
        claimedVerdict: null,
        comparison,
      });
      const owner = await getKey(db, first.keyId);
      return { ...base, status: 200, id: first.id, created: false, key_id: first.keyId, key_status: owner!.status, reproduction: { id: rep.id, verdict, created: rep.created } };
    }
  }

  const { id, created, keyId: ownerId } = await insertResult(db, {
    envelope: rawBody,
    payloadSha256,
    bundle,
    keyId: key.keyId,
    trustTier: key.status === 'approved' ? 'signed' : 'pending',
  });
  if (!created && ownerId !== key.keyId) {
    // a concurrent submission of the same payload by another key stored it first: name that owner
    const owner = await getKey(db, ownerId);
    return { ...base, status: 200, id, created, key_id: ownerId, key_status: owner?.status ?? key.status };
  }
  return { ...base, status: created ? 201 : 200, id, created };
}


/**
 * Published suite versions never change, so found ones are cached for the life of the process
 * (a cache only: a cold instance reads the table; unknown suites are always looked up again).
 */
const suiteCache = new Map<string, Suite>();
async function publishedSuite(db: Db, name: string, version: number): Promise<Suite | null> {
  if (!Number.isInteger(version) || version < 1 || version > 2 ** 31 - 1) return null; // the column is 32-bit
  const k = `${name}@${version}`;
  const hit = suiteCache.get(k);
  if (hit) return hit;
  const row = await getSuite(db, name, version);
  if (row) suiteCache.set(k, row.definition);
  return row?.definition ?? null;
}

