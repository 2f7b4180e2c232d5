import { describe, expect, it } from 'vitest';
import { convergenceReport, convergenceTargets, lastQuarterGain, CONVERGENCE_TARGETS, type ResultBundle } from '../../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';

/** A bundle of `strategy` at `tau` with chosen per-epoch validation and train accuracy. */
function run(strategy: 'ft' | 'hp-tau' | 'lp-ft' | 'lp', tau: number, seed: number, val: number[], train: number[], hpTrainAcc = 0.9): ResultBundle {
  const epochs = val.length - 1;
  const b = makeBundle(makeConfig({ strategy: { id: strategy, version: 1 }, tau, seed, ft: { ...makeConfig().ft, epochs } }));
  b.epochs = val.map((v, i) => ({ ...b.epochs[0]!, epoch: i, val_acc: v, train_acc: train[i]! }));
  let best = 0;
  val.forEach((v, i) => (v > val[best]! ? (best = i) : 0));
  b.summary = { ...b.summary!, best_epoch: best, best_val_acc: val[best]! };
  b.energy = { ...b.energy!, hp_train_acc: hpTrainAcc };
  return b;
}

const ramp = (n: number, from: number, to: number) => Array.from({ length: n + 1 }, (_, i) => from + ((to - from) * Math.min(i, n)) / n);

describe('lastQuarterGain', () => {
  it('is what the last quarter adds to the best validation accuracy', () => {
    expect(lastQuarterGain([0.5, 0.6, 0.7, 0.8, 0.9])).toBeCloseTo(0.1, 12); // T = 4: best up to epoch 3 is 0.8
    expect(lastQuarterGain([0.5, 0.9, 0.8, 0.8, 0.8])).toBe(0);
    expect(lastQuarterGain([0.5])).toBe(0);
  });
});

describe('convergenceReport', () => {
  it('passes a sweep whose FT peaks early with a fitted ft, a settled probe and a dense grid', () => {
    const bundles: ResultBundle[] = [];
    for (const seed of [0, 1, 2]) {
      // val peaks at epoch 5 of 10; ft's train accuracy there is 0.99
      const val = [0.3, 0.6, 0.7, 0.8, 0.85, 0.9, 0.89, 0.89, 0.88, 0.88, 0.88];
      bundles.push(run('ft', 0, seed, val, ramp(10, 0.2, 1).map((x, i) => (i === 5 ? 0.99 : x))));
      for (const tau of [1, 4, 16, 64, 256]) bundles.push(run('hp-tau', tau, seed, val, ramp(10, 0.8, 1), 0.95));
      bundles.push(run('hp-tau', 512, seed, val, ramp(10, 0.8, 1), 0.951));
      bundles.push(run('lp-ft', 1024, seed, val, ramp(10, 0.8, 1), 0.953));
    }
    const r = convergenceReport(bundles);
    expect(r.largestTau).toBe(1024);
    expect(r.interiorTaus).toEqual([1, 4, 16, 64, 256, 512]);
    expect(r.probe.map((p) => p.move.toFixed(3))).toEqual(['0.002', '0.002', '0.002']);
    expect(r.checks.map((c) => [c.name, c.pass])).toEqual([
      ['ft train accuracy at the best-validation epoch', true],
      ['best-validation epoch early enough', true],
      ['validation gain over the last quarter of FT', true],
      ['probe converged (HP train accuracy, L vs L/2)', true],
      ['dense interior tau grid', true],
    ]);
  });

  it('flags an under-trained ft, a late best epoch, a still-moving probe and a sparse grid', () => {
    const bundles: ResultBundle[] = [];
    for (const seed of [0, 1]) {
      const rising = ramp(10, 0.3, 0.9);
      bundles.push(run('ft', 0, seed, rising, ramp(10, 0.2, 0.76)));
      bundles.push(run('hp-tau', 16, seed, rising, ramp(10, 0.8, 0.99), 0.93));
      bundles.push(run('hp-tau', 128, seed, rising, ramp(10, 0.8, 0.99), 0.95));
      bundles.push(run('lp-ft', 256, seed, rising, ramp(10, 0.8, 0.99), 0.962));
    }
    const r = convergenceReport(bundles);
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    expect(byName['ft train accuracy at the best-validation epoch']!.pass).toBe(false);
    expect(byName['ft train accuracy at the best-validation epoch']!.detail).toMatch(/^0\/2 seeds/);
    expect(byName['best-validation epoch early enough']!.pass).toBe(false);
    expect(byName['validation gain over the last quarter of FT']!.value).toBeCloseTo(0.9 - (0.3 + 0.6 * 0.7), 12);
    expect(byName['probe converged (HP train accuracy, L vs L/2)']!.pass).toBe(false);
    expect(byName['probe converged (HP train accuracy, L vs L/2)']!.value).toBeCloseTo(0.012, 12);
    expect(byName['dense interior tau grid']!.pass).toBe(false);
    expect(byName['dense interior tau grid']!.detail).toContain('8x');
  });

  it("takes a suite file's targets over the defaults", () => {
    expect(convergenceTargets(undefined)).toEqual(CONVERGENCE_TARGETS);
    expect(convergenceTargets({ ft_train_acc: 0.99 })).toEqual({ ...CONVERGENCE_TARGETS, ftTrainAcc: 0.99 });
  });
});
