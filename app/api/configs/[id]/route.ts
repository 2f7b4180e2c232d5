import { HEX64_RE } from '../../../../contract';
import { ApiFailure, handle } from '../../../_server/errors';
import { loadConfig } from '../../../_server/read-model';

export const dynamic = 'force-dynamic';

/**
 * GET /api/configs/<fingerprint>[?seed=N]: exactly a CellConfig JSON (what `headprep run <url>`
 * reads), taken verbatim from a stored, ranked result with that protocol fingerprint. The seed is
 * the requested one when such a result exists, else the smallest stored seed.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const { id } = await ctx.params;
    if (!HEX64_RE.test(id)) throw new ApiFailure(400, 'bad_request', 'config id must be a protocol fingerprint: 64 lowercase hex digits', 'id');
    const seedParam = new URL(req.url).searchParams.get('seed');
    const seed = seedParam === null ? null : Number(seedParam);
    // seeds are 32-bit signed integers (CellConfig.seed and the results.seed column)
    if (seed !== null && !(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 31 - 1))
      throw new ApiFailure(400, 'bad_request', 'seed must be an integer from 0 to 2147483647', 'seed');
    const config = await loadConfig(id, seed);
    if (!config) throw new ApiFailure(404, 'not_found', `no ranked result has fingerprint ${id}`, 'id');
    return new Response(JSON.stringify(config, null, 2) + '\n', {
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
    });
  });
}
