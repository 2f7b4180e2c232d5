import { loadReferenceLists } from '../../_server/read-model';
import { handle } from '../../_server/errors';
import { publicOrigin } from '../../_server/request-context';

export const dynamic = 'force-dynamic';

/** GET /api/configs: the reference config (best strategy) of every cell, per suite version. */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const origin = publicOrigin(req);
    const suites = await loadReferenceLists();
    return Response.json({
      configs: suites.flatMap((s) =>
        s.references.map((r) => ({ ...r, url: `${origin}/api/configs/${r.id}`, command: `npx headprep run ${origin}/api/configs/${r.id}` })),
      ),
    });
  });
}
