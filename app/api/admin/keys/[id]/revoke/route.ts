import { keyStatusHandler } from '../../../../../_server/admin';

/** POST /api/admin/keys/<key id>/revoke (Authorization: Bearer $ADMIN_TOKEN). */
export const POST = keyStatusHandler('revoked');
