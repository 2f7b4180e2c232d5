import { describe, expect, it } from 'vitest';
import type { ResultBundle } from '../../../contract';
import { buildReport, formatReport } from '../../../runner/commands/report';
import { bar, formatDuration, Progress } from '../../../runner/lib/progress';
import { makeBundle, makeConfig } from '../../fixtures/bundle';

/** A bundle of the tau sweep with chosen numbers. */
function cell(strategy: ResultBundle['config']['strategy']['id'], tau: number, seed: number, o: { aie: number; l2: number; cos: number; val: number; test: number }) {
  const b = makeBundle(makeConfig({ strategy: { id: strategy, version: 1 }, tau, seed }));
  b.energy!.aie = o.aie;
  b.epochs.at(-1)!.feat_l2_dist = o.l2;
  b.epochs.at(-1)!.feat_cos_dist = o.cos;
  b.summary!.best_val_acc = o.val;
  b.summary!.test_acc = o.test;
  return b;
}

describe('report', () => {
  it('Spearman trend per seed, tau* on validation (not test), 95% t-intervals', () => {
    const bundles: ResultBundle[] = [];
    for (const seed of [0, 1]) {
      // energy falls with tau; feature change falls with it, except one swap in seed 1's cosine distance
      const taus = [0, 1, 2, 4];
      taus.forEach((tau, i) => {
        const strategy = tau === 0 ? 'ft' : tau === 4 ? 'lp-ft' : 'hp-tau';
        const cos = seed === 1 && i >= 2 ? [0, 0, 0.1, 0.2][i]! : 0.4 - 0.1 * i;
        // validation prefers tau 1 while test prefers tau 2: the report must pick tau 1
        bundles.push(cell(strategy, tau, seed, { aie: 0.9 - 0.2 * i, l2: 2 - 0.5 * i, cos, val: i === 1 ? 0.9 : 0.8, test: i === 2 ? 0.99 : 0.85 + 0.01 * seed }));
        if (tau === 0 || tau === 4) bundles.push(cell('hp-tau', tau, seed, { aie: 0.9 - 0.2 * i, l2: 2 - 0.5 * i, cos, val: 0.8, test: 0.85 + 0.01 * seed }));
      });
    }
    const failed = makeBundle(makeConfig({ seed: 9 }));
    failed.status = 'error';
    const [r] = buildReport([...bundles, failed]);
    expect(r!.errors).toBe(1);
    expect(r!.sweep.map((s) => s.tau)).toEqual([0, 1, 2, 4]);
    expect(r!.trend.seeds.map((s) => s.rho_l2)).toEqual([1, 1]);
    expect(r!.trend.seeds[0]!.rho_cos).toBeCloseTo(1, 12);
    // seed 1: aie ranks 4,3,2,1 vs cos ranks 4,3,1,2 -> rho = 1 - 6*2/(4*15) = 0.8 (not > 0.8)
    expect(r!.trend.seeds[1]!.rho_cos).toBeCloseTo(0.8, 12);
    expect(r!.trend.holds_l2).toBe(true);
    expect(r!.trend.holds_cos).toBe(false);
    const hp = r!.strategies.find((s) => s.strategy === 'hp-tau')!;
    expect(hp.taus).toEqual([1, 1]);
    expect(hp.test_acc.mean).toBeCloseTo(0.85 + 0.005, 12);
    // two seeds 0.85 and 0.86: half width = t(0.975, 1) * sd / sqrt(2) = 12.706 * 0.00707 / 1.414
    expect(hp.test_acc.half_width).toBeCloseTo((12.706 * Math.SQRT1_2 * 0.01) / Math.SQRT2, 9);
    const text = formatReport([r!]);
    expect(text).toMatch(/TREND DOES NOT HOLD: rho\(aie, feat_l2_dist\) > 0.8 in 2\/2 seeds; rho\(aie, feat_cos_dist\) > 0.8 in 1\/2 seeds/);
    expect(text).toMatch(/hp-tau\s+2\s+85.50 ± 6.35/);
  });
});

describe('progress', () => {
  it('formats durations and bars, and degrades to plain lines off a TTY', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3 * 3600 + 120)).toBe('3h02m');
    expect(formatDuration(NaN)).toBe('--:--');
    expect(bar(1, 4, 8)).toBe('[##------]');
    const chunks: string[] = [];
    const stream = { write: (s: string) => chunks.push(s), isTTY: false } as unknown as NodeJS.WriteStream;
    const p = new Progress(2, stream);
    p.update('cell A epoch 1/3');
    p.cellDone('ok A');
    p.cellDone('ok B');
    p.finish();
    // no ETA from the first cell alone (it carries the one-time costs)
    expect(chunks.join('')).toMatch(/^\[1\/2 ETA estimating\] ok A\n\[2\/2 ETA 0:00\] ok B\n$/);
    const tty: string[] = [];
    const t = new Progress(1, { write: (s: string) => tty.push(s), isTTY: true, columns: 200 } as unknown as NodeJS.WriteStream);
    t.update('HP epoch 3/8');
    const drawn = tty.join('');
    expect(drawn.startsWith('\r\u001b[2Kcells [')).toBe(true);
    expect(drawn).toMatch(/0\/1 .*HP epoch 3\/8/);
  });
});
