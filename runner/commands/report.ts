/**
 * `headprep report`: per (suite, backbone, dataset) strategy tables (mean +- 95% t-interval over
 * seeds), the tau sweep, and whether the paper's trend holds: Spearman(aie, final feat_l2_dist)
 * and Spearman(aie, final feat_cos_dist) across each seed's tau sweep.
 */
import { meanCI95, spearman, type ResultBundle, type StrategyId } from '../../contract';
import { parseCommandArgs } from '../lib/args';
import { readBundles } from '../lib/bundle-files';
import { CliError, type Command } from './types';

const usage = `Usage: headprep report <dir | bundle.json>... [--json] [--threshold 0.8]

Reads result bundles (every *.bundle.json in the given directories) and prints, per
suite x backbone x dataset:
  - one row per strategy: test accuracy at the best-validation epoch, mean +- 95% CI over seeds
    (Student t), n seeds, LP accuracy, aie, final feature change; when a strategy has several
    taus (hp-tau), tau* is chosen per seed on VALIDATION accuracy, never test;
  - the tau sweep (ft = tau 0, hp-tau, lp-ft = largest tau): aie, accuracy and feature change per tau;
  - the paper's trend: Spearman(aie, final feat_l2_dist) and Spearman(aie, final feat_cos_dist)
    across each seed's tau sweep, and whether it exceeds --threshold in every seed.

Options:
  --json             print the report as JSON instead of tables
  --threshold <rho>  Spearman threshold for "the trend holds" (default 0.8)
  -h, --help         show this help`;

const SWEEP: StrategyId[] = ['ft', 'hp-tau', 'lp-ft'];
const ORDER: StrategyId[] = ['lp', 'ft', 'lp-ft', 'hp-tau', 'hp-ls', 'hp-mlp', 'hp-zero', 'hp-temp'];

interface Stat {
  n: number;
  mean: number;
  half_width: number;
}
const stat = (xs: number[]): Stat => {
  const c = meanCI95(xs);
  return { n: c.n, mean: c.mean, half_width: c.half_width };
};
const final = (b: ResultBundle) => b.epochs.at(-1)!;

export interface StrategyRow {
  strategy: StrategyId;
  taus: number[];
  test_acc: Stat;
  lp_test_acc: Stat;
  aie: Stat;
  feat_l2_dist: Stat;
  feat_cos_dist: Stat;
  head_norm: Stat;
}
export interface SweepRow {
  tau: number;
  aie: Stat;
  test_acc: Stat;
  best_val_acc: Stat;
  feat_l2_dist: Stat;
  feat_cos_dist: Stat;
  feat_dot: Stat;
  feat_norm: Stat;
  head_norm: Stat;
}
export interface TrendSeed {
  seed: number;
  points: number;
  rho_l2: number;
  rho_cos: number;
}
export interface GroupReport {
  suite: string;
  backbone: string;
  dataset: string;
  strategies: StrategyRow[];
  sweep: SweepRow[];
  trend: { seeds: TrendSeed[]; threshold: number; holds_l2: boolean; holds_cos: boolean; holds: boolean };
  errors: number;
}

/** Per seed, the cell chosen on validation (best_val_acc, then the smaller tau). */
function pickOnVal(cells: ResultBundle[]): ResultBundle[] {
  const bySeed = new Map<number, ResultBundle>();
  for (const b of cells) {
    const cur = bySeed.get(b.config.seed);
    if (!cur || b.summary!.best_val_acc > cur.summary!.best_val_acc || (b.summary!.best_val_acc === cur.summary!.best_val_acc && b.config.tau < cur.config.tau))
      bySeed.set(b.config.seed, b);
  }
  return [...bySeed.values()].sort((a, b) => a.config.seed - b.config.seed);
}

export function buildReport(all: ResultBundle[], threshold = 0.8): GroupReport[] {
  const groups = new Map<string, ResultBundle[]>();
  for (const b of all) {
    const k = `${b.suite.name}@${b.suite.version}\t${b.config.backbone.id}\t${b.config.dataset.id}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(b);
  }
  const reports: GroupReport[] = [];
  for (const [k, bundles] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
    const [suite, backbone, dataset] = k.split('\t') as [string, string, string];
    const ok = bundles.filter((b) => b.status === 'ok');
    const strategies: StrategyRow[] = [];
    for (const id of ORDER) {
      const cells = ok.filter((b) => b.config.strategy.id === id);
      if (!cells.length) continue;
      const chosen = pickOnVal(cells);
      strategies.push({
        strategy: id,
        taus: chosen.map((b) => b.config.tau),
        test_acc: stat(chosen.map((b) => b.summary!.test_acc)),
        lp_test_acc: stat(chosen.map((b) => b.energy!.lp_test_acc)),
        aie: stat(chosen.map((b) => b.energy!.aie)),
        feat_l2_dist: stat(chosen.map((b) => final(b).feat_l2_dist)),
        feat_cos_dist: stat(chosen.map((b) => final(b).feat_cos_dist)),
        head_norm: stat(chosen.map((b) => b.energy!.head_norm)),
      });
    }
    // The tau sweep: one point per (seed, tau); ft/hp-tau@0 and lp-ft/hp-tau@max are the same computation.
    const sweep = new Map<string, ResultBundle>();
    for (const b of ok.filter((b) => SWEEP.includes(b.config.strategy.id) && b.config.ft.epochs > 0))
      sweep.set(`${b.config.seed}/${b.config.tau}`, b);
    const points = [...sweep.values()];
    const taus = [...new Set(points.map((b) => b.config.tau))].sort((a, b) => a - b);
    const sweepRows: SweepRow[] = taus.map((tau) => {
      const at = points.filter((b) => b.config.tau === tau);
      return {
        tau,
        aie: stat(at.map((b) => b.energy!.aie)),
        test_acc: stat(at.map((b) => b.summary!.test_acc)),
        best_val_acc: stat(at.map((b) => b.summary!.best_val_acc)),
        feat_l2_dist: stat(at.map((b) => final(b).feat_l2_dist)),
        feat_cos_dist: stat(at.map((b) => final(b).feat_cos_dist)),
        feat_dot: stat(at.map((b) => final(b).feat_dot)),
        feat_norm: stat(at.map((b) => final(b).feat_norm)),
        head_norm: stat(at.map((b) => b.energy!.head_norm)),
      };
    });
    const seeds = [...new Set(points.map((b) => b.config.seed))].sort((a, b) => a - b);
    const trendSeeds: TrendSeed[] = seeds
      .map((seed) => {
        const s = points.filter((b) => b.config.seed === seed);
        const aie = s.map((b) => b.energy!.aie);
        return { seed, points: s.length, rho_l2: spearman(aie, s.map((b) => final(b).feat_l2_dist)), rho_cos: spearman(aie, s.map((b) => final(b).feat_cos_dist)) };
      })
      .filter((t) => t.points >= 3);
    const holds_l2 = trendSeeds.length > 0 && trendSeeds.every((t) => t.rho_l2 > threshold);
    const holds_cos = trendSeeds.length > 0 && trendSeeds.every((t) => t.rho_cos > threshold);
    reports.push({
      suite,
      backbone,
      dataset,
      strategies,
      sweep: sweepRows,
      trend: { seeds: trendSeeds, threshold, holds_l2, holds_cos, holds: holds_l2 && holds_cos },
      errors: bundles.length - ok.length,
    });
  }
  return reports;
}

const pct = (s: Stat) => `${(s.mean * 100).toFixed(2)} ± ${(s.half_width * 100).toFixed(2)}`;
const num = (s: Stat, d = 4) => s.mean.toFixed(d);

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(reports: GroupReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`\n== ${r.suite}  ${r.backbone} / ${r.dataset}${r.errors ? `  (${r.errors} failed cells excluded)` : ''}`);
    out.push('\nStrategies (test acc % at the best-val epoch, mean ± 95% CI over seeds; tau* chosen on validation):');
    out.push(
      table(
        ['strategy', 'n', 'test_acc %', 'lp_test_acc %', 'aie', 'feat_l2_dist', 'feat_cos_dist', 'head_norm', 'tau (per seed)'],
        r.strategies.map((s) => [s.strategy, String(s.test_acc.n), pct(s.test_acc), pct(s.lp_test_acc), num(s.aie), num(s.feat_l2_dist), num(s.feat_cos_dist, 6), num(s.head_norm, 2), s.taus.join(',')]),
      ),
    );
    if (r.sweep.length) {
      out.push('\nTau sweep (ft, hp-tau, lp-ft; final-epoch feature change on the eval set):');
      out.push(
        table(
          ['tau', 'n', 'aie', 'test_acc %', 'best_val_acc %', 'feat_l2_dist', 'feat_cos_dist', 'feat_dot', 'feat_norm', 'head_norm'],
          r.sweep.map((s) => [String(s.tau), String(s.aie.n), num(s.aie), pct(s.test_acc), pct(s.best_val_acc), num(s.feat_l2_dist), num(s.feat_cos_dist, 6), num(s.feat_dot, 3), num(s.feat_norm, 3), num(s.head_norm, 2)]),
        ),
      );
    }
    const t = r.trend;
    if (t.seeds.length) {
      out.push(`\nPaper's trend (Spearman across each seed's tau sweep, threshold ${t.threshold}):`);
      for (const s of t.seeds)
        out.push(`  seed ${s.seed}: ${s.points} taus  rho(aie, feat_l2_dist) = ${s.rho_l2.toFixed(3)}  rho(aie, feat_cos_dist) = ${s.rho_cos.toFixed(3)}`);
      const n = t.seeds.length;
      const k2 = t.seeds.filter((s) => s.rho_l2 > t.threshold).length;
      const kc = t.seeds.filter((s) => s.rho_cos > t.threshold).length;
      out.push(
        `  ${t.holds ? 'TREND HOLDS' : 'TREND DOES NOT HOLD'}: rho(aie, feat_l2_dist) > ${t.threshold} in ${k2}/${n} seeds; rho(aie, feat_cos_dist) > ${t.threshold} in ${kc}/${n} seeds`,
      );
    } else out.push('\nPaper\'s trend: no tau sweep with >= 3 taus in these bundles.');
  }
  return out.join('\n');
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'summarise result bundles: strategy tables with 95% CIs, the tau sweep, the paper\'s trend',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, threshold: { type: 'string', default: '0.8' } }, usage);
    if (values.help) {
      console.log(usage);
      return 0;
    }
    if (!positionals.length) throw new CliError(`report needs a directory or bundle files\n\n${usage}`);
    const threshold = Number(values.threshold);
    if (!(threshold >= -1 && threshold <= 1)) throw new CliError(`--threshold: expected a number in [-1, 1], got "${values.threshold}"`);
    const { bundles, problems } = await readBundles(positionals);
    for (const p of problems) console.error(`warning: ${p}`);
    if (!bundles.length) throw new CliError(`no valid bundles found in ${positionals.join(', ')}`, 1);
    const reports = buildReport(bundles, threshold);
    console.log(values.json ? JSON.stringify(reports, null, 2) : formatReport(reports));
    return 0;
  },
};
