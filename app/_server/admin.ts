import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RESULT_ID_RE, KeyIdSchema } from '../../contract';
import { getDb } from '../../db/connect';
import { IdentityError, setKeyStatusWithIdentity } from '../../db/mutations/keys';
import { reviewDispute } from '../../db/mutations/reproductions';
import { setResultHidden } from '../../db/mutations/results';
import { serverConfig } from './config';
import { ApiFailure, handle } from './errors';
import { json, readJsonBody } from './http';
import { publicKeyInfo } from './keys';

/**
 * Admin endpoints need `Authorization: Bearer $ADMIN_TOKEN`. Without a configured token they are
 * disabled (503). Tokens are compared in constant time (hashes of equal length, timingSafeEqual).
 */
export function requireAdmin(req: Request, adminToken: string | null): void {
  if (!adminToken) throw new ApiFailure(503, 'admin_disabled', 'admin endpoints are disabled: set ADMIN_TOKEN on the server');
  const header = req.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  const given = createHash('sha256').update(m ? m[1]! : '').digest();
  const want = createHash('sha256').update(adminToken).digest();
  if (!m || !timingSafeEqual(given, want))
    throw new ApiFailure(401, 'admin_unauthorized', 'missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)', undefined, {
      'www-authenticate': 'Bearer',
    });
}

type IdContext = { params: Promise<{ id: string }> };

/** The optional JSON body of an admin action (`{}` or none: every field at its default). */
async function optionalJsonBody(req: Request): Promise<Record<string, unknown>> {
  if (!req.body) return {};
  const bytes = await readJsonBody(req, 64 * 1024).catch((e: unknown) => {
    // no Content-Type and no body: the CLI's plain POST
    if (e instanceof ApiFailure && e.code === 'unsupported_media_type' && !req.headers.get('content-type')) return new Uint8Array(0);
    throw e;
  });
  const text = new TextDecoder().decode(bytes).trim();
  if (!text) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ApiFailure(400, 'bad_request', 'the body must be a JSON object (or empty)');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiFailure(400, 'bad_request', 'the body must be a JSON object (or empty)');
  return v as Record<string, unknown>;
}

/**
 * Handlers of POST /api/admin/keys/<id>/approve|revoke. Approving moves the key's pending results
 * to "signed" and puts the key in an identity: body `{ "identity": "match" | "new" | <identity id> }`
 * (default match: the identity of an approved key with the same name or contact, else a new one);
 * the answer's `identity` says what was decided and why. Approving an approved key with an
 * explicit identity moves it. Revoking moves all its results to "revoked". A revoked key cannot be
 * approved (409).
 */
export function keyStatusHandler(status: 'approved' | 'revoked') {
  return (req: Request, ctx: IdContext) =>
    handle(async () => {
      requireAdmin(req, serverConfig().adminToken);
      const { id } = await ctx.params;
      if (!KeyIdSchema.safeParse(id).success) throw new ApiFailure(400, 'bad_request', 'key id must be 64 lowercase hex digits', 'id');
      const body = status === 'approved' ? await optionalJsonBody(req) : {};
      const identity = body.identity;
      if (identity !== undefined && (typeof identity !== 'string' || !(identity === 'match' || identity === 'new' || KeyIdSchema.safeParse(identity).success)))
        throw new ApiFailure(400, 'bad_request', 'identity must be "match", "new" or an identity id (64 lowercase hex digits)', 'identity');
      let out;
      try {
        out = await setKeyStatusWithIdentity(await getDb(), id, status, identity === undefined ? {} : { identity });
      } catch (e) {
        if (e instanceof IdentityError) throw new ApiFailure(404, 'not_found', e.message, 'identity');
        throw e;
      }
      if (!out) throw new ApiFailure(404, 'not_found', `no key ${id}`);
      const { key } = out;
      if (key.status !== status)
        throw new ApiFailure(409, 'conflict', `key ${id} is ${key.status}; a revoked key cannot be approved again (register a new key)`);
      return json({ key: { ...publicKeyInfo(key), contact: key.contact }, identity: out.identity });
    });
}

/**
 * POST /api/admin/results/<id>/dispute, body `{ "review": "confirmed" | "cleared" | null }`: a
 * maintainer confirms a dispute (the result leaves the ranking: refuted), clears it (the differs
 * received so far stop counting) or withdraws the review; the tier is re-derived at once.
 */
export function disputeHandler() {
  return (req: Request, ctx: IdContext) =>
    handle(async () => {
      requireAdmin(req, serverConfig().adminToken);
      const { id } = await ctx.params;
      if (!RESULT_ID_RE.test(id)) throw new ApiFailure(404, 'not_found', `no result ${id}`, 'id');
      const { review } = await optionalJsonBody(req);
      if (review !== null && review !== 'confirmed' && review !== 'cleared')
        throw new ApiFailure(400, 'bad_request', 'review must be "confirmed", "cleared" or null', 'review');
      const tier = await reviewDispute(await getDb(), id, review);
      if (tier === null) throw new ApiFailure(404, 'not_found', `no result ${id}`);
      return json({ id, dispute_review: review, trust_tier: tier });
    });
}

/** Handlers of POST /api/admin/results/<id>/hide|unhide. */
export function resultHiddenHandler(hidden: boolean) {
  return (req: Request, ctx: IdContext) =>
    handle(async () => {
      requireAdmin(req, serverConfig().adminToken);
      const { id } = await ctx.params;
      // a malformed id names no result (and must not reach the database: NUL, odd bytes)
      if (!RESULT_ID_RE.test(id)) throw new ApiFailure(404, 'not_found', `no result ${id}`, 'id');
      if (!(await setResultHidden(await getDb(), id, hidden))) throw new ApiFailure(404, 'not_found', `no result ${id}`);
      return json({ id, hidden });
    });
}
