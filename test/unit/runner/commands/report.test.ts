import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ResultBundle } from '../../../../contract';
import { buildReport, formatReport } from '../../../../runner/commands/report';
import { bar, formatDuration, Progress } from '../../../../runner/lib/progress';
import { makeBundle, makeConfig } from '../../../fixtures/bundle';

/** A bundle of the tau sweep with chosen numbers. */
function cell(strategy: ResultBundle['config']['strategy']['id'], tau: number, seed: number, o: { aie: number; l2: number; cos: number; val: number; test: number }) {
  // a distinct fingerprint per (strategy, tau): the fixture's default is one constant
  const fp = createHash('sha256').update(`${strategy}/${tau}`).digest('hex');
  // a suite version that is not published: its claims follow the default of the observed variants
  // (a published suite's claims follow its own grid, whose taus these bundles do not use)
  const b = makeBundle(makeConfig({ suite: { name: 'adhoc', version: 1 }, strategy: { id: strategy, version: 1 }, tau, seed }), fp);
  b.suite = { name: 'adhoc', version: 1 };
  b.energy!.aie = o.aie;
  b.epochs.at(-1)!.feat_l2_dist = o.l2;
  b.epochs.at(-1)!.feat_cos_dist = o.cos;
  b.summary!.best_val_acc = o.val;
  b.summary!.test_acc = o.test;
  return b;
}

describe('report', () => {
  it('ranks with the contract module: tau* once per cell on validation, paired differences, claims, reruns not seeds', () => {
    const bundles: ResultBundle[] = [];
    for (const seed of [0, 1, 2]) {
      // energy falls with tau; feature change falls with it, except one swap in seed 1's cosine distance
      const taus = [0, 1, 2, 4];
      taus.forEach((tau, i) => {
        const strategy = tau === 0 ? 'ft' : tau === 4 ? 'lp-ft' : 'hp-tau';
        const cos = seed === 1 && i >= 2 ? [0, 0, 0.1, 0.2][i]! : 0.4 - 0.1 * i;
        // validation prefers tau 1 while test prefers tau 2: the report must pick tau 1 for hp-tau
        bundles.push(cell(strategy, tau, seed, { aie: 0.9 - 0.2 * i, l2: 2 - 0.5 * i, cos, val: i === 1 ? 0.9 : 0.8, test: i === 2 ? 0.99 : 0.85 + 0.01 * seed + (i === 1 ? 0.02 : 0) }));
        // @1 suites also ran hp-tau at both ends: the same computation, never scored twice
        if (tau === 0 || tau === 4) bundles.push(cell('hp-tau', tau, seed, { aie: 0.9 - 0.2 * i, l2: 2 - 0.5 * i, cos, val: 0.95, test: 0.5 }));
      });
    }
    const failed = makeBundle(makeConfig({ seed: 9 }));
    failed.status = 'error';
    failed.suite = { name: 'adhoc', version: 1 };
    const rerun = structuredClone(bundles[0]!);
    rerun.summary!.test_acc = 0.1;
    const [r] = buildReport([...bundles, failed, rerun]);
    expect(r!.errors).toBe(1);
    expect(r!.reproductions).toBe(1);
    const c = r!.cells[0]!;
    expect(c.sweep.map((s) => [s.tau, s.strategy])).toEqual([[0, 'ft'], [1, 'hp-tau'], [2, 'hp-tau'], [4, 'lp-ft']]);
    const hp = c.rows.find((s) => s.strategy === 'hp-tau')!;
    expect(hp.tau).toBe(1);
    expect(hp.variants).toBe(2);
    expect(hp.mean).toBeCloseTo(0.88, 12);
    // leader hp-tau (0.88); ft is 0.02 lower in every seed (paired sd 0, t infinite), yet with 3 seeds
    // the permutation distribution is coarse: ft and lp-ft are equal in every seed, so a relabelling
    // gives some pair a constant difference (an infinite t) in at least 1/9 of permutations and the
    // adjusted p stays above 0.05. ft is ranked 2nd by its mean, tying the leader.
    const ft = c.rows.find((s) => s.strategy === 'ft')!;
    expect(c.rows[0]!.strategy).toBe('hp-tau');
    expect(ft.vs_leader!.mean).toBeCloseTo(-0.02, 12);
    expect(ft.vs_leader!.losses).toBe(3);
    expect(ft.rank).toBe(2);
    expect(c.test.min_p).toBeCloseTo(1 / 36, 12);
    expect(ft.vs_leader!.p_adj!).toBeGreaterThan(1 / 9);
    expect(ft.ties_leader).toBe(true);
    // ft's test accuracy is unchanged by the rerun with another number
    expect(ft.mean).toBeCloseTo(0.86, 12);
    const claims = Object.fromEntries(c.claims.map((x) => [x.id, x]));
    expect(claims['energy-falls-with-tau']!.correlations[0]!.agree).toBe(3);
    // 3/3 seeds agree: the two-sided sign test gives p = 0.25, not significant
    expect(claims['energy-falls-with-tau']!.verdict).toBe('not significant');
    expect(claims['energy-falls-with-tau']!.power).toMatch(/cannot reach p < 0.05/);
    const text = formatReport([r!]);
    expect(text).toMatch(/hp-tau\*\s+1\s+3\s+88\.00/);
    expect(text).toMatch(/\(i\) \[NOT SIGNIFICANT\] \(manipulation check\) The initial energy/);
    expect(text).toMatch(/\(iii-a\) \[[A-Z ]+\] After finetuning/);
    expect(text).toMatch(/\(iii-b\) \[[A-Z ]+\] The finetuning part/);
    expect(text).toMatch(/Power: .*80% power to detect/);
    expect(text).toMatch(/Decisions: within-seed permutation max-T over all 3 pairs, 4999 permutations/);
    expect(text).toMatch(/ft\s+0\s+3\s+86\.00\s+\[[^\]]+\]\s+ties\s+-2\.00/);
    expect(text).toMatch(/Friedman test over 3 \(cell, seed\) blocks/);
  });

  it('says n/a for the interval of a single seed', () => {
    const text = formatReport(buildReport([cell('ft', 0, 0, { aie: 0.9, l2: 1, cos: 0.1, val: 0.8, test: 0.8 })]));
    expect(text).toMatch(/n\/a \(n=1\)/);
  });
});

describe('progress', () => {
  it('formats durations and bars, and degrades to plain lines off a TTY', () => {
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(479.6)).toBe('8:00');
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
