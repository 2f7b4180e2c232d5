import { getSiteDb } from '../../_components/site-db';
import { getResultFiles } from '../../../db/queries/leaderboard-result';

type FileKind = 'bundle' | 'envelope' | 'config';

/**
 * GET handler of /results/<id>/<kind>.json: the stored bytes as an attachment: the bundle exactly
 * as signed (the envelope payload), the envelope exactly as received, or the run's CellConfig.
 */
export function resultDownload(kind: FileKind) {
  return async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
    const { id } = await ctx.params;
    const files = await getResultFiles(await getSiteDb(), id);
    if (!files)
      return Response.json({ error: { code: 'not_found', message: `no result with id "${id}"`, path: 'id' } }, { status: 404 });
    const body = kind === 'config' ? files.config : new Uint8Array(files[kind]);
    return new Response(body, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="headprep-${kind}-${id}.json"`,
        'cache-control': 'public, max-age=60',
      },
    });
  };
}
