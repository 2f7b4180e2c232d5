/**
 * View DTOs: the small, serialisable shapes pages hand to client components and the export
 * endpoints return. app/_lib/leaderboard-view.ts builds them from the rows db/queries returns;
 * they hold plain data only (no drizzle or React types).
 */
import type { ActivityRow, CellRanking, Claim, ClaimId, ClaimVerdict, OverallRanking, ReferenceConfigSummary } from '../../contract';

/** Whether a cached leaderboard view shows the current data (app/_server/read-model.ts, db/queries/read-cache.ts). */
export interface ViewFreshness {
  /** True while the view of a newer change is being computed: the one shown is the previous one. */
  stale: boolean;
  /** ISO time of the newest change the view includes (null: none recorded). */
  as_of: string | null;
}

/** What the energy and feature charts plot: energy, accuracies and the final-epoch feature metrics (docs/science.md). */
export interface ChartMetrics {
  aie: number;
  test_acc: number;
  best_val_acc: number;
  feat_l2_dist: number;
  feat_cos_dist: number;
  feat_dot: number;
  feat_norm: number;
}

/** One seed of one variant in the focused cell: a point on the energy and feature charts. */
export interface SeedPoint extends ChartMetrics {
  id: string;
  strategy: string;
  tau: number;
  seed: number;
  /** True when the result's key is not approved yet (shown only with the pending toggle). */
  pending: boolean;
}

export interface StrategyLegend {
  id: string;
  title: string;
  color: string;
  in_paper: boolean;
}

/** The tau sweep of one cell (ft at tau 0, hp-tau, lp-ft at the largest tau): per-tau means of the metrics, by tau (drawn as a line). */
export interface SweepPoint extends ChartMetrics {
  /** Which strategy ran this tau: ft and lp-ft are the sweep's two ends. */
  strategy: string;
  tau: number;
  n: number;
}

export interface EnergyChartData {
  strategies: StrategyLegend[];
  points: SeedPoint[];
  sweep: SweepPoint[];
  /** tau* chosen on validation, or null when hp-tau has no results in the cell. */
  chosen_tau: number | null;
  /** Seeds of the shown variants; more than points.length when the chart shows a subset. */
  seeds_total: number;
}

/** A reference config: the best strategy of a cell (contract/api.ts ReferenceConfigSummarySchema). */
export type { ReferenceConfigSummary };

export interface LeaderboardFilters {
  backbone: string | null;
  dataset: string | null;
  /** Strategies shown; null = all. */
  strategies: string[] | null;
  /** Include results from pending (unapproved) keys; the view is then unofficial. */
  pending: boolean;
  /** Only results an independent approved key reproduced (trust tier "reproduced"). */
  reproduced: boolean;
}

export interface LeaderboardView {
  suite: { name: string; version: number; description: string | null };
  versions: number[];
  filters: LeaderboardFilters;
  /** Every cell and strategy of this suite version, for the filter controls. */
  options: { pairs: { backbone: string; dataset: string }[]; strategies: string[] };
  cells: CellRanking[];
  /** Friedman / Nemenyi over the shown strategies (recomputed for the filters). */
  overall: OverallRanking;
  /** The suite version's pre-registered claims on the focus cell, over every strategy (never the strategy filter). */
  claims: Claim[];
  /** The cell whose charts are drawn (the filtered one, else the first). */
  focus: { backbone: string; dataset: string } | null;
  chart: EnergyChartData | null;
  references: ReferenceConfigSummary[];
  /**
   * results: stored results of the suite version (every key, every status); seeds_ranked: distinct
   * (cell, seed) pairs in the ranked view; ranked_results: (strategy, seed) observations ranked.
   */
  totals: { results: number; seeds_ranked: number; ranked_results: number; reproductions: number };
}

export interface EpochCurvePoint {
  epoch: number;
  train_acc: number;
  val_acc: number;
  test_acc: number;
  train_loss: number;
  val_loss: number;
  test_loss: number;
  energy: number;
  feat_l2_dist: number;
  feat_cos_dist: number;
  feat_dot: number;
  feat_norm: number;
}

/** A suite version on the home page with its best strategy per cell. */
export interface SuiteSummary {
  name: string;
  version: number;
  description: string | null;
  results: number;
  cells: {
    backbone: string;
    dataset: string;
    /** tied: how many strategies tie the best (max-T, not significantly worse); tied_with: which. */
    best: { strategy: string; tau: number; mean: number; lo: number; hi: number; n: number; tied: number; tied_with: string[] } | null;
  }[];
}

/** One suite version's pre-registered claims on its first cell (the cell its page shows by default). */
export interface SuiteClaimsRow {
  suite: string;
  backbone: string;
  dataset: string;
  claims: { id: ClaimId; label: string; kind: Claim['kind']; statement: string; verdict: ClaimVerdict; summary: string }[];
}

export type { ActivityRow };

export interface HomeView {
  suites: SuiteSummary[];
  claims: SuiteClaimsRow[];
  /** Recent results of approved keys, grouped by key, suite version and day. */
  activity: ActivityRow[];
  /** Suite versions with results that `suites` leaves out (app/_lib/leaderboard-view.ts HOME_MAX_SUITES). */
  more_suites: number;
}

export interface ReferenceConfigList {
  suite: string;
  description: string | null;
  references: ReferenceConfigSummary[];
}
