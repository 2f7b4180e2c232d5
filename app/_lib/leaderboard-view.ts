/**
 * Builds the leaderboard view (ranked cells, overall rank, claims, chart DTO, reference configs)
 * from one observation per (fingerprint, seed). The statistics are contract/ranking/, the same
 * code `headprep report` runs; this module only filters, picks the focus cell and shapes DTOs. Pure.
 * Also the CSV/JSON export of the same view.
 */
import type {
  EnergyChartData,
  HomeView,
  ReferenceConfigList,
  SuiteSummary,
  SuiteClaimsRow,
  LeaderboardFilters,
  LeaderboardView,
  ReferenceConfigSummary,
  SeedPoint,
  StrategyLegend,
  SweepPoint,
} from './dto';
import { strategyColor } from './ranking';
import {
  checkClaims,
  claimsSpecFor,
  overallRanking,
  parseSuiteSlug,
  publishedSuite,
  rankCells,
  strategyInfo,
  strategyOrder,
  suiteSlug,
  sweepVariants,
  type CellRanking,
  type Claim,
  type SuiteObservation,
  type ActivityRow,
  type SuiteVersionRow,
} from '../../contract';

/** The data of one view (db/queries/leaderboard getLeaderboardData) plus the URL filters. */
export interface LeaderboardInput {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  filters: LeaderboardFilters;
  /** Every observation of the suite version (already restricted to approved keys unless filters.pending). */
  observations: SuiteObservation[];
  totals: { results: number; reproductions: number };
}

/** Seeds per variant drawn on the charts (a bigger cloud says nothing more); the ranking uses all. */
export const MAX_SEEDS_PER_VARIANT = 12;

/**
 * Per-seed rows of a claim's correlation evidence that a view lists (page and API); the sign test
 * uses every seed (its n) and the rest are counted in `seeds_omitted`. At 100k results a claim
 * listed 6,667 rows: 1 MB of the API's answer, growing with the data.
 */
export const MAX_EVIDENCE_SEEDS = 50;

function listedClaims(claims: Claim[]): Claim[] {
  return claims.map((c) =>
    c.correlations.some((r) => r.seeds.length > MAX_EVIDENCE_SEEDS)
      ? {
          ...c,
          correlations: c.correlations.map((r) =>
            r.seeds.length > MAX_EVIDENCE_SEEDS ? { ...r, seeds: r.seeds.slice(0, MAX_EVIDENCE_SEEDS), seeds_omitted: r.seeds.length - MAX_EVIDENCE_SEEDS } : r,
          ),
        }
      : c,
  );
}

export type { SuiteVersionRow };

/**
 * What the home page and the reference configs take from one suite version: its best strategy per
 * cell, its claims row and its reference configs, all read off its default leaderboard view (every
 * cell, every strategy, approved keys: what /suites/<suite> shows with no filter), so they are
 * computed exactly as the suite page computes them.
 */
export interface SuiteDigest {
  row: SuiteVersionRow;
  summary: SuiteSummary;
  /** Its pre-registered claims on its first cell; null when it has none (or no results). */
  claims: SuiteClaimsRow | null;
  references: ReferenceConfigSummary[];
}

export function suiteDigest(row: SuiteVersionRow, view: LeaderboardView | null): SuiteDigest {
  const slug = suiteSlug(row);
  const cells = view?.cells ?? [];
  const summary: SuiteSummary = {
    name: row.name,
    version: row.version,
    description: row.description,
    results: row.results,
    cells: cells.map((c) => {
      const best = c.rows[0];
      const tiedWith = c.rows.filter((r) => r !== best && r.ties_leader).map((r) => r.strategy);
      return {
        backbone: c.backbone,
        dataset: c.dataset,
        best: best
          ? { strategy: best.strategy, tau: best.tau, mean: best.mean, lo: best.lo, hi: best.hi, n: best.n, tied: tiedWith.length, tied_with: tiedWith }
          : null,
      };
    }),
  };
  const focus = view?.focus ?? null;
  const claims =
    focus && view && view.claims.length
      ? {
          suite: slug,
          backbone: focus.backbone,
          dataset: focus.dataset,
          claims: view.claims.map((c) => ({ id: c.id, label: c.label, kind: c.kind, statement: c.statement, verdict: c.verdict, summary: c.summary })),
        }
      : null;
  return { row, summary, claims, references: cells.flatMap((c) => referenceOf(slug, c) ?? []) };
}

/** Suite versions by name, newest version first. */
const bySuiteOrder = (a: SuiteDigest, b: SuiteDigest) => a.row.name.localeCompare(b.row.name) || b.row.version - a.row.version;

/** Suite versions the home page ranks: the ones with the most stored results (a site with thousands shows these, not all). */
export const HOME_MAX_SUITES = 24;

/** The suite versions the home page shows: those with results, the HOME_MAX_SUITES with the most (ties by name, newest version first). */
export function homeSuiteRows(rows: readonly SuiteVersionRow[]): SuiteVersionRow[] {
  return rows
    .filter((r) => r.results > 0)
    .sort((a, b) => b.results - a.results || a.name.localeCompare(b.name) || b.version - a.version)
    .slice(0, HOME_MAX_SUITES);
}

/**
 * Home page view: suite versions with results and their best strategy per cell (with the strategies
 * that tie it), each suite's pre-registered claims on its first cell, and the recent activity of
 * approved keys, grouped. `rows`: every suite version the site knows, to count those not shown.
 */
export function homeFromDigests(digests: readonly SuiteDigest[], activity: ActivityRow[], rows: readonly SuiteVersionRow[] = digests.map((d) => d.row)): HomeView {
  const shown = [...digests].sort(bySuiteOrder).filter((d) => d.row.results > 0);
  const withResults = rows.filter((r) => r.results > 0).length;
  return { suites: shown.map((d) => d.summary), claims: shown.flatMap((d) => d.claims ?? []), activity, more_suites: Math.max(0, withResults - shown.length) };
}

/** Reference configs (best strategy per cell) of every suite version with ranked results. */
export function referenceListsFromDigests(digests: readonly SuiteDigest[]): ReferenceConfigList[] {
  return [...digests]
    .sort(bySuiteOrder)
    .filter((d) => d.summary.cells.length > 0)
    .map((d) => ({ suite: suiteSlug(d.row), description: d.row.description, references: d.references }));
}

/** All (backbone, dataset) pairs present, sorted. */
export function listPairs(rows: readonly { backbone: string; dataset: string }[]): { backbone: string; dataset: string }[] {
  const seen = new Map<string, { backbone: string; dataset: string }>();
  for (const v of rows) seen.set(`${v.backbone}\u0000${v.dataset}`, { backbone: v.backbone, dataset: v.dataset });
  return [...seen.values()].sort((a, b) => a.backbone.localeCompare(b.backbone) || a.dataset.localeCompare(b.dataset));
}

/** The cell whose charts and claims are shown: the first pair matching the backbone/dataset filters. */
export function focusCell(
  pairs: readonly { backbone: string; dataset: string }[],
  filters: Pick<LeaderboardFilters, 'backbone' | 'dataset'>,
): { backbone: string; dataset: string } | null {
  return (
    pairs.find((p) => (filters.backbone === null || p.backbone === filters.backbone) && (filters.dataset === null || p.dataset === filters.dataset)) ??
    null
  );
}

export function referenceOf(suite: string, cell: CellRanking): ReferenceConfigSummary | null {
  const best = cell.rows[0];
  if (!best) return null;
  return {
    id: best.fingerprint,
    suite,
    backbone: cell.backbone,
    dataset: cell.dataset,
    strategy: best.strategy,
    tau: best.tau,
    n: best.n,
    test_acc: { mean: best.mean, lo: best.lo, hi: best.hi },
    aie: { mean: best.aie_mean, min: best.aie_min, max: best.aie_max },
    tied: cell.rows.filter((r) => r !== best && r.ties_leader).length,
  };
}

export function buildChart(cell: CellRanking, points: readonly SeedPoint[]): EnergyChartData {
  const ids = [...new Set(cell.variants.map((v) => v.strategy))].sort(strategyOrder);
  const strategies: StrategyLegend[] = ids.map((id) => ({ id, color: strategyColor(id), ...strategyInfo(id) }));
  const sweep: SweepPoint[] = sweepVariants(cell.variants).map((v) => ({
    strategy: v.strategy,
    tau: v.tau,
    n: v.n,
    aie: v.aie_mean,
    test_acc: v.test_acc_mean,
    best_val_acc: v.best_val_acc_mean,
    feat_l2_dist: v.feat_l2_dist_mean,
    feat_cos_dist: v.feat_cos_dist_mean,
    feat_dot: v.feat_dot_mean,
    feat_norm: v.feat_norm_mean,
  }));
  const hpTau = cell.rows.find((r) => r.strategy === 'hp-tau');
  return {
    strategies,
    points: [...points],
    sweep: sweep.length >= 2 ? sweep : [],
    chosen_tau: hpTau ? hpTau.tau : null,
    seeds_total: cell.variants.reduce((s, v) => s + v.n, 0),
  };
}

/** The focus cell's observations as chart points: the first MAX_SEEDS_PER_VARIANT seeds of each variant. */
function chartPoints(obs: readonly SuiteObservation[]): SeedPoint[] {
  const count = new Map<string, number>();
  return [...obs]
    .sort((a, b) => strategyOrder(a.strategy, b.strategy) || a.tau - b.tau || a.seed - b.seed || a.id.localeCompare(b.id))
    .filter((o) => {
      const c = (count.get(o.fingerprint) ?? 0) + 1;
      count.set(o.fingerprint, c);
      return c <= MAX_SEEDS_PER_VARIANT;
    })
    .map((o) => ({
      id: o.id,
      strategy: o.strategy,
      tau: o.tau,
      seed: o.seed,
      aie: o.aie,
      test_acc: o.test_acc,
      best_val_acc: o.best_val_acc,
      feat_l2_dist: o.feat_l2_dist,
      feat_cos_dist: o.feat_cos_dist,
      feat_dot: o.feat_dot,
      feat_norm: o.feat_norm,
      pending: o.pending,
    }));
}

/**
 * The view of one suite version. The rankings are computed for the current filters: unticked
 * strategies leave the data before ranking, so ranks, paired tests and the overall Friedman
 * ranking describe what is shown. The claims are NOT: they are pre-registered per suite version
 * (its `claims` block or the default of its grid) and computed on every strategy of the focus
 * cell, so the strategy filter never changes a verdict.
 */
export function buildLeaderboardView(input: LeaderboardInput): LeaderboardView {
  const { filters } = input;
  const slug = suiteSlug(input.suite);
  const pairs = listPairs(input.observations);
  const allStrategies = [...new Set(input.observations.map((v) => v.strategy))].sort(strategyOrder);
  const shown = (s: string) => filters.strategies === null || filters.strategies.includes(s);
  const inCell = (c: { backbone: string; dataset: string }) =>
    (filters.backbone === null || c.backbone === filters.backbone) && (filters.dataset === null || c.dataset === filters.dataset);
  const visible = input.observations.filter((o) => shown(o.strategy));
  const ranked = rankCells(visible);
  const cells = ranked.filter(inCell);
  const focus = focusCell(pairs, filters);
  const focusRanking = focus ? ranked.find((c) => c.backbone === focus.backbone && c.dataset === focus.dataset) : undefined;
  const focusObs = focus ? visible.filter((o) => o.backbone === focus.backbone && o.dataset === focus.dataset) : [];
  const focusAll = focus ? input.observations.filter((o) => o.backbone === focus.backbone && o.dataset === focus.dataset) : [];
  return {
    suite: input.suite,
    versions: input.versions,
    filters,
    options: { pairs, strategies: allStrategies },
    cells,
    overall: overallRanking(cells),
    claims: focusAll.length ? listedClaims(checkClaims(focusAll, claimsSpecFor(publishedSuite(slug), input.observations))) : [],
    focus,
    chart: focusRanking ? buildChart(focusRanking, chartPoints(focusObs)) : null,
    references: cells.flatMap((c) => referenceOf(slug, c) ?? []),
    totals: {
      results: input.totals.results,
      reproductions: input.totals.reproductions,
      // distinct (cell, seed) pairs: a seed counts once however many strategies ran it
      seeds_ranked: cells.reduce((s, c) => s + new Set(c.rows.flatMap((r) => Object.keys(c.by_seed[r.strategy] ?? {}))).size, 0),
      ranked_results: cells.reduce((s, c) => s + c.rows.reduce((t, r) => t + r.n, 0), 0),
    },
  };
}

/** Parses leaderboard filters from URL search params; unknown or empty values mean "all". */
export function parseFilters(params: Record<string, string | string[] | undefined> | URLSearchParams): LeaderboardFilters {
  const get = (k: string): string | null => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s === undefined || s === null || s === '' || s === 'all' ? null : s;
  };
  const strategiesRaw = params instanceof URLSearchParams ? params.getAll('strategy') : [params.strategy ?? []].flat();
  const strategies = strategiesRaw.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s && s !== 'all');
  const pending = get('pending');
  const reproduced = get('reproduced');
  const on = (v: string | null) => v === '1' || v === 'true' || v === 'on';
  return {
    backbone: get('backbone'),
    dataset: get('dataset'),
    strategies: strategies.length ? [...new Set(strategies)] : null,
    pending: on(pending),
    reproduced: on(reproduced),
  };
}

/** The query string of a filter state (stable order), for links and export URLs. */
export function filtersToQuery(f: LeaderboardFilters): string {
  const q = new URLSearchParams();
  if (f.backbone) q.set('backbone', f.backbone);
  if (f.dataset) q.set('dataset', f.dataset);
  for (const s of f.strategies ?? []) q.append('strategy', s);
  if (f.pending) q.set('pending', '1');
  if (f.reproduced) q.set('reproduced', '1');
  return q.toString();
}

/** Flat rows of the current view: one per (cell, strategy) shown. */
export function leaderboardRows(view: LeaderboardView) {
  return view.cells.flatMap((c) =>
    c.rows.map((r) => ({
      suite: suiteSlug(view.suite),
      backbone: c.backbone,
      dataset: c.dataset,
      rank: r.rank,
      strategy: r.strategy,
      in_paper: r.in_paper,
      tau: r.tau,
      eta: r.eta,
      temperature: r.temperature,
      variants: r.variants,
      n_seeds: r.n,
      test_acc_mean: r.mean,
      test_acc_ci95_lo: r.lo,
      test_acc_ci95_hi: r.hi,
      test_acc_std: r.std,
      diff_to_leader_mean: r.vs_leader?.mean ?? null,
      diff_to_leader_simultaneous_ci95_lo: r.vs_leader?.lo_adj ?? null,
      diff_to_leader_simultaneous_ci95_hi: r.vs_leader?.hi_adj ?? null,
      diff_to_leader_p_maxt: r.vs_leader?.p_adj ?? null,
      diff_to_leader_unadjusted_ci95_lo: r.vs_leader?.lo ?? null,
      diff_to_leader_unadjusted_ci95_hi: r.vs_leader?.hi ?? null,
      paired_seeds: r.vs_leader?.n ?? null,
      seeds_won_vs_leader: r.vs_leader?.wins ?? null,
      ties_leader: r.ties_leader,
      best_val_acc_mean: r.best_val_acc_mean,
      ood_test_acc_mean: r.ood_test_acc_mean,
      aie_mean: r.aie_mean,
      feat_l2_dist_mean: r.feat_l2_dist_mean,
      feat_cos_dist_mean: r.feat_cos_dist_mean,
      feat_dot_mean: r.feat_dot_mean,
      feat_norm_mean: r.feat_norm_mean,
      n_pending: r.n_pending,
      n_reproduced: r.n_reproduced,
      fingerprint: r.fingerprint,
    })),
  );
}

/** A /suites/<segment> path segment (percent-encoded as in the URL) as a suite reference, or null. */
export function parseSuiteSegment(segment: string): { name: string; version: number | null } | null {
  let text: string;
  try {
    text = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return parseSuiteSlug(text);
}
