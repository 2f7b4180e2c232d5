import { getById } from '../../../_server/by-id';
import { json } from '../../../_server/http';
import { loadReproducingIdentities, loadResultSummary } from '../../../_server/read-model';
import { publicOrigin } from '../../../_server/request-context';

export const dynamic = 'force-dynamic';

/**
 * GET /api/results/<id>: the result's columns and its parsed bundle, and `reproductions`: the
 * independent identities that reproduced / disputed it and the URL of the full list. Hidden
 * results stay readable by id.
 */
export const GET = getById('result', loadResultSummary, async (r, id, req) => {
  const origin = publicOrigin(req);
  const identities = await loadReproducingIdentities(id);
  return json({
    result: r,
    reproductions: { ...identities, url: `${origin}/api/reproductions?result=${id}` },
    envelope_url: `${origin}/api/results/${id}/envelope`,
    url: `${origin}/results/${id}`,
  });
});
