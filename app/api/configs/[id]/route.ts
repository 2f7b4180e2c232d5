import { getSiteDb } from '../../../_components/site-db';
import { getConfigByFingerprint } from '../../../../db/queries/configs';
import { handle } from '../../../_server/errors';

export const dynamic = 'force-dynamic';

/**
 * GET /api/configs/<fingerprint>[?seed=N]: exactly a CellConfig JSON (what `headprep run <url>`
 * reads), taken verbatim from a stored, ranked result with that protocol fingerprint. The seed is
 * the requested one when such a result exists, else the smallest stored seed.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    if (!/^[0-9a-f]{64}$/.test(id))
      return Response.json(
        { error: { code: 'bad_request', message: 'config id must be a protocol fingerprint: 64 lowercase hex digits', path: 'id' } },
        { status: 400 },
      );
    const seedParam = new URL(req.url).searchParams.get('seed');
    const seed = seedParam === null ? null : Number(seedParam);
    // seeds are 32-bit signed integers (CellConfig.seed and the results.seed column)
    if (seed !== null && !(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 31 - 1))
      return Response.json({ error: { code: 'bad_request', message: 'seed must be an integer from 0 to 2147483647', path: 'seed' } }, { status: 400 });
    const config = await getConfigByFingerprint(await getSiteDb(), id, seed);
    if (!config)
      return Response.json({ error: { code: 'not_found', message: `no ranked result has fingerprint ${id}`, path: 'id' } }, { status: 404 });
    return new Response(JSON.stringify(config, null, 2) + '\n', {
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    });
  });
}
