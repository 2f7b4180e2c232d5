import { keyStatusHandler } from '../../../../../_server/admin';

/** POST /api/admin/keys/<key id>/approve (Authorization: Bearer $ADMIN_TOKEN). */
export const POST = keyStatusHandler('approved');
