import { getSiteDb } from '../../../_components/site-db';
import { getResultFiles } from '../../../../db/queries/leaderboard-result';

export const dynamic = 'force-dynamic';

/** GET /results/<id>/envelope.json: the DSSE envelope bytes exactly as received. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const files = await getResultFiles(await getSiteDb(), id);
  if (!files)
    return Response.json({ error: { code: 'not_found', message: `no result with id "${id}"`, path: 'id' } }, { status: 404 });
  return new Response(new Uint8Array(files.envelope), {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="headprep-envelope-${id}.json"`,
      'cache-control': 'public, max-age=60',
    },
  });
}
