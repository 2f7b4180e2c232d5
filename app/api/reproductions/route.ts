import { RESULT_ID_RE } from '../../../contract';
import { getDb } from '../../../db/connect';
import { serverConfig } from '../../_server/config';
import { ApiFailure, handle } from '../../_server/errors';
import { json, readJsonBody } from '../../_server/http';
import { loadReproductions } from '../../_server/read-model';
import { ingestReproduction } from '../../_server/reproductions';
import { publicOrigin } from '../../_server/request-context';

export const dynamic = 'force-dynamic';

/** POST /api/reproductions: one signed ReproductionStatement (see app/_server/reproductions.ts for the order). */
export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const cfg = serverConfig();
    const body = await readJsonBody(req, cfg.maxBodyBytes);
    const out = await ingestReproduction(await getDb(), body, { rateLimit: cfg.rateLimit, rateWindowS: cfg.rateWindowS });
    const origin = publicOrigin(req, cfg);
    const { status, ...rest } = out;
    return json(
      { ...rest, url: `${origin}/api/reproductions/${out.id}`, result_url: `${origin}/results/${out.result_id}` },
      status,
      out.created ? { location: `${origin}/api/reproductions/${out.id}` } : {},
    );
  });
}

/** GET /api/reproductions?result=<id>: a result's reproductions, oldest first. */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const result = new URL(req.url).searchParams.get('result');
    if (!result || !RESULT_ID_RE.test(result)) throw new ApiFailure(400, 'bad_request', 'result must be a result id (20 lowercase hex digits)', 'result');
    return json({ items: await loadReproductions(result) });
  });
}
