import { RESULT_ID_RE } from '../../../../contract';
import { ApiFailure, handle } from '../../../_server/errors';
import { json } from '../../../_server/http';
import { loadReproduction } from '../../../_server/read-model';
import { publicOrigin } from '../../../_server/request-context';

export const dynamic = 'force-dynamic';

/** GET /api/reproductions/<id>: one reproduction with its comparison and the reproducer's bundle. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    const r = RESULT_ID_RE.test(id) ? await loadReproduction(id) : null;
    if (!r) throw new ApiFailure(404, 'not_found', `no reproduction ${id}`);
    return json({ reproduction: r, result_url: `${publicOrigin(req)}/results/${r.result_id}` });
  });
}
