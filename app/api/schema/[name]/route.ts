import { jsonSchemas, SCHEMA_NAMES, type SchemaName } from '../../../../contract';
import { ApiFailure, handle } from '../../../_server/errors';

/** GET /api/schema/<name>: the JSON Schema (draft 2020-12) of a wire type; ".json" suffix optional. */
export async function GET(_req: Request, ctx: { params: Promise<{ name: string }> }): Promise<Response> {
  return handle(async () => {
    const name = (await ctx.params).name.replace(/(\.schema)?\.json$/, '');
    if (!(SCHEMA_NAMES as string[]).includes(name))
      throw new ApiFailure(404, 'not_found', `no schema "${name}"; known: ${SCHEMA_NAMES.join(', ')}`, 'name');
    return Response.json(jsonSchemas()[name as SchemaName], {
      headers: { 'content-type': 'application/schema+json', 'cache-control': 'public, max-age=3600' },
    });
  });
}
