import { getSiteDb } from '../../_components/site-db';
import { getLeaderboardData } from '../../../db/queries/leaderboard';
import { cachedRead } from '../../_components/read-cache';
import { buildLeaderboardView, filtersToQuery, leaderboardRows, parseFilters, parseSuiteSlug, toCsv } from '../../_lib/leaderboard-view';
import { handle } from '../../_server/errors';

export const dynamic = 'force-dynamic';

const err = (status: number, code: string, message: string, path?: string) =>
  Response.json({ error: { code, message, ...(path ? { path } : {}) } }, { status });

/**
 * GET /api/leaderboard?suite=name@version&backbone=&dataset=&strategy=&pending=1&format=json|csv
 * The same view as /suites/<suite> with the same filters: one row per (cell, strategy) shown.
 */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const params = new URL(req.url).searchParams;
    const suiteParam = params.get('suite');
    if (!suiteParam) return err(400, 'bad_request', 'suite is required, e.g. ?suite=digits-transfer@1', 'suite');
    // searchParams are already decoded; parseSuiteSlug decodes again (it serves raw path segments),
    // so a "%" here is never part of a valid slug and must not reach it ("%" alone throws).
    const ref = suiteParam.includes('%') ? null : parseSuiteSlug(suiteParam);
    if (!ref) return err(400, 'bad_request', 'suite must look like name@version (lowercase id, version >= 1)', 'suite');
    const format = params.get('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') return err(400, 'bad_request', 'format must be "json" or "csv"', 'format');
    const filters = parseFilters(params);
    const db = await getSiteDb();
    const data = await cachedRead(db, `lb-api|${ref.name}|${ref.version}|${filtersToQuery(filters)}`, () =>
      getLeaderboardData(db, ref, { ...filters, points: false }),
    );
    if (!data) return err(404, 'not_found', `no results for suite ${suiteParam}`, 'suite');
    const view = buildLeaderboardView({ ...data, filters });
    const rows = leaderboardRows(view);
    const slug = `${view.suite.name}@${view.suite.version}`;
    if (format === 'csv')
      return new Response(toCsv(rows), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="headprep-leaderboard-${slug}.csv"`,
        },
      });
    return Response.json({
      suite: slug,
      filters: view.filters,
      ranking: 'per cell: mean test_acc at the best-validation epoch, 95% t-interval over seeds, tie groups by overlap with the leader',
      overall_method: 'mean win rate: better rank = 1 point, same rank = 0.5, over all pairs of strategies present in each cell',
      overall: view.overall,
      rows,
      references: view.references,
    });
  });
}
