import { ApiFailure, handle } from '../../_server/errors';
import { loadResultFiles } from '../../_server/read-model';

type FileKind = 'bundle' | 'envelope' | 'config';

/**
 * GET handler of /results/<id>/<kind>.json: the stored bytes as an attachment: the bundle exactly
 * as signed (the envelope payload), the envelope exactly as received, or the run's CellConfig.
 */
export function resultDownload(kind: FileKind) {
  return (_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> =>
    handle(async () => {
      const { id } = await ctx.params;
    const files = await loadResultFiles(id);
    if (!files) throw new ApiFailure(404, 'not_found', `no result with id "${id}"`, 'id');
    const body = kind === 'config' ? files.config : new Uint8Array(files[kind]);
    return new Response(body, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="headprep-${kind}-${id}.json"`,
        'cache-control': 'public, max-age=60',
      },
    });
    });
}
