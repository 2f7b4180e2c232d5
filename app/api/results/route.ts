import { getDb } from '../../../db/connect';
import { CursorError } from '../../../db/queries/results';
import { serverConfig } from '../../_server/config';
import { ApiFailure, handle } from '../../_server/errors';
import { json, readJsonBody } from '../../_server/http';
import { ingestEnvelope } from '../../_server/ingest';
import { clientAddress, publicOrigin } from '../../_server/request-context';
import { loadResultList } from '../../_server/read-model';
import { parseResultListRequest, resultsCsv } from '../../_server/results-query';

export const dynamic = 'force-dynamic';

/** POST /api/results: ingest one signed result envelope (see app/_server/ingest.ts for the order). */
export async function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const cfg = serverConfig();
    const body = await readJsonBody(req, cfg.maxBodyBytes);
    const out = await ingestEnvelope(await getDb(), body, {
      rateLimit: cfg.rateLimit,
      rateWindowS: cfg.rateWindowS,
      replayLimit: cfg.replayLimit,
      pendingQuotaBytes: cfg.pendingKeyQuotaBytes,
      clientAddress: clientAddress(req, cfg),
    });
    const origin = publicOrigin(req, cfg);
    return json(
      {
        id: out.id,
        created: out.created,
        url: `${origin}/results/${out.id}`,
        api_url: `${origin}/api/results/${out.id}`,
        key_id: out.key_id,
        key_status: out.key_status,
        payload_sha256: out.payload_sha256,
        ...(out.reproduction
          ? { reproduction: { ...out.reproduction, url: `${origin}/api/reproductions/${out.reproduction.id}` } }
          : {}),
      },
      out.status,
      out.created ? { location: `${origin}/api/results/${out.id}` } : {},
    );
  });
}

/** GET /api/results?suite=&backbone=&dataset=&strategy=&key=&fingerprint=&tier=&cursor=&limit=&format=json|csv */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const url = new URL(req.url);
    const q = parseResultListRequest(url.searchParams);
    let page;
    try {
      page = await loadResultList(q.filters, { cursor: q.cursor, limit: q.limit });
    } catch (e) {
      if (e instanceof CursorError) throw new ApiFailure(400, 'bad_request', e.message, 'cursor');
      throw e;
    }
    const next = page.next_cursor ? new URL(`${url.pathname}${url.search}`, publicOrigin(req)) : null;
    next?.searchParams.set('cursor', page.next_cursor!);
    if (q.format === 'csv')
      return new Response(resultsCsv(page.items), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="headprep-results.csv"',
          ...(next ? { link: `<${next}>; rel="next"` } : {}),
        },
      });
    return json({ items: page.items, next_cursor: page.next_cursor, next: next?.toString() ?? null });
  });
}
