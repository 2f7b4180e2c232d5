import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { RESULT_ID_RE, KeyIdSchema } from '../../contract';
import { getDb } from '../../db/connect';
import { setKeyStatus } from '../../db/mutations/keys';
import { setResultHidden } from '../../db/mutations/results';
import { serverConfig } from './config';
import { ApiFailure, handle } from './errors';
import { json } from './http';
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

/**
 * Handlers of POST /api/admin/keys/<id>/approve|revoke. Approving moves the key's pending results
 * to "signed"; revoking moves all its results to "revoked". A revoked key cannot be approved (409).
 */
export function keyStatusHandler(status: 'approved' | 'revoked') {
  return (req: Request, ctx: IdContext) =>
    handle(async () => {
      requireAdmin(req, serverConfig().adminToken);
      const { id } = await ctx.params;
      if (!KeyIdSchema.safeParse(id).success) throw new ApiFailure(400, 'bad_request', 'key id must be 64 lowercase hex digits', 'id');
      const key = await setKeyStatus(await getDb(), id, status);
      if (!key) throw new ApiFailure(404, 'not_found', `no key ${id}`);
      if (key.status !== status)
        throw new ApiFailure(409, 'conflict', `key ${id} is ${key.status}; a revoked key cannot be approved again (register a new key)`);
      return json({ key: { ...publicKeyInfo(key), contact: key.contact } });
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
