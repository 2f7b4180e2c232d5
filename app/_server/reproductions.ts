import 'server-only';
import {
  HEX64_RE,
  compareBundles,
  fingerprintInput,
  parseReproductionStatementBytes,
  repeatedRunRecord,
  REPRODUCTION_PAYLOAD_TYPE,
  type Comparison,
  type ResultBundle,
  type Verdict,
} from '../../contract';
import type { Db } from '../../db/types';
import { hitRateLimit } from '../../db/mutations/rate-limit';
import { insertReproduction } from '../../db/mutations/reproductions';
import { listKeysByIds } from '../../db/queries/keys';
import { findRepeatedReproductionRun, getReproduction, getReproductionIdByPayload, getReproductionTarget, type ReproductionTarget } from '../../db/queries/reproductions';
import { getResult } from '../../db/queries/results';
import { getSuite } from '../../db/queries/suites';
import { getStoredBytesOfKey } from '../../db/queries/ingest';
import type { KeyRow, TrustTier } from '../../db/schema';
import { runChecks } from './checks';
import { ApiFailure } from './errors';
import { parsedPayload, parseSignedEnvelope, verifyWith } from './signed-upload';
import { sha256HexSync } from '../../lib/sha256';

export interface ReproductionOutcome {
  status: 200 | 201;
  id: string;
  created: boolean;
  result_id: string;
  key_id: string;
  key_status: KeyRow['status'];
  /** The verdict the site computed from the two bundles (the one that counts). */
  verdict: Verdict;
  claimed_verdict: Verdict | null;
  /** True when it counts toward the result's tier: an approved key other than the result's own. */
  counts: boolean;
  /** The result's tier after this reproduction. */
  result_trust_tier: TrustTier;
  comparison: Comparison;
}

export interface ReproductionIngestOptions {
  /** Statements per key per window; 0 disables. Replays never count. */
  rateLimit?: number;
  /** Bytes a pending key may store, results and statements together (413 quota_exceeded past it); 0 disables. */
  pendingQuotaBytes?: number;
  rateWindowS?: number;
  now?: Date;
}


/**
 * POST /api/reproductions, verified like a result, in order (content type, 415, and size, 413,
 * checked by the route: app/_server/http.ts readJsonBody):
 *   envelope (400) -> payloadType reproduction (400) ->
 *   signature over the exact payload bytes by a registered key (401) -> key not revoked (403) ->
 *   replay of a stored statement (200) -> per-key rate limit (429) -> statement parses (422) ->
 *   original result exists (404 at payload.original.result_id) and is the pinned payload (422) ->
 *   not the result's own key (422 own_result) -> the rerun bundle passes the result checks, its
 *   size capped like a result's (422 check_failed.<name> at payload.bundle.*) -> same fingerprint
 *   and seed as the original (422 config_mismatch) -> a new run, not the original's run record
 *   (422 not_a_rerun) -> a pending key's storage quota (413) -> the verdict recomputed from the two bundles, stored with the claimed
 *   one, and the result re-tiered, in one transaction (201).
 */
export async function ingestReproduction(db: Db, rawBody: Uint8Array, opts: ReproductionIngestOptions = {}): Promise<ReproductionOutcome> {
  const now = opts.now ?? new Date();
  const envelope = parseSignedEnvelope(rawBody, REPRODUCTION_PAYLOAD_TYPE);
  const signers = new Map((await listKeysByIds(db, envelope.signatures.map((s) => s.keyid).filter((id) => HEX64_RE.test(id)))).map((k) => [k.keyId, k]));
  const verified = await verifyWith(envelope, REPRODUCTION_PAYLOAD_TYPE, signers);
  const key = signers.get(verified.keyid)!;
  if (key.status === 'revoked')
    throw new ApiFailure(403, 'key_revoked', `key ${key.keyId} was revoked; create a new key (headprep keys create --force) and register it`);
  const payloadSha256 = sha256HexSync(verified.payload);

  const replay = await getReproductionIdByPayload(db, payloadSha256);
  if (replay) return { ...(await answer(db, replay.id, replay.resultId, key, null)), status: 200, created: false };

  const rate = await hitRateLimit(db, `reproductions:${key.keyId}`, opts.rateLimit ?? 0, opts.rateWindowS ?? 60, now.getTime());
  if (!rate.allowed)
    throw new ApiFailure(429, 'rate_limited', `more than ${rate.limit} reproductions in ${opts.rateWindowS ?? 60} s from key ${key.keyId}; retry in ${rate.retryAfterS} s`, undefined, {
      'retry-after': String(rate.retryAfterS),
    });

  const st = parsedPayload(parseReproductionStatementBytes(verified.payload), 'statement_invalid', 'ReproductionStatement');
  const target = await getReproductionTarget(db, st.original.result_id);
  if (!target) throw new ApiFailure(404, 'not_found', `no result ${st.original.result_id}`, 'payload.original.result_id');
  if (target.payloadSha256 !== st.original.payload_sha256)
    throw new ApiFailure(
      422,
      'original_mismatch',
      `result ${target.id} stores payload ${target.payloadSha256}, the statement compared payload ${st.original.payload_sha256}`,
      'payload.original.payload_sha256',
    );
  // the rerun bundle obeys the result's size cap; the statement's own fields get STATEMENT_OVERHEAD_BYTES
  const bundleBytes = Math.max(0, verified.payload.byteLength - STATEMENT_OVERHEAD_BYTES);
  const { verdict, comparison } = await checkRerun(db, target, st.bundle, key.keyId, 'payload.bundle', now, bundleBytes);
  await checkPendingQuota(db, key, rawBody.byteLength, opts.pendingQuotaBytes ?? 0);
  const { id, created } = await insertReproduction(db, {
    resultId: target.id,
    keyId: key.keyId,
    source: 'statement',
    envelope: rawBody,
    payloadSha256,
    bundle: st.bundle,
    verdict,
    claimedVerdict: st.verdict,
    comparison,
  });
  return { ...(await answer(db, id, target.id, key, comparison)), status: created ? 201 : 200, created, claimed_verdict: st.verdict };
}

/**
 * The checks a rerun bundle passes before its comparison counts, shared by statements and by a
 * second POST /api/results of a (fingerprint, seed): another key than the result's own, every
 * result check against the suite, and the same fingerprint and seed. Returns the site's verdict.
 * `checked`: the caller already ran every result check on this bundle (ingest does, for any
 * result), so its fingerprint is the recomputed one: the suite is not fetched, the checks not run
 * and the config not hashed a second time.
 */
export async function checkRerun(
  db: Db,
  target: ReproductionTarget,
  bundle: ResultBundle,
  keyId: string,
  at: string,
  now: Date,
  payloadBytes: number,
  checked?: { fingerprint: string },
): Promise<{ verdict: Verdict; comparison: Comparison }> {
  if (keyId === target.keyId)
    throw new ApiFailure(422, 'own_result', `key ${keyId} submitted result ${target.id} itself; a reproduction must come from another key`, 'signatures');
  let fp: string;
  if (checked) fp = checked.fingerprint;
  else {
    const suiteRow = await getSuite(db, bundle.suite.name, bundle.suite.version).catch(() => null);
    const failure = await runChecks(bundle, { suite: suiteRow?.definition ?? null, now, payloadBytes });
    if (failure) throw new ApiFailure(422, `check_failed.${failure.check}`, failure.message, failure.path ? `${at}.${failure.path}` : at);
    fp = sha256HexSync(fingerprintInput(bundle.config));
  }
  if (fp !== target.fingerprint)
    throw new ApiFailure(422, 'config_mismatch', `the rerun's fingerprint ${fp} is not result ${target.id}'s ${target.fingerprint}: rerun its exact config (GET /api/configs/${target.fingerprint})`, `${at}.fingerprint`);
  if (bundle.config.seed !== target.seed)
    throw new ApiFailure(422, 'config_mismatch', `the rerun's seed ${bundle.config.seed} is not result ${target.id}'s seed ${target.seed}`, `${at}.config.seed`);
  const repeated = repeatedRunRecord(target.bundle, bundle);
  if (repeated)
    throw new ApiFailure(
      422,
      'not_a_rerun',
      `the rerun's ${repeated} is result ${target.id}'s own: this bundle repeats the original's run record, so it is a copy, not a rerun. Rerun the config (headprep reproduce ${target.id} --site <this site> --submit) and submit that`,
      `${at}.${repeated}`,
    );
  const copied = await findRepeatedReproductionRun(db, target.id, keyId, bundle);
  if (copied)
    throw new ApiFailure(
      422,
      'not_a_rerun',
      `this bundle repeats the run record (started_at / finished_at) of reproduction ${copied} of result ${target.id} by another key: it is a copy of that rerun, not a new one. Rerun the config yourself (headprep reproduce ${target.id} --site <this site> --submit)`,
      `${at}.started_at`,
    );
  const comparison = compareBundles(target.bundle, bundle);
  return { verdict: comparison.verdict, comparison };
}

/**
 * Room a statement's own fields (original id and hash, verdict, created_at, the JSON around the
 * bundle) get beyond the rerun bundle's size cap (the payload_size check of a result).
 */
export const STATEMENT_OVERHEAD_BYTES = 1024;

/**
 * A pending key's storage quota: the bytes of every envelope it stored, results and reproduction
 * statements together, plus this one must stay within `quota` (413 quota_exceeded; 0 = off).
 * Checked before the insert, so concurrent uploads of one pending key can pass it by at most what
 * is in flight.
 */
export async function checkPendingQuota(db: Db, key: Pick<KeyRow, 'keyId' | 'status'>, bytes: number, quota: number): Promise<void> {
  if (key.status !== 'pending' || quota <= 0) return;
  const used = await getStoredBytesOfKey(db, key.keyId);
  if (used + bytes > quota)
    throw new ApiFailure(
      413,
      'quota_exceeded',
      `key ${key.keyId} is pending approval and already stores ${used} bytes (results and reproductions); this envelope (${bytes} bytes) would pass the ${quota}-byte quota of unapproved keys. Ask the maintainers to approve the key, then submit again`,
    );
}

async function answer(
  db: Db,
  id: string,
  resultId: string,
  key: Pick<KeyRow, 'keyId' | 'status'>,
  comparison: Comparison | null,
): Promise<Omit<ReproductionOutcome, 'status' | 'created'>> {
  const [rep, result] = await Promise.all([getReproduction(db, id), getResult(db, resultId)]);
  return {
    id,
    result_id: resultId,
    key_id: rep?.key_id ?? key.keyId,
    key_status: rep?.key_status ?? key.status,
    verdict: rep!.verdict,
    claimed_verdict: rep?.claimed_verdict ?? null,
    counts: rep?.counts ?? false,
    result_trust_tier: result!.trust_tier,
    comparison: comparison ?? rep!.comparison,
  };
}
