import { RESULT_ID_RE } from '../../../contract';
import { getDb } from '../../../db/connect';
import { serverConfig } from '../../_server/config';
import { ApiFailure, handle } from '../../_server/errors';
import { json, readJsonBody } from '../../_server/http';
import { isReproductionCursor, REPRODUCTION_PAGE_MAX, loadReproductions } from '../../_server/read-model';
import { ingestReproduction } from '../../_server/reproductions';
import { publicOrigin } from '../../_server/request-context';

export const dynamic = 'force-dynamic';

/** POST /api/reproductions: one signed ReproductionStatement (see app/_server/reproductions.ts for the order). */
export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const cfg = serverConfig();
    const body = await readJsonBody(req, cfg.maxBodyBytes);
    const out = await ingestReproduction(await getDb(), body, { rateLimit: cfg.rateLimit, rateWindowS: cfg.rateWindowS, pendingQuotaBytes: cfg.pendingKeyQuotaBytes });
    const origin = publicOrigin(req, cfg);
    const { status, ...rest } = out;
    return json(
      { ...rest, url: `${origin}/api/reproductions/${out.id}`, result_url: `${origin}/results/${out.result_id}` },
      status,
      out.created ? { location: `${origin}/api/reproductions/${out.id}` } : {},
    );
  });
}

/**
 * GET /api/reproductions?result=<id>[&limit=1..500][&cursor=]: a page of a result's reproductions,
 * the counting ones first, oldest first within each; `next_cursor` / `next` name the next page.
 */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const url = new URL(req.url);
    const q = url.searchParams;
    const result = q.get('result');
    if (!result || !RESULT_ID_RE.test(result)) throw new ApiFailure(400, 'bad_request', 'result must be a result id (20 lowercase hex digits)', 'result');
    const cursor = q.get('cursor');
    if (cursor !== null && !isReproductionCursor(cursor))
      throw new ApiFailure(400, 'bad_request', 'cursor must be the next_cursor of a previous page', 'cursor');
    const limitRaw = q.get('limit');
    const limit = limitRaw === null ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > REPRODUCTION_PAGE_MAX)
      throw new ApiFailure(400, 'bad_request', `limit must be an integer from 1 to ${REPRODUCTION_PAGE_MAX}`, 'limit');
    const page = await loadReproductions(result, { cursor, limit });
    const next = page.next_cursor
      ? `${publicOrigin(req)}/api/reproductions?${new URLSearchParams({ result, limit: String(limit), cursor: page.next_cursor })}`
      : null;
    return json({ ...page, next });
  });
}
