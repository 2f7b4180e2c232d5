import { openApiDocument } from '../../_server/openapi';

/** GET /api/openapi.json: the OpenAPI 3.1 description of this API. */
export function GET(req: Request): Response {
  return Response.json(openApiDocument(new URL(req.url).origin), { headers: { 'cache-control': 'public, max-age=300' } });
}
