import { getById } from '../../../_server/by-id';
import { json } from '../../../_server/http';
import { loadReproduction } from '../../../_server/read-model';
import { publicOrigin } from '../../../_server/request-context';

export const dynamic = 'force-dynamic';

/** GET /api/reproductions/<id>: one reproduction with its comparison and the reproducer's bundle. */
export const GET = getById('reproduction', loadReproduction, (r, _id, req) => json({ reproduction: r, result_url: `${publicOrigin(req)}/results/${r.result_id}` }));
