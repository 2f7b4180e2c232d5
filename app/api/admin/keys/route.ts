import { KEY_STATUSES, type KeyStatus } from '../../../../db/schema';
import { requireAdmin } from '../../../_server/admin';
import { serverConfig } from '../../../_server/config';
import { ApiFailure, handle } from '../../../_server/errors';
import { json } from '../../../_server/http';
import { publicKeyInfo } from '../../../_server/keys';
import { loadIdentityMatches, loadKeys } from '../../../_server/read-model';

export const dynamic = 'force-dynamic';

/** GET /api/admin/keys?status=pending|approved|revoked: keys with their contact details (admin). */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    requireAdmin(req, serverConfig().adminToken);
    const status = new URL(req.url).searchParams.get('status');
    if (status && !(KEY_STATUSES as readonly string[]).includes(status))
      throw new ApiFailure(400, 'bad_request', `status must be one of ${KEY_STATUSES.join(', ')}`, 'status');
    const rows = await loadKeys(status ? (status as KeyStatus) : null);
    // a pending key shows the identity approving it would join by default, so the match is the maintainer's decision
    const matches = await loadIdentityMatches(rows.filter((k) => k.status === 'pending'));
    return json({
      keys: rows.map((k) => ({ ...publicKeyInfo(k), contact: k.contact, identity_id: k.identityId, identity_match: matches.get(k.keyId) ?? null })),
    });
  });
}
