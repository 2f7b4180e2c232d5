/**
 * Leaderboard reads. SQL returns one observation per (protocol fingerprint, seed); the pure
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
import type { ActivityRow, AllSuitesData, SuiteObservation } from '../../contract';

/** Trust tiers a view ranks: approved keys only, or also pending keys; or reproduced results only. */
export function visibleTiers(pending: boolean, reproducedOnly = false): string[] {
  if (reproducedOnly) return ['reproduced'];
  return pending ? [...RANKED_TIERS, 'pending'] : [...RANKED_TIERS];
}

const tierList = (pending: boolean, reproducedOnly = false): SQL => sql.join(visibleTiers(pending, reproducedOnly).map((t) => sql`${t}`), sql`, `);

type Row = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * One observation per (fingerprint, seed) of the results `where` selects, with the visibility
 * rules; `reproductions` counts the visible results beyond the first of their pair. Two round
 * trips: the observations (columns only: detoasting 100k bundles would dominate), then eta and
 * temperature from one config per fingerprint. They are not one query joined in SQL: with stale
 * statistics (PGlite has no autovacuum, so right after a bulk ingest the planner expects one row)
 * Postgres joins the two as a nested loop that rescans the observations once per observation,
 * 20 s at 10k results instead of milliseconds.
 */
async function observations(db: Db, where: SQL, pending: boolean, reproducedOnly = false): Promise<{ obs: SuiteObservation[]; reproductions: number }> {
  const res = await db.execute<Row>(sql`
    select * from (
      select distinct on (fingerprint, seed)
             id, suite_name, suite_version, backbone, dataset, strategy, fingerprint, tau, seed,
             test_acc, best_val_acc, aie, feat_l2_dist, feat_cos_dist, feat_dot, feat_norm, ood_test_acc, lp_test_acc,
             trust_tier = 'pending' as pending, trust_tier = 'reproduced' as reproduced, trust_tier = 'disputed' as disputed,
             count(*) over (partition by fingerprint, seed) as copies
        from results
       where ${where}
         and status = 'ok' and not hidden and test_acc is not null
         and trust_tier in (${tierList(pending, reproducedOnly)})
       order by fingerprint, seed, (trust_tier = 'pending'), seq
    ) o
  `);
  const fingerprints = [...new Set(res.rows.map((r) => String(r.fingerprint)))];
  const params = new Map<string, { eta: unknown; temperature: unknown }>();
  if (fingerprints.length) {
    const cfg = await db.execute<Row>(sql`
      select fp.fingerprint, (c.config->>'eta')::float8 as eta, (c.config->>'temperature')::float8 as temperature
        from unnest(${`{${fingerprints.join(',')}}`}::text[]) as fp(fingerprint)
        left join lateral (select config from results r where r.fingerprint = fp.fingerprint limit 1) c on true
    `);
    for (const r of cfg.rows) params.set(String(r.fingerprint), { eta: r.eta, temperature: r.temperature });
  }
  let reproductions = 0;
  const obs = res.rows.map((r): SuiteObservation => {
    reproductions += n(r.copies) - 1;
    const p = params.get(String(r.fingerprint));
    return {
      id: String(r.id),
      suite_name: String(r.suite_name),
      suite_version: n(r.suite_version),
      backbone: String(r.backbone),
      dataset: String(r.dataset),
      strategy: String(r.strategy),
      fingerprint: String(r.fingerprint),
      tau: n(r.tau),
      seed: n(r.seed),
      eta: n(p?.eta ?? 0),
      temperature: n(p?.temperature ?? 1),
      test_acc: n(r.test_acc),
      best_val_acc: n(r.best_val_acc),
      aie: n(r.aie),
      feat_l2_dist: n(r.feat_l2_dist),
      feat_cos_dist: n(r.feat_cos_dist),
      feat_dot: n(r.feat_dot),
      feat_norm: n(r.feat_norm),
      ood_test_acc: nOrNull(r.ood_test_acc),
      lp_test_acc: nOrNull(r.lp_test_acc),
      pending: r.pending === true,
      reproduced: r.reproduced === true,
      disputed: r.disputed === true,
    };
  });
  return { obs, reproductions };
}

/** Versions of a suite that have results or a definition, ascending. */
async function suiteVersions(db: Db, name: string): Promise<{ versions: number[]; descriptions: Map<number, string> }> {
  const res = await db.execute<Row>(sql`
    select version, max(description) as description from (
      select suite_version as version, null::text as description from (select distinct suite_version from results where suite_name = ${name}) r
      union all
      select version, description from suites where name = ${name}
    ) x group by version order by version
  `);
  return {
    versions: res.rows.map((r) => n(r.version)),
    descriptions: new Map(res.rows.filter((r) => r.description !== null).map((r) => [n(r.version), String(r.description)])),
  };
}

/** Everything one leaderboard view needs, as plain rows. */
export interface LeaderboardData {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  /** One per (fingerprint, seed), every cell of the suite version. */
  observations: SuiteObservation[];
  totals: { results: number; reproductions: number };
}

/**
 * The data of one suite version's leaderboard (the latest version when version is null), or null
 * when the suite has neither results nor a definition.
 */
export async function getLeaderboardData(
  db: Db,
  ref: { name: string; version: number | null },
  opts: { pending: boolean; reproduced?: boolean },
): Promise<LeaderboardData | null> {
  const { versions, descriptions } = await suiteVersions(db, ref.name);
  if (versions.length === 0) return null;
  const version = ref.version ?? versions[versions.length - 1]!;
  if (!versions.includes(version)) return null;
  const suite = { name: ref.name, version };
  const [o, totals] = await Promise.all([
    observations(db, sql`suite_name = ${suite.name} and suite_version = ${suite.version}`, opts.pending, opts.reproduced === true),
    db.execute<Row>(sql`select count(*)::int as c from results where suite_name = ${suite.name} and suite_version = ${suite.version}`),
  ]);
  return {
    suite: { ...suite, description: descriptions.get(version) ?? null },
    versions,
    observations: o.obs,
    totals: { results: n(totals.rows[0]?.c ?? 0), reproductions: o.reproductions },
  };
}

/**
 * Recent activity on the home page: results of APPROVED keys only, grouped by (key, suite version,
 * UTC day), so a reference import or a smoke run is one line, not hundreds. Newest group first.
 */
export type { ActivityRow };

export type { AllSuitesData };

export async function getAllSuitesData(db: Db): Promise<AllSuitesData> {
  const [o, suiteRows] = await Promise.all([
    observations(db, sql`true`, false),
    db.execute<Row>(sql`
      select coalesce(s.name, c.suite_name) as name, coalesce(s.version, c.suite_version) as version,
             s.description, coalesce(c.c, 0)::int as results
        from suites s
        full outer join (select suite_name, suite_version, count(*) as c from results group by suite_name, suite_version) c
          on c.suite_name = s.name and c.suite_version = s.version
    `),
  ]);
  return {
    observations: o.obs,
    suites: suiteRows.rows.map((r) => ({
      name: String(r.name),
      version: n(r.version),
      description: r.description === null ? null : String(r.description),
      results: n(r.results),
    })),
  };
}

/** The home page: all suites' data plus the latest activity of approved keys, grouped (ActivityRow). */
export async function getHomeData(db: Db, opts: { groups?: number } = {}): Promise<AllSuitesData & { activity: ActivityRow[] }> {
  const [all, activity] = await Promise.all([
    getAllSuitesData(db),
    db.execute<Row>(sql`
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
    `),
  ]);
  return {
    ...all,
    activity: activity.rows.map((r) => ({
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
    })),
  };
}
