import { getSiteDb } from '../../_components/site-db';
import { cachedRead } from '../../_components/read-cache';
import { getAllSuitesData } from '../../../db/queries/leaderboard';
import { buildReferenceLists } from '../../_lib/leaderboard-view';
import { handle } from '../../_server/errors';
import { publicOrigin } from '../../_server/request-context';

export const dynamic = 'force-dynamic';

/** GET /api/configs: the reference config (best strategy) of every cell, per suite version. */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const origin = publicOrigin(req);
    const db = await getSiteDb();
    const suites = buildReferenceLists(await cachedRead(db, 'all-suites', () => getAllSuitesData(db)));
    return Response.json({
      configs: suites.flatMap((s) =>
        s.references.map((r) => ({ ...r, url: `${origin}/api/configs/${r.id}`, command: `npx headprep run ${origin}/api/configs/${r.id}` })),
      ),
    });
  });
}
