/**
 * `headprep report`: the leaderboard of a set of bundles, computed by the same contract module the
 * site uses (contract/ranking/): per (suite, backbone, dataset) the strategies ranked by mean with
 * paired differences to the leader (decided by a within-seed permutation max-T test), the tau
 * sweep, the suite version's pre-registered claims with verdicts and power notes, and the overall
 * Friedman / Nemenyi ranking with a critical-difference diagram (docs/science.md).
 */
import {
  suiteSlug,
  cdDiagramText,
  convergenceReport,
  convergenceTargets,
  type ConvergenceReport,
  checkClaims,
  claimsSpecFor,
  publishedSuite,
  RANKING_RULE,
  wrapText,
  observationOf,
  oneObservationPerSeed,
  overallRanking,
  rankCells,
  sweepVariants,
  type CellRanking,
  type Claim,
  type OverallRanking,
  type ResultBundle,
  type SeedObservation,
  type SuiteClaims,
  type Timing,
} from '../../contract';
import { parseCommandArgs, usageError } from '../lib/args';
import { findFiles, readBundles } from '../lib/bundle-files';
import { bundleEnvelopeMismatch } from '../submit/envelope-check';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';

const usage = `Usage: headprep report <dir | bundle.json>... [--json]

Reads result bundles (every *.bundle.json in the given directories) and prints, per suite version:
  - per (backbone, dataset) cell, the strategies ranked by the rule below, each with its PAIRED
    difference to the leader, simultaneous 95% interval and adjusted p ("ties" = not significantly
    worse than the leader);
  - the tau sweep (ft, hp-tau, lp-ft): energy, accuracy and feature change per tau;
  - convergence: ft's train accuracy at its best-validation epoch, how early the best epoch
    comes, the validation gain of FT's last quarter, HP train accuracy at L vs L/2, the tau grid;
  - the suite version's pre-registered claims, on the whole sweep: manipulation checks (i), (iv)
    and findings (ii), (iii-a), (iii-b) FT gain, (v) fixed probe length, (vi) Kumar et al., each
    with a verdict (holds / not significant / contradicted / no data) and a power note;
  - the overall ranking: Friedman test over (cell, seed) blocks, Nemenyi critical difference, and a
    critical-difference diagram;
  - where a cell's wall time went (data, backbone features, HP, FT training steps, evaluation,
    feature metrics, other), mean seconds per cell over the bundles that record it.

The ranking rule (contract RANKING_RULE):
${wrapText(RANKING_RULE, 100, '  ')}

Columns: aie = average initial energy, mean ||e_y - p_0(x)||_2 over the train set at the start of
finetuning (0 = the head already fits, sqrt(1-1/K) = uniform prediction); feat_l2 / feat_cos =
how far the features moved during finetuning (L2 and cosine distance on a fixed eval set);
strategy[taus] in "headprep suites" lists the tau values (head-probing epochs) of each strategy.

Options:
  --json             print the report as JSON instead of tables
  -h, --help         show this help`;

export interface SuiteReport {
  suite: string;
  /** The claims checked (the suite file's block, or the default of its grid). */
  claims_spec: SuiteClaims;
  cells: (CellRanking & { claims: Claim[]; sweep: ReturnType<typeof sweepVariants<CellRanking['variants'][number]>>; convergence: ConvergenceReport })[];
  overall: OverallRanking;
  /** Bundles with status "error" (never ranked). */
  errors: number;
  /** Results beyond the first of a (fingerprint, seed): reproductions, not seeds. */
  reproductions: number;
  /** Mean seconds per phase over the ok bundles that carry `timing` (null when none does). */
  timing: PhaseTimes | null;
}

/** The phases that sum to the wall time (eval_worker_s, overlapped with training, is shown apart). */
export type Phase = Exclude<keyof Timing, 'eval_worker_s'>;
export const PHASES: readonly Phase[] = ['data_s', 'features_s', 'hp_s', 'ft_train_s', 'eval_s', 'feature_metrics_s', 'other_s'];

export interface PhaseTimes {
  /** Bundles averaged. */
  n: number;
  mean_s: Record<Phase, number>;
  /** Mean summary.wall_time_s of the same bundles. */
  wall_time_s: number;
  /** Mean eval_worker_s over the bundles whose evaluation ran in a worker thread, and how many did. */
  eval_worker_s: number | null;
  eval_worker_n: number;
}

/** Per-phase mean seconds of the ok bundles that record timing. */
export function phaseTimes(bundles: ResultBundle[]): PhaseTimes | null {
  const timed = bundles.filter((b) => b.status === 'ok' && b.timing && b.summary);
  if (!timed.length) return null;
  const mean = (f: (b: ResultBundle) => number) => timed.reduce((a, b) => a + f(b), 0) / timed.length;
  const mean_s = Object.fromEntries(PHASES.map((k) => [k, mean((b) => b.timing![k])])) as Record<Phase, number>;
  const worker = timed.map((b) => b.timing!.eval_worker_s).filter((x): x is number => x !== undefined);
  return {
    n: timed.length,
    mean_s,
    wall_time_s: mean((b) => b.summary!.wall_time_s),
    eval_worker_s: worker.length ? worker.reduce((a, x) => a + x, 0) / worker.length : null,
    eval_worker_n: worker.length,
  };
}

export function buildReport(all: ResultBundle[]): SuiteReport[] {
  const bySuite = new Map<string, ResultBundle[]>();
  for (const b of all) {
    const k = suiteSlug(b.suite);
    (bySuite.get(k) ?? bySuite.set(k, []).get(k)!).push(b);
  }
  return [...bySuite]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([suite, bundles]) => {
      const obs = bundles.map(observationOf).filter((o): o is SeedObservation => o !== null);
      // Seeds are counted once; the ranking keeps the first observation of each the same way.
      const { reproductions } = oneObservationPerSeed(obs);
      const ranked = rankCells(obs);
      const spec = claimsSpecFor(publishedSuite(suite), obs);
      const cells = ranked.map((c) => ({
        ...c,
        claims: checkClaims(
          obs.filter((o) => o.backbone === c.backbone && o.dataset === c.dataset),
          spec,
        ),
        sweep: sweepVariants(c.variants),
        convergence: convergenceReport(
          bundles.filter((b) => b.config.backbone.id === c.backbone && b.config.dataset.id === c.dataset),
          convergenceTargets(publishedSuite(suite)?.convergence),
        ),
      }));
      return { suite, claims_spec: spec, cells, overall: overallRanking(ranked), errors: bundles.length - obs.length, reproductions, timing: phaseTimes(bundles) };
    });
}

const pp = (x: number) => (x * 100).toFixed(2);
const signedPp = (x: number) => `${x >= 0 ? '+' : ''}${pp(x)}`;
const fmtP = (p: number | null) => (p === null ? 'n/a' : p < 0.001 ? '<0.001' : p.toFixed(3));

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

export function formatReport(reports: SuiteReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`\n=== ${r.suite}${r.errors ? `  (${r.errors} failed cells excluded)` : ''}${r.reproductions ? `  (${r.reproductions} reproductions: not counted as seeds)` : ''}`);
    for (const c of r.cells) {
      const hasOod = c.rows.some((x) => x.ood_test_acc_mean !== null);
      out.push(`\n== ${c.backbone} / ${c.dataset}`);
      const t = c.test;
      out.push('Strategies ranked by mean test acc % at the best-val epoch (95% CI over seeds); diff = paired difference to the leader:');
      out.push(
        table(
          ['rank', 'strategy', 'tau', 'n', 'test_acc %', '95% CI', 'vs leader', 'diff pp', 'simult. 95% CI', 'p (max-T)', 'won', 'aie', 'feat_l2', 'feat_cos', ...(hasOod ? ['ood_acc %'] : [])],
          c.rows.map((s) => {
            const d = s.vs_leader;
            return [
              String(s.rank),
              s.strategy + (s.variants > 1 ? '*' : ''),
              String(s.tau),
              String(s.n),
              pp(s.mean),
              s.n >= 2 ? `[${pp(s.lo)}, ${pp(s.hi)}]` : 'n/a (n=1)',
              d ? (s.ties_leader ? 'ties' : 'worse') : 'leader',
              d ? signedPp(d.mean) : '',
              d && d.lo_adj !== null ? `[${signedPp(d.lo_adj)}, ${signedPp(d.hi_adj!)}]` : '',
              d ? fmtP(d.p_adj) : '',
              d ? `${d.wins}/${d.n}` : '',
              s.aie_mean.toFixed(4),
              s.feat_l2_dist_mean.toFixed(4),
              s.feat_cos_dist_mean.toFixed(6),
              ...(hasOod ? [s.ood_test_acc_mean === null ? '' : pp(s.ood_test_acc_mean)] : []),
            ];
          }),
        ),
      );
      out.push(
        t.critical_t === null
          ? '  Nothing is testable (no pair of strategies shares 2 seeds).'
          : `  Decisions: within-seed permutation max-T over all ${(c.rows.length * (c.rows.length - 1)) / 2} pairs, ${t.permutations} permutations (seeded by the cell's fingerprints), critical |t| = ${t.critical_t === Infinity ? 'inf' : t.critical_t.toFixed(3)}; a strategy is "worse" when its adjusted p < 0.05, and the simultaneous interval excludes 0 exactly then.${t.min_p >= t.alpha ? ` With ${t.complete_seeds} complete seed(s) and ${c.rows.length} strategies the smallest attainable p is ${t.min_p.toPrecision(2)}: nothing can be declared.` : ''}`,
      );
      out.push('  * tau* chosen once for the cell on mean validation accuracy (interior taus only).');
      if (c.sweep.length) {
        out.push('\nTau sweep (ft = tau 0, hp-tau, lp-ft = the largest tau; final-epoch feature change on the eval set):');
        out.push(
          table(
            ['tau', 'strategy', 'n', 'aie', 'test_acc %', 'best_val_acc %', 'feat_l2', 'feat_cos', 'feat_dot', 'feat_norm'],
            c.sweep.map((v) => [
              String(v.tau),
              v.strategy,
              String(v.n),
              v.aie_mean.toFixed(4),
              pp(v.test_acc_mean),
              pp(v.best_val_acc_mean),
              v.feat_l2_dist_mean.toFixed(4),
              v.feat_cos_dist_mean.toFixed(6),
              v.feat_dot_mean.toFixed(3),
              v.feat_norm_mean.toFixed(3),
            ]),
          ),
        );
      }
      out.push('\nConvergence (is FT or the probe still training when it stops? docs/science.md, "Claims and what can confound them"):');
      for (const ck of c.convergence.checks) out.push(`  [${ck.pass ? 'MET' : 'NOT MET'}] ${ck.name}: ${ck.detail} (target ${ck.target})`);
      out.push('\nPre-registered claims on the whole sweep of this cell (manipulation checks hold by construction; they are not findings):');
      for (const cl of c.claims)
        out.push(`  ${cl.label} [${cl.verdict.toUpperCase()}]${cl.kind === 'manipulation check' ? ' (manipulation check)' : ''} ${cl.statement}\n      ${cl.summary}\n      Power: ${cl.power}`);
    }
    const o = r.overall;
    out.push(`\n== Overall rank (${r.suite}): Friedman test over ${o.blocks} (cell, seed) blocks in ${o.cells} cell(s), k = ${o.k} strategies`);
    if (o.chi2 !== null)
      out.push(`chi2_F = ${o.chi2.toFixed(3)}, Iman-Davenport F = ${o.f!.toFixed(3)}, p = ${fmtP(o.p)}; Nemenyi CD = ${o.cd!.toFixed(3)} (average ranks closer than CD are not significantly different)`);
    else out.push('Not enough blocks for the Friedman test (needs 2 or more (cell, seed) blocks with every strategy).');
    out.push(table(['rank', 'strategy', 'avg rank'], o.rows.map((x) => [String(x.rank), x.strategy, x.mean_rank.toFixed(3)])));
    if (o.excluded.length) out.push(`(left out, missing in some cell: ${o.excluded.join(', ')})`);
    const cd = cdDiagramText(o);
    if (cd.length) out.push('\nCritical-difference diagram:', ...cd);
    const tm = r.timing;
    if (tm) {
      const t = tm;
      out.push(`\nTime per cell (${r.suite}): mean seconds over ${t.n} bundle(s) that record it; data, features and hp are shared by the cells of a probe group`);
      out.push(
        table(
          ['phase', 'seconds', '% of wall'],
          [
            ...PHASES.map((k) => [k.replace(/_s$/, ''), t.mean_s[k].toFixed(2), ((100 * t.mean_s[k]) / Math.max(t.wall_time_s, 1e-9)).toFixed(1)]),
            ['wall time', t.wall_time_s.toFixed(2), '100.0'],
          ],
        ),
      );
      if (t.eval_worker_s !== null)
        out.push(
          `(${t.eval_worker_n} bundle(s) evaluated their FT epochs in a worker thread, overlapped with training: ${t.eval_worker_s.toFixed(2)} s there on average; eval above is the training thread's hand-off and wait)`,
        );
    }
  }
  return out.join('\n');
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'summarise result bundles: paired rankings (permutation max-T), the tau sweep, the pre-registered claims, Friedman/Nemenyi',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } }, usage);
    if (!positionals.length) throw usageError(`report needs a directory or bundle files`, usage);
    const { bundles, problems } = await readBundles(positionals);
    for (const p of problems) console.error(`warning: ${p}`);
    for (const m of await editedAfterSigning(positionals)) console.error(`warning: ${m}; this report shows the edited file's numbers`);
    if (!bundles.length) throw new CliError(`no valid bundles found in ${positionals.join(', ')}`, 1);
    const reports = buildReport(bundles);
    console.log(values.json ? JSON.stringify(reports, null, 2) : formatReport(reports));
    return 0;
  },
};

/** Bundle files under `paths` that no longer match the envelope signed beside them. */
async function editedAfterSigning(paths: string[]): Promise<string[]> {
  const { files } = await findFiles(paths, ['.bundle.json']);
  return (await Promise.all(files.map(bundleEnvelopeMismatch))).filter((m): m is string => m !== null);
}
