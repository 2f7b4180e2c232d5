/**
 * Is a suite's sweep converged? The checks a reader needs before trusting a verdict about the
 * energy (docs/science.md, "Claims and what can confound them"): a high-energy end that is still
 * training when FT stops, or a "converged" probe that is still improving, would each make the
 * ranking say something about budget instead of energy. Pure functions over result bundles, so
 * `headprep report`, the tests on the committed reference runs and anyone with the bundles compute
 * the same numbers.
 *
 * The numbers (per suite version, over its ok bundles):
 * - ft: train accuracy (averaged over the epoch) at the best-validation epoch, per seed, and at
 *   the last epoch;
 * - every FT cell: whether the best-validation epoch is at or before `bestEpochFraction` of T;
 * - every FT cell: the validation gain of the last quarter = best validation accuracy over all
 *   epochs minus the best up to epoch floor(0.75 T) (0 when the last quarter adds nothing);
 * - the plain probe (lp-ft at the largest tau L, hp-tau at L/2): HP train accuracy at L minus at L/2
 *   per seed;
 * - the grid: the hp-tau values strictly between 0 and L and the largest ratio of neighbours.
 */
import type { ResultBundle } from './schemas/bundle';
import type { ConvergenceTargetsSpec } from './schemas/config';

export interface ConvergenceTargets {
  /** ft's train accuracy at its best-validation epoch must reach this... */
  ftTrainAcc: number;
  /** ...in at least this share of seeds. */
  ftSeedShare: number;
  /** The best-validation epoch at or before this fraction of T... */
  bestEpochFraction: number;
  /** ...in at least this share of FT cells. */
  bestEpochCellShare: number;
  /** Mean last-quarter validation gain below this (accuracy units: 0.003 = 0.3 pp). */
  lastQuarterGain: number;
  /** |HP train acc(L) - HP train acc(L/2)| below this in every seed (0.005 = 0.5 pp). */
  probeMove: number;
  /** At least this many hp-tau values strictly between 0 and L... */
  interiorTaus: number;
  /** ...each at most this many times the previous one. */
  interiorRatio: number;
}

/** The default targets (docs/science.md, step 5); a suite file's `convergence` block overrides them. */
export const CONVERGENCE_TARGETS: ConvergenceTargets = {
  ftTrainAcc: 0.97,
  ftSeedShare: 0.9,
  bestEpochFraction: 0.8,
  bestEpochCellShare: 0.8,
  lastQuarterGain: 0.003,
  probeMove: 0.005,
  interiorTaus: 5,
  interiorRatio: 4,
};

/** The targets of a suite version: its `convergence` block over the defaults. */
export function convergenceTargets(spec: ConvergenceTargetsSpec | undefined): ConvergenceTargets {
  const d = CONVERGENCE_TARGETS;
  return {
    ftTrainAcc: spec?.ft_train_acc ?? d.ftTrainAcc,
    ftSeedShare: spec?.ft_seed_share ?? d.ftSeedShare,
    bestEpochFraction: spec?.best_epoch_fraction ?? d.bestEpochFraction,
    bestEpochCellShare: spec?.best_epoch_cell_share ?? d.bestEpochCellShare,
    lastQuarterGain: spec?.last_quarter_gain ?? d.lastQuarterGain,
    probeMove: spec?.probe_move ?? d.probeMove,
    interiorTaus: spec?.interior_taus ?? d.interiorTaus,
    interiorRatio: spec?.interior_ratio ?? d.interiorRatio,
  };
}

export interface ConvergenceCheck {
  name: string;
  /** The measured value, in the unit of `target`. */
  value: number | null;
  target: string;
  pass: boolean;
  detail: string;
}

export interface ConvergenceReport {
  suite: string;
  ft: { seed: number; train_acc_at_best: number; train_acc_last: number; best_epoch: number; epochs: number }[];
  cells: number;
  probe: { seed: number; at_half: number; at_full: number; move: number }[];
  largestTau: number | null;
  interiorTaus: number[];
  checks: ConvergenceCheck[];
}

const ok = (b: ResultBundle) => b.status === 'ok' && b.summary !== null && b.energy !== null;
const pp = (x: number) => `${(x * 100).toFixed(2)} pp`;
const pc = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Last-quarter validation gain of one FT run (rows include the epoch-0 row). */
export function lastQuarterGain(valAcc: readonly number[]): number {
  const T = valAcc.length - 1;
  if (T < 1) return 0;
  const q = Math.floor(0.75 * T);
  let upTo = -Infinity;
  let all = -Infinity;
  valAcc.forEach((v, i) => {
    if (i <= q) upTo = Math.max(upTo, v);
    all = Math.max(all, v);
  });
  return all - upTo;
}

/**
 * The convergence numbers of one suite version's bundles (one backbone x dataset pair; pass the
 * bundles of one pair) against `targets`.
 */
export function convergenceReport(bundles: readonly ResultBundle[], targets: ConvergenceTargets = CONVERGENCE_TARGETS): ConvergenceReport {
  const good = bundles.filter(ok);
  const suite = good[0] ? `${good[0].suite.name}@${good[0].suite.version}` : '';
  const plain = (b: ResultBundle) => b.config.eta === 0 && b.config.temperature === 1 && b.config.head.kind === 'linear' && b.config.head.init !== 'zero';

  const ft = good
    .filter((b) => b.config.strategy.id === 'ft' && b.epochs.length > 1)
    .map((b) => {
      const be = b.summary!.best_epoch;
      return {
        seed: b.config.seed,
        // Epoch 0 is the start of FT: its train accuracy is the head's before any FT step.
        train_acc_at_best: b.epochs[be]!.train_acc,
        train_acc_last: b.epochs.at(-1)!.train_acc,
        best_epoch: be,
        epochs: b.epochs.length - 1,
      };
    })
    .sort((a, b) => a.seed - b.seed);

  const ftCells = good.filter((b) => b.config.ft.epochs > 0 && b.epochs.length > 1);
  const early = ftCells.filter((b) => b.summary!.best_epoch <= targets.bestEpochFraction * b.config.ft.epochs).length;
  const gains = ftCells.map((b) => lastQuarterGain(b.epochs.map((r) => r.val_acc)));
  const meanGain = gains.length ? gains.reduce((s, g) => s + g, 0) / gains.length : null;

  const sweep = good.filter((b) => plain(b) && ['ft', 'hp-tau', 'lp-ft', 'lp'].includes(b.config.strategy.id));
  const largestTau = sweep.length ? Math.max(...sweep.map((b) => b.config.tau)) : null;
  const interiorTaus = largestTau === null ? [] : [...new Set(sweep.filter((b) => b.config.strategy.id === 'hp-tau' && b.config.tau > 0 && b.config.tau < largestTau).map((b) => b.config.tau))].sort((a, b) => a - b);
  const ratios = interiorTaus.slice(1).map((t, i) => t / interiorTaus[i]!);
  const maxRatio = ratios.length ? Math.max(...ratios) : null;

  const probe: ConvergenceReport['probe'] = [];
  if (largestTau !== null && largestTau % 2 === 0) {
    const accAt = (tau: number, seed: number) => sweep.find((b) => b.config.tau === tau && b.config.seed === seed)?.energy!.hp_train_acc;
    for (const seed of [...new Set(sweep.map((b) => b.config.seed))].sort((a, b) => a - b)) {
      const full = accAt(largestTau, seed);
      const half = accAt(largestTau / 2, seed);
      if (full !== undefined && half !== undefined) probe.push({ seed, at_half: half, at_full: full, move: full - half });
    }
  }

  const ftHit = ft.filter((r) => r.train_acc_at_best >= targets.ftTrainAcc).length;
  const ftLastHit = ft.filter((r) => r.train_acc_last >= targets.ftTrainAcc).length;
  const maxMove = probe.length ? Math.max(...probe.map((p) => Math.abs(p.move))) : null;
  const checks: ConvergenceCheck[] = [
    {
      name: 'ft train accuracy at the best-validation epoch',
      value: ft.length ? ftHit / ft.length : null,
      target: `>= ${pc(targets.ftTrainAcc)} in >= ${pc(targets.ftSeedShare)} of seeds`,
      pass: ft.length > 0 && ftHit / ft.length >= targets.ftSeedShare,
      detail: ft.length
        ? `${ftHit}/${ft.length} seeds reach it at the best-validation epoch (${ftLastHit}/${ft.length} at the last epoch); mean ${pc(ft.reduce((s, r) => s + r.train_acc_at_best, 0) / ft.length)} at best, ${pc(ft.reduce((s, r) => s + r.train_acc_last, 0) / ft.length)} at the last epoch`
        : 'no ft results',
    },
    {
      name: 'best-validation epoch early enough',
      value: ftCells.length ? early / ftCells.length : null,
      target: `<= ${pc(targets.bestEpochFraction)} of T in >= ${pc(targets.bestEpochCellShare)} of FT cells`,
      pass: ftCells.length > 0 && early / ftCells.length >= targets.bestEpochCellShare,
      detail: `${early}/${ftCells.length} FT cells`,
    },
    {
      name: 'validation gain over the last quarter of FT',
      value: meanGain,
      target: `< ${pp(targets.lastQuarterGain)} on average`,
      pass: meanGain !== null && meanGain < targets.lastQuarterGain,
      detail: meanGain === null ? 'no FT cells' : `mean ${pp(meanGain)} over ${gains.length} FT cells (max ${pp(Math.max(...gains))})`,
    },
    {
      name: 'probe converged (HP train accuracy, L vs L/2)',
      value: maxMove,
      target: `|move| < ${pp(targets.probeMove)} in every seed`,
      pass: maxMove !== null && maxMove < targets.probeMove,
      detail:
        maxMove === null
          ? `no pair of plain probes at L = ${largestTau} and L/2`
          : `L = ${largestTau}: largest |move| ${pp(maxMove)} over ${probe.length} seeds (mean ${pp(probe.reduce((s, p) => s + p.move, 0) / probe.length)})`,
    },
    {
      name: 'dense interior tau grid',
      value: interiorTaus.length,
      target: `>= ${targets.interiorTaus} values in (0, L), each <= ${targets.interiorRatio}x the previous`,
      pass: interiorTaus.length >= targets.interiorTaus && (maxRatio === null || maxRatio <= targets.interiorRatio),
      detail: `hp-tau ${interiorTaus.join(', ')}${maxRatio === null ? '' : ` (largest step ${maxRatio}x)`}`,
    },
  ];
  return { suite, ft, cells: ftCells.length, probe, largestTau, interiorTaus, checks };
}
