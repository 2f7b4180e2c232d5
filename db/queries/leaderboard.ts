/**
 * Leaderboard reads. SQL aggregates seeds per variant (protocol fingerprint) and returns plain rows;
 * the pure ranking in app/_lib (ranking.ts, leaderboard-view.ts) decides ranks, ties and tau*
 * (db/ never imports app/; app/ imports these types).
 *
 * Visibility: only rows with status 'ok', not hidden, and a ranked trust tier (approved key:
 * signed / reproduced) count, plus 'pending' when the viewer asks. Replicates of one
 * (fingerprint, seed) (e.g. a reproduction by a second key) are averaged first, so n = seeds.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../connect';
import { RANKED_TIERS, type TrustTier } from '../schema';

/** Seed statistics of one variant, as the database aggregates them (means over seeds). */
export interface VariantStats {
  backbone: string;
  dataset: string;
  strategy: string;
  fingerprint: string;
  tau: number;
  eta: number;
  temperature: number;
  /** Distinct seeds (replicates of one seed are averaged first). */
  n: number;
  test_acc_mean: number;
  /** Sample standard deviation over seeds (n - 1 denominator); 0 or null when n = 1. */
  test_acc_std: number | null;
  best_val_acc_mean: number;
  aie_mean: number;
  aie_min: number;
  aie_max: number;
  feat_l2_dist_mean: number;
  feat_cos_dist_mean: number;
  feat_dot_mean: number;
  feat_norm_mean: number;
  /** Seeds that came only from pending (unapproved) keys; 0 unless the view includes them. */
  n_pending: number;
}


/** One seed of one variant in the focused cell: a point on the energy and feature charts. */
export interface SeedPoint {
  id: string;
  strategy: string;
  tau: number;
  seed: number;
  aie: number;
  test_acc: number;
  best_val_acc: number;
  /** Final-epoch feature metrics (science.md step 6). */
  feat_l2_dist: number;
  feat_cos_dist: number;
  feat_dot: number;
  feat_norm: number;
  /** True when the result's key is not approved yet (shown only with the pending toggle). */
  pending: boolean;
}


/** Trust tiers a view ranks: approved keys only, or also pending keys. */
export function visibleTiers(pending: boolean): string[] {
  return pending ? [...RANKED_TIERS, 'pending'] : [...RANKED_TIERS];
}

const tierList = (pending: boolean): SQL => sql.join(visibleTiers(pending).map((t) => sql`${t}`), sql`, `);

type Row = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export interface SuiteVariantStats extends VariantStats {
  suite_name: string;
  suite_version: number;
}

/**
 * Per-variant seed statistics. `where` restricts the results scanned (suite, cell); always adds the
 * visibility rules. One round trip.
 */
async function variantStats(db: Db, where: SQL, pending: boolean): Promise<SuiteVariantStats[]> {
  const res = await db.execute<Row>(sql`
    with per_seed as (
      select suite_name, suite_version, backbone, dataset, strategy, fingerprint, tau, seed,
             avg(test_acc) as test_acc, avg(best_val_acc) as best_val_acc, avg(aie) as aie,
             avg(feat_l2_dist) as feat_l2_dist, avg(feat_cos_dist) as feat_cos_dist,
             avg(feat_dot) as feat_dot, avg(feat_norm) as feat_norm,
             bool_and(trust_tier = 'pending') as pending_only
        from results
       where ${where}
         and status = 'ok' and not hidden and test_acc is not null
         and trust_tier in (${tierList(pending)})
       group by suite_name, suite_version, backbone, dataset, strategy, fingerprint, tau, seed
    ), v as (
      select suite_name, suite_version, backbone, dataset, strategy, fingerprint, min(tau) as tau,
             count(*)::int as n,
             avg(test_acc)::float8 as test_acc_mean, stddev_samp(test_acc)::float8 as test_acc_std,
             avg(best_val_acc)::float8 as best_val_acc_mean,
             avg(aie)::float8 as aie_mean, min(aie)::float8 as aie_min, max(aie)::float8 as aie_max,
             avg(feat_l2_dist)::float8 as feat_l2_dist_mean, avg(feat_cos_dist)::float8 as feat_cos_dist_mean,
             avg(feat_dot)::float8 as feat_dot_mean, avg(feat_norm)::float8 as feat_norm_mean,
             sum(case when pending_only then 1 else 0 end)::int as n_pending
        from per_seed
       group by suite_name, suite_version, backbone, dataset, strategy, fingerprint
    )
    select v.*,
           (c.config->>'eta')::float8 as eta, (c.config->>'temperature')::float8 as temperature
      from v
      left join lateral (select config from results r where r.fingerprint = v.fingerprint limit 1) c on true
  `);
  return res.rows.map((r) => ({
    suite_name: String(r.suite_name),
    suite_version: n(r.suite_version),
    backbone: String(r.backbone),
    dataset: String(r.dataset),
    strategy: String(r.strategy),
    fingerprint: String(r.fingerprint),
    tau: n(r.tau),
    eta: n(r.eta ?? 0),
    temperature: n(r.temperature ?? 1),
    n: n(r.n),
    test_acc_mean: n(r.test_acc_mean),
    test_acc_std: nOrNull(r.test_acc_std),
    best_val_acc_mean: n(r.best_val_acc_mean),
    aie_mean: n(r.aie_mean),
    aie_min: n(r.aie_min),
    aie_max: n(r.aie_max),
    feat_l2_dist_mean: n(r.feat_l2_dist_mean),
    feat_cos_dist_mean: n(r.feat_cos_dist_mean),
    feat_dot_mean: n(r.feat_dot_mean),
    feat_norm_mean: n(r.feat_norm_mean),
    n_pending: n(r.n_pending),
  }));
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

/**
 * Per-seed points of one cell for the charts: the results of the first MAX_SEEDS_PER_VARIANT seeds
 * of each variant (a cloud of more points says nothing more and makes the page heavy). The ranking
 * itself always uses every seed.
 */
export const MAX_SEEDS_PER_VARIANT = 40;

async function cellPoints(
  db: Db,
  suite: { name: string; version: number },
  cell: { backbone: string; dataset: string },
  pending: boolean,
): Promise<SeedPoint[]> {
  const res = await db.execute<Row>(sql`
    select * from (
      select id, strategy, tau, seed, aie, test_acc, best_val_acc, feat_l2_dist, feat_cos_dist, feat_dot, feat_norm, trust_tier,
             dense_rank() over (partition by fingerprint order by seed) as seed_rank
        from results
       where suite_name = ${suite.name} and suite_version = ${suite.version}
         and backbone = ${cell.backbone} and dataset = ${cell.dataset}
         and status = 'ok' and not hidden and test_acc is not null
         and trust_tier in (${tierList(pending)})
    ) p
     where seed_rank <= ${MAX_SEEDS_PER_VARIANT}
     order by strategy, tau, seed, id
  `);
  return res.rows.map((r) => ({
    id: String(r.id),
    strategy: String(r.strategy),
    tau: n(r.tau),
    seed: n(r.seed),
    aie: n(r.aie),
    test_acc: n(r.test_acc),
    best_val_acc: n(r.best_val_acc),
    feat_l2_dist: n(r.feat_l2_dist),
    feat_cos_dist: n(r.feat_cos_dist),
    feat_dot: n(r.feat_dot),
    feat_norm: n(r.feat_norm),
    pending: r.trust_tier === 'pending',
  }));
}

/** Everything one leaderboard view needs, as plain rows. */
export interface LeaderboardData {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  variants: SuiteVariantStats[];
  /** Per-seed points of the focus cell (the first cell matching the backbone/dataset filters). */
  points: SeedPoint[];
  totals: { results: number };
}

/**
 * The data of one suite version's leaderboard (the latest version when version is null), or null
 * when the suite has neither results nor a definition. points = false skips the per-seed query.
 */
export async function getLeaderboardData(
  db: Db,
  ref: { name: string; version: number | null },
  opts: { pending: boolean; backbone: string | null; dataset: string | null; points?: boolean },
): Promise<LeaderboardData | null> {
  const { versions, descriptions } = await suiteVersions(db, ref.name);
  if (versions.length === 0) return null;
  const version = ref.version ?? versions[versions.length - 1]!;
  if (!versions.includes(version)) return null;
  const suite = { name: ref.name, version };
  const [variants, totals] = await Promise.all([
    variantStats(db, sql`suite_name = ${suite.name} and suite_version = ${suite.version}`, opts.pending),
    db.execute<Row>(sql`select count(*)::int as c from results where suite_name = ${suite.name} and suite_version = ${suite.version}`),
  ]);
  // Same rule as app/_lib/leaderboard-view focusCell: first (backbone, dataset) in sort order.
  const focus = variants
    .filter((v) => (opts.backbone === null || v.backbone === opts.backbone) && (opts.dataset === null || v.dataset === opts.dataset))
    .sort((a, b) => a.backbone.localeCompare(b.backbone) || a.dataset.localeCompare(b.dataset))[0];
  const points = focus && opts.points !== false ? await cellPoints(db, suite, focus, opts.pending) : [];
  return {
    suite: { ...suite, description: descriptions.get(version) ?? null },
    versions,
    variants,
    points,
    totals: { results: n(totals.rows[0]?.c ?? 0) },
  };
}

export interface RecentRow {
  id: string;
  suite: string;
  backbone: string;
  dataset: string;
  strategy: string;
  tau: number;
  seed: number;
  test_acc: number | null;
  aie: number | null;
  status: string;
  trust: TrustTier;
  received_at: string;
}

/** Every suite version's variants (approved keys only), descriptions and result counts. */
export interface AllSuitesData {
  variants: SuiteVariantStats[];
  suites: { name: string; version: number; description: string | null; results: number }[];
}

export async function getAllSuitesData(db: Db): Promise<AllSuitesData> {
  const [variants, suiteRows] = await Promise.all([
    variantStats(db, sql`true`, false),
    db.execute<Row>(sql`
      select coalesce(s.name, c.suite_name) as name, coalesce(s.version, c.suite_version) as version,
             s.description, coalesce(c.c, 0)::int as results
        from suites s
        full outer join (select suite_name, suite_version, count(*) as c from results group by suite_name, suite_version) c
          on c.suite_name = s.name and c.suite_version = s.version
    `),
  ]);
  return {
    variants,
    suites: suiteRows.rows.map((r) => ({
      name: String(r.name),
      version: n(r.version),
      description: r.description === null ? null : String(r.description),
      results: n(r.results),
    })),
  };
}

/** The home page: all suites' data plus the latest visible results. */
export async function getHomeData(db: Db, opts: { recent?: number } = {}): Promise<AllSuitesData & { recent: RecentRow[] }> {
  const [all, recent] = await Promise.all([
    getAllSuitesData(db),
    db.execute<Row>(sql`
      select id, suite_name, suite_version, backbone, dataset, strategy, tau, seed, test_acc, aie, status, trust_tier, received_at
        from results where not hidden order by seq desc limit ${Math.min(opts.recent ?? 12, 100)}
    `),
  ]);
  return {
    ...all,
    recent: recent.rows.map((r) => ({
      id: String(r.id),
      suite: `${r.suite_name}@${r.suite_version}`,
      backbone: String(r.backbone),
      dataset: String(r.dataset),
      strategy: String(r.strategy),
      tau: n(r.tau),
      seed: n(r.seed),
      test_acc: nOrNull(r.test_acc),
      aie: nOrNull(r.aie),
      status: String(r.status),
      trust: String(r.trust_tier) as TrustTier,
      received_at: new Date(r.received_at as string).toISOString(),
    })),
  };
}
