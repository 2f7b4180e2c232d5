import { parseSuiteSlug, RANKING_RULE, suiteSlug } from '../../../contract';
import { toCsv } from '../../_lib/csv';
import { leaderboardRows, parseFilters } from '../../_lib/leaderboard-view';
import { ApiFailure, handle } from '../../_server/errors';
import { loadLeaderboardViewFresh } from '../../_server/read-model';
import type { LeaderboardView } from '../../_lib/dto';

export const dynamic = 'force-dynamic';

/**
 * The serialized answers of each cached view (db/queries/read-cache.ts keeps one view object per
 * suite, filters and data stamp): a warm request sends the bytes built by the first one instead of
 * rebuilding the rows and serializing the whole view again. Entries go with their view.
 */
const bodies = new WeakMap<LeaderboardView, { json?: string; csv?: string }>();

function answerBody(view: LeaderboardView, format: 'json' | 'csv'): string {
  let b = bodies.get(view);
  if (!b) bodies.set(view, (b = {}));
  if (format === 'csv') return (b.csv ??= toCsv(leaderboardRows(view)));
  return (b.json ??= JSON.stringify({
    suite: suiteSlug(view.suite),
    filters: view.filters,
    ranking: RANKING_RULE,
    overall_method: 'Friedman test over (cell, seed) blocks, Iman-Davenport F, Nemenyi critical difference at alpha 0.05 (Demsar 2006)',
    overall: view.overall,
    claims: view.claims,
    totals: view.totals,
    rows: leaderboardRows(view),
    references: view.references,
  }));
}

/**
 * GET /api/leaderboard?suite=name@version&backbone=&dataset=&strategy=&pending=1&format=json|csv
 * The same view as /suites/<suite> with the same filters: one row per (cell, strategy) shown.
 */
export async function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const params = new URL(req.url).searchParams;
    const suiteParam = params.get('suite');
    if (!suiteParam) throw new ApiFailure(400, 'bad_request', 'suite is required, e.g. ?suite=digits-transfer@1', 'suite');
    // searchParams are already decoded: the parameter is the slug itself.
    const ref = parseSuiteSlug(suiteParam);
    if (!ref) throw new ApiFailure(400, 'bad_request', 'suite must look like name@version (lowercase id, version >= 1)', 'suite');
    const format = params.get('format') ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new ApiFailure(400, 'bad_request', 'format must be "json" or "csv"', 'format');
    const filters = parseFilters(params);
    const { view, freshness } = await loadLeaderboardViewFresh(ref, filters);
    if (!view) throw new ApiFailure(404, 'not_found', `no results for suite ${suiteParam}`, 'suite');
    const slug = suiteSlug(view.suite);
    // Freshness of the cached view (db/queries/read-cache.ts): "stale" while a newer one is computed.
    const fresh = { 'x-headprep-view': freshness.stale ? 'stale' : 'current', ...(freshness.as_of ? { 'x-headprep-view-as-of': freshness.as_of } : {}) };
    if (format === 'csv')
      return new Response(answerBody(view, 'csv'), {
        headers: {
          ...fresh,
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="headprep-leaderboard-${slug}.csv"`,
        },
      });
    return new Response(answerBody(view, 'json'), { headers: { ...fresh, 'content-type': 'application/json' } });
  });
}
