/**
 * What the view worker (./view-worker.ts) is handed: a suite version's leaderboard data with its
 * observations still packed as the database's JSON text (db/queries/leaderboard.ts
 * packedObservations), and the filters. Unpacking and building happen on the thread that builds:
 * the server's thread only passes one string along. No server-only import: the worker loads this.
 */
import { unpackLeaderboardData, type PackedLeaderboardData } from '../../db/queries/leaderboard';
import type { LeaderboardFilters, LeaderboardView } from '../_lib/dto';
import { buildLeaderboardView } from '../_lib/leaderboard-view';

export type PackedViewInput = PackedLeaderboardData & { filters: LeaderboardFilters };

export function buildFromPacked(input: PackedViewInput): LeaderboardView {
  return buildLeaderboardView({ ...unpackLeaderboardData(input), filters: input.filters });
}
