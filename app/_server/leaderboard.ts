import 'server-only';
import { getLeaderboardData } from '../../db/queries/leaderboard';
import { cachedRead } from '../_components/read-cache';
import { getSiteDb } from '../_components/site-db';
import type { LeaderboardFilters, LeaderboardView } from '../_lib/dto';
import { buildLeaderboardView, filtersToQuery } from '../_lib/leaderboard-view';

/**
 * The one loader of a suite leaderboard view (the page and GET /api/leaderboard both call it):
 * handle, read cache, query and view. The cached value is the finished view per (suite, filters),
 * so a warm request neither queries nor re-ranks; the first request after a new submission does
 * both (the paired statistics need every observation). null when the suite has neither results nor
 * a definition.
 */
export async function loadLeaderboardView(ref: { name: string; version: number | null }, filters: LeaderboardFilters): Promise<LeaderboardView | null> {
  const db = await getSiteDb();
  return cachedRead(db, `lb|${ref.name}|${ref.version}|${filtersToQuery(filters)}`, async () => {
    const data = await getLeaderboardData(db, ref, filters);
    return data && buildLeaderboardView({ ...data, filters });
  });
}
