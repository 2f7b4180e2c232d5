import { RESULT_ID_RE } from '../../../../../contract';
import { ApiFailure, handle } from '../../../../_server/errors';
import { loadResultEnvelope } from '../../../../_server/read-model';

export const dynamic = 'force-dynamic';

/** GET /api/results/<id>/envelope: the envelope byte for byte as it was submitted. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    const bytes = RESULT_ID_RE.test(id) ? await loadResultEnvelope(id) : null;
    if (!bytes) throw new ApiFailure(404, 'not_found', `no result ${id}`);
    return new Response(bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${id}.envelope.json"`,
        'cache-control': 'public, max-age=31536000, immutable',
      },
    });
  });
}
