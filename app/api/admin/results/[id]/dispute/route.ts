import { disputeHandler } from '../../../../../_server/admin';

/** POST /api/admin/results/<id>/dispute (Authorization: Bearer $ADMIN_TOKEN): confirm or clear a dispute. */
export const POST = disputeHandler();
