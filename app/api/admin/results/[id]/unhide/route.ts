import { resultHiddenHandler } from '../../../../../_server/admin';

/** POST /api/admin/results/<id>/unhide (Authorization: Bearer $ADMIN_TOKEN). */
export const POST = resultHiddenHandler(false);
