import { openApiDocument } from '../../_server/openapi';
import { publicOrigin } from '../../_server/request-context';

/** GET /api/openapi.json: the OpenAPI 3.1 description of this API. */
export function GET(req: Request): Response {
  return Response.json(openApiDocument(publicOrigin(req)), { headers: { 'cache-control': 'public, max-age=300' } });
}
