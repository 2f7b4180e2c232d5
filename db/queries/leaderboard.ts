/**
 * Leaderboard reads. SQL returns one observation per (protocol fingerprint, seed), from the
 * observation table the results trigger maintains (db/schema/index.ts leaderboardObservations); the pure
 * ranking of contract/ranking/ (paired by seed) decides ranks, ties and tau* for both the site
 * and `headprep report`.
 *
 * Visibility: only rows with status 'ok', not hidden, and a ranked trust tier (approved key:
 * signed / reproduced / disputed, the last flagged) count, plus 'pending' when the viewer asks. One observation per
 * (fingerprint, seed): the first visible result received (approved keys before pending ones); a
 * later result for the same pair, from any key, is a reproduction and never another seed.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../types';
import { RANKED_TIERS } from '../schema';
import type { ActivityRow, SuiteObservation, SuiteVersionRow } from '../../contract';

/**
 * Trust tiers a view ranks: approved keys only, or also pending keys; or reproduced results only.
 * The observation trigger (db/migrations/0005_leaderboard_observations.sql) applies the same lists.
 */
export function visibleTiers(pending: boolean, reproducedOnly = false): string[] {
  if (reproducedOnly) return ['reproduced'];
  return pending ? [...RANKED_TIERS, 'pending'] : [...RANKED_TIERS];
}

type Row = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A row with the observation table's columns (result_id, trust_tier, the metrics) as a SuiteObservation. */
export function observationOf(r: Row): SuiteObservation {
  return {
    id: String(r.result_id),
    suite_name: String(r.suite_name),
    suite_version: n(r.suite_version),
    backbone: String(r.backbone),
    dataset: String(r.dataset),
    strategy: String(r.strategy),
    fingerprint: String(r.fingerprint),
    tau: n(r.tau),
    seed: n(r.seed),
    eta: n(r.eta ?? 0),
    temperature: n(r.temperature ?? 1),
    test_acc: n(r.test_acc),
    best_val_acc: n(r.best_val_acc),
    aie: n(r.aie),
    feat_l2_dist: n(r.feat_l2_dist),
    feat_cos_dist: n(r.feat_cos_dist),
    feat_dot: n(r.feat_dot),
    feat_norm: n(r.feat_norm),
    ood_test_acc: nOrNull(r.ood_test_acc),
    lp_test_acc: nOrNull(r.lp_test_acc),
    pending: r.trust_tier === 'pending',
    reproduced: r.trust_tier === 'reproduced',
    disputed: r.trust_tier === 'disputed',
  };
}

/** The observation table's columns a view reads, in the order of a packed row (then its copies). */
const OBS_COLUMNS = [
  'result_id', 'suite_name', 'suite_version', 'backbone', 'dataset', 'strategy', 'fingerprint', 'tau', 'seed', 'eta', 'temperature',
  'test_acc', 'best_val_acc', 'aie', 'feat_l2_dist', 'feat_cos_dist', 'feat_dot', 'feat_norm', 'ood_test_acc', 'lp_test_acc', 'trust_tier',
] as const;

/**
 * One observation per (fingerprint, seed) of the suite versions `where` selects, with the
 * visibility rules, read from the observation table (leaderboard_observations, kept by a trigger on
 * results in the transaction of every change: db/schema/index.ts), packed by the database into one
 * JSON text: an array per observation, OBS_COLUMNS then its visible copies. The server's thread
 * receives a single string however many rows there are (at 100k observations: about 0.2 s of its
 * time instead of 1.5 s for rows and their copy to the view worker), and unpackObservations turns it
 * into observations where the view is built. No result row, and no bundle, is read.
 */
async function packedObservations(db: Db, where: SQL, pending: boolean, reproducedOnly = false): Promise<string> {
  const view = reproducedOnly ? 'reproduced' : 'ranked';
  const copies = reproducedOnly || pending ? sql`copies` : sql`copies_ranked`;
  const res = await db.execute<Row>(sql`
    select coalesce(json_agg(json_build_array(${sql.raw(OBS_COLUMNS.join(', '))}, ${copies}) order by fingerprint, seed), '[]')::text as packed
      from leaderboard_observations
     where ${where} and view = ${view}
       ${pending || reproducedOnly ? sql`` : sql`and trust_tier <> 'pending'`}
  `);
  return String(res.rows[0]?.packed ?? '[]');
}

/** The observations of packedObservations' text; `reproductions`: the visible results beyond the first of their pair. */
export function unpackObservations(packed: string): { obs: SuiteObservation[]; reproductions: number } {
  let reproductions = 0;
  const obs = (JSON.parse(packed) as unknown[][]).map((a) => {
    const r: Row = {};
    for (let i = 0; i < OBS_COLUMNS.length; i++) r[OBS_COLUMNS[i]!] = a[i];
    reproductions += n(a[OBS_COLUMNS.length]) - 1;
    return observationOf(r);
  });
  return { obs, reproductions };
}

/** Versions of a suite that have results or a definition, ascending, with each version's stored results. */
async function suiteVersions(db: Db, name: string): Promise<{ versions: number[]; descriptions: Map<number, string>; results: Map<number, number> }> {
  const res = await db.execute<Row>(sql`
    select version, max(description) as description, coalesce(max(results), 0)::int as results from (
      select suite_version as version, null::text as description, results from leaderboard_stamps where suite_name = ${name} and results > 0
      union all
      select version, description, null::int as results from suites where name = ${name}
    ) x group by version order by version
  `);
  return {
    versions: res.rows.map((r) => n(r.version)),
    descriptions: new Map(res.rows.filter((r) => r.description !== null).map((r) => [n(r.version), String(r.description)])),
    results: new Map(res.rows.map((r) => [n(r.version), n(r.results)])),
  };
}

/**
 * The change stamp of a suite's leaderboards (every version, so the latest-version view moves
 * too): a few rows of leaderboard_stamps and suites, whatever the number of results. A view built
 * when the stamp was S is current while the stamp is S. `changedAt`: the newest change.
 */
export async function getSuiteStamp(db: Db, name: string): Promise<{ stamp: string; changedAt: Date | null }> {
  return (await suiteStamps(db, name)).get(name) ?? { stamp: '|', changedAt: null };
}

/** getSuiteStamp of every suite name the site knows, in one query (the home page reads them all). */
export async function getSuiteStamps(db: Db): Promise<Map<string, { stamp: string; changedAt: Date | null }>> {
  return suiteStamps(db, null);
}

async function suiteStamps(db: Db, only: string | null): Promise<Map<string, { stamp: string; changedAt: Date | null }>> {
  const res = await db.execute<Row>(sql`
    select n.name,
           coalesce((select string_agg(suite_version || ':' || stamp, ',' order by suite_version) from leaderboard_stamps where suite_name = n.name), '')
             || '|' || coalesce((select string_agg(version || ':' || extract(epoch from created_at), ',' order by version) from suites where name = n.name), '') as stamp,
           (select max(changed_at) from leaderboard_stamps where suite_name = n.name) as changed_at
      from (select suite_name as name from leaderboard_stamps union select name from suites) n
     ${only === null ? sql`` : sql`where n.name = ${only}`}
  `);
  return new Map(res.rows.map((r) => [String(r.name), { stamp: String(r.stamp ?? ''), changedAt: r.changed_at ? new Date(r.changed_at as string) : null }]));
}

/** Everything one leaderboard view needs, as plain rows. */
export interface LeaderboardData {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  /** One per (fingerprint, seed), every cell of the suite version. */
  observations: SuiteObservation[];
  totals: { results: number; reproductions: number };
}

/** LeaderboardData with its observations still packed (packedObservations): what the site hands its view worker. */
export interface PackedLeaderboardData {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  packed: string;
  results: number;
}

/**
 * The data of one suite version's leaderboard (the latest version when version is null), or null
 * when the suite has neither results nor a definition.
 */
export async function getLeaderboardData(db: Db, ref: { name: string; version: number | null }, opts: { pending: boolean; reproduced?: boolean }): Promise<LeaderboardData | null> {
  const p = await getPackedLeaderboardData(db, ref, opts);
  return p && unpackLeaderboardData(p);
}

export async function getPackedLeaderboardData(
  db: Db,
  ref: { name: string; version: number | null },
  opts: { pending: boolean; reproduced?: boolean },
): Promise<PackedLeaderboardData | null> {
  const { versions, descriptions, results } = await suiteVersions(db, ref.name);
  if (versions.length === 0) return null;
  const version = ref.version ?? versions[versions.length - 1]!;
  if (!versions.includes(version)) return null;
  const suite = { name: ref.name, version };
  return {
    suite: { ...suite, description: descriptions.get(version) ?? null },
    versions,
    packed: await packedObservations(db, sql`suite_name = ${suite.name} and suite_version = ${suite.version}`, opts.pending, opts.reproduced === true),
    results: results.get(version) ?? 0,
  };
}

export function unpackLeaderboardData(p: PackedLeaderboardData): LeaderboardData {
  const { obs, reproductions } = unpackObservations(p.packed);
  return { suite: p.suite, versions: p.versions, observations: obs, totals: { results: p.results, reproductions } };
}

/**
 * Recent activity on the home page: results of APPROVED keys only, grouped by (key, suite version,
 * UTC day), so a reference import or a smoke run is one line, not hundreds. Newest group first.
 */
export type { ActivityRow };

/**
 * Every suite version the site knows: published ones (the suites table) and any with stored
 * results, with their description and stored result count (leaderboard_stamps): a row per suite
 * version, whatever the number of results.
 */
export async function listSuiteVersions(db: Db): Promise<SuiteVersionRow[]> {
  const res = await db.execute<Row>(sql`
    select coalesce(s.name, c.suite_name) as name, coalesce(s.version, c.suite_version) as version,
           s.description, coalesce(c.c, 0)::int as results
      from suites s
      full outer join (select suite_name, suite_version, results as c from leaderboard_stamps where results > 0) c
        on c.suite_name = s.name and c.suite_version = s.version
  `);
  return res.rows.map((r) => ({
    name: String(r.name),
    version: n(r.version),
    description: r.description === null ? null : String(r.description),
    results: n(r.results),
  }));
}

/** The latest activity of approved keys, grouped by (key, suite version, UTC day), newest group first (ActivityRow). */
export async function getActivity(db: Db, opts: { groups?: number } = {}): Promise<ActivityRow[]> {
  const activity = await db.execute<Row>(sql`
      select r.key_id, max(k.name) as key_name, r.suite_name, r.suite_version,
             to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD') as day,
             count(*)::int as results, count(*) filter (where r.status = 'ok')::int as ok,
             count(distinct r.strategy)::int as strategies, count(distinct r.seed)::int as seeds,
             min(r.received_at) as first_at, max(r.received_at) as last_at
        from results r join keys k on k.key_id = r.key_id
       where k.status = 'approved' and not r.hidden
       group by r.key_id, r.suite_name, r.suite_version, day
       order by max(r.seq) desc
       limit ${Math.min(opts.groups ?? 8, 50)}
    `);
  return activity.rows.map((r) => ({
      key_id: String(r.key_id),
      key_name: String(r.key_name),
      suite: `${r.suite_name}@${r.suite_version}`,
      day: String(r.day),
      results: n(r.results),
      ok: n(r.ok),
      strategies: n(r.strategies),
      seeds: n(r.seeds),
      first_at: new Date(r.first_at as string).toISOString(),
      last_at: new Date(r.last_at as string).toISOString(),
    }));
}
