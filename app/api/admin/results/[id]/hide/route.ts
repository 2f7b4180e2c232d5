import { resultHiddenHandler } from '../../../../../_server/admin';

/** POST /api/admin/results/<id>/hide (Authorization: Bearer $ADMIN_TOKEN). */
export const POST = resultHiddenHandler(true);
