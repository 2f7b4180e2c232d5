import { RESULT_ID_RE } from '../../../../contract';
import { ApiFailure, handle } from '../../../_server/errors';
import { json } from '../../../_server/http';
import { loadReproducingIdentities, loadResultSummary } from '../../../_server/read-model';
import { publicOrigin } from '../../../_server/request-context';

export const dynamic = 'force-dynamic';

/**
 * GET /api/results/<id>: the result's columns and its parsed bundle, and `reproductions`: the
 * independent identities that reproduced / disputed it and the URL of the full list. Hidden
 * results stay readable by id.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    const r = RESULT_ID_RE.test(id) ? await loadResultSummary(id) : null;
    if (!r) throw new ApiFailure(404, 'not_found', `no result ${id}`);
    const origin = publicOrigin(req);
    const identities = await loadReproducingIdentities(id);
    return json({
      result: r,
      reproductions: { ...identities, url: `${origin}/api/reproductions?result=${id}` },
      envelope_url: `${origin}/api/results/${id}/envelope`,
      url: `${origin}/results/${id}`,
    });
  });
}
