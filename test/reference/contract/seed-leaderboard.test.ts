/**
 * The leaderboard of the committed @2 (and @3, when committed) reference seeds, recomputed here
 * WITHOUT the ranking module or contract/stats: means and paired differences by hand, Student-t
 * quantiles from a numerical integral of the t density (Simpson) instead of the incomplete beta
 * function, ranks by the means, and the permutation max-T critical value by a second, independent
 * implementation (its own generator, a plain copy-and-shuffle loop, fewer permutations). Numbers
 * must agree with contract/ranking/ to 1e-9; the critical value to its Monte Carlo error; every
 * "ties leader" / "worse" decision must follow |t| against the module's critical value.
 */
import { describe, expect, it } from 'vitest';
import { observationOf, rankCells, type ResultBundle, type SeedObservation } from '../../../contract';
import { seedBundles } from '../../fixtures/seed-bundles';

const bundles: ResultBundle[] = [...seedBundles()].filter(([k]) => /@[2-9]$/.test(k)).flatMap(([, b]) => b);

// ---- independent statistics ----
function lgamma(x: number): number {
  // Stirling series with shift (independent of the Lanczos form in contract/stats)
  let shift = 0;
  while (x < 10) {
    shift += Math.log(x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680))) - shift;
}
function tDensity(t: number, df: number): number {
  return Math.exp(lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log(1 + (t * t) / df));
}
/** P(0 <= T <= t) by composite Simpson on [0, t] after the substitution t = tan(u) (finite range). */
function tHalfMass(t: number, df: number): number {
  const b = Math.atan(t);
  const n = 4000;
  const h = b / n;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const u = i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    s += w * tDensity(Math.tan(u), df) / Math.cos(u) ** 2;
  }
  return (s * h) / 3;
}
function t975(df: number): number {
  let lo = 0;
  let hi = 20;
  while (hi - lo > 1e-13) {
    const mid = (lo + hi) / 2;
    if (tHalfMass(mid, df) < 0.475) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
const twoSidedP = (t: number, df: number) => 1 - 2 * tHalfMass(Math.abs(t), df);
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - avg(xs)) ** 2, 0) / (xs.length - 1));

interface Expected {
  strategy: string;
  tau: number;
  n: number;
  mean: number;
  lo: number;
  hi: number;
  rank: number;
  /** Paired difference to the leader (null for the leader). */
  d: number[] | null;
}

function recompute(cellBundles: ResultBundle[]): { rows: Expected[]; acc: Map<string, Map<number, number>> } {
  // one observation per (fingerprint, seed): the first
  const seen = new Set<string>();
  const ok = cellBundles.filter((b) => b.status === 'ok' && !seen.has(`${b.fingerprint}/${b.config.seed}`) && seen.add(`${b.fingerprint}/${b.config.seed}`));
  const byFp = new Map<string, ResultBundle[]>();
  for (const b of ok) byFp.set(b.fingerprint, [...(byFp.get(b.fingerprint) ?? []), b]);
  const ends = new Set(ok.filter((b) => b.config.strategy.id === 'ft' || b.config.strategy.id === 'lp-ft').map((b) => b.config.tau));
  const byStrategy = new Map<string, ResultBundle[][]>();
  for (const list of byFp.values()) {
    const c = list[0]!.config;
    if (c.strategy.id === 'hp-tau' && ends.has(c.tau)) continue;
    byStrategy.set(c.strategy.id, [...(byStrategy.get(c.strategy.id) ?? []), list]);
  }
  const chosen = [...byStrategy].map(([strategy, lists]) => {
    const best = lists.sort(
      (a, b) => avg(b.map((x) => x.summary!.best_val_acc)) - avg(a.map((x) => x.summary!.best_val_acc)) || b.length - a.length || a[0]!.config.tau - b[0]!.config.tau,
    )[0]!;
    const acc = new Map(best.map((b) => [b.config.seed, b.summary!.test_acc]));
    return { strategy, tau: best[0]!.config.tau, acc, mean: avg([...acc.values()]) };
  });
  chosen.sort((a, b) => b.mean - a.mean);
  const leader = chosen[0]!;
  const rows = chosen.map((g, i) => {
    const xs = [...g.acc.values()];
    const half = xs.length >= 2 ? (t975(xs.length - 1) * sd(xs)) / Math.sqrt(xs.length) : 0;
    const d = i === 0 ? null : [...g.acc].filter(([seed]) => leader.acc.has(seed)).map(([seed, a]) => a - leader.acc.get(seed)!);
    return { strategy: g.strategy, tau: g.tau, n: xs.length, mean: g.mean, lo: g.mean - half, hi: g.mean + half, rank: i + 1, d };
  });
  return { rows, acc: new Map(chosen.map((c) => [c.strategy, c.acc])) };
}

/** The 95% quantile of max |paired t| over within-seed permutations: a second implementation (complete seeds only). */
function criticalT(acc: Map<string, Map<number, number>>, permutations: number): number {
  const names = [...acc.keys()];
  const seeds = [...acc.values().next().value!.keys()].filter((s) => names.every((n) => acc.get(n)!.has(s)));
  const rows = seeds.map((s) => names.map((n) => acc.get(n)!.get(s)!));
  let state = 12345;
  const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const maxima: number[] = [];
  for (let r = 0; r < permutations; r++) {
    const perm = rows.map((row) => {
      const c = [...row];
      for (let i = c.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [c[i], c[j]] = [c[j]!, c[i]!];
      }
      return c;
    });
    let best = 0;
    for (let a = 0; a < names.length; a++)
      for (let b = a + 1; b < names.length; b++) {
        const d = perm.map((row) => row[a]! - row[b]!);
        const t = Math.abs(avg(d) / (sd(d) / Math.sqrt(d.length)));
        if (t > best) best = t;
      }
    maxima.push(best);
  }
  maxima.sort((a, b) => a - b);
  return maxima[Math.ceil(0.95 * permutations) - 1]!;
}

describe('the committed reference leaderboards (@2 and later), recomputed independently', () => {
  const suites = [...new Set(bundles.map((b) => `${b.suite.name}@${b.suite.version}`))].sort();
  it('the @2 reference runs are committed', () => {
    expect(suites).toEqual(expect.arrayContaining(['synthetic-linear@2', 'digits-transfer@2']));
  });
  for (const suite of suites)
    it(`${suite}: means, ranks by mean, paired differences and the max-T decisions agree`, () => {
      const mine = bundles.filter((b) => `${b.suite.name}@${b.suite.version}` === suite);
      const { rows: expected, acc } = recompute(mine);
      const [cell] = rankCells(mine.map(observationOf).filter((o): o is SeedObservation => o !== null));
      expect(cell!.rows.map((r) => r.strategy)).toEqual(expected.map((e) => e.strategy));
      const c = cell!.test.critical_t!;
      // the critical value agrees with a second implementation within Monte Carlo error (2,000 permutations there)
      expect(Math.abs(c - criticalT(acc, 2000))).toBeLessThan(0.2);
      for (const e of expected) {
        const r = cell!.rows.find((x) => x.strategy === e.strategy)!;
        expect([r.tau, r.n, r.rank], e.strategy).toEqual([e.tau, e.n, e.rank]);
        expect(Math.abs(r.mean - e.mean)).toBeLessThan(1e-9);
        expect(Math.abs(r.lo - e.lo)).toBeLessThan(1e-9);
        expect(Math.abs(r.hi - e.hi)).toBeLessThan(1e-9);
        if (e.d === null) expect(r.vs_leader).toBeNull();
        else {
          const v = r.vs_leader!;
          const m = avg(e.d);
          const s_ = sd(e.d);
          const se = s_ / Math.sqrt(e.d.length);
          expect(Math.abs(v.mean - m)).toBeLessThan(1e-9);
          expect(Math.abs(v.lo! - (m - t975(e.d.length - 1) * se))).toBeLessThan(1e-9);
          expect(Math.abs(v.p! - twoSidedP(m / se, e.d.length - 1))).toBeLessThan(1e-9);
          // simultaneous interval: mean -+ c * se; worse than the leader iff |t| > c
          expect(Math.abs(v.lo_adj! - (m - c * se))).toBeLessThan(1e-9);
          expect(Math.abs(v.hi_adj! - (m + c * se))).toBeLessThan(1e-9);
          expect(r.ties_leader, e.strategy).toBe(!(Math.abs(m / se) > c));
        }
      }
    });
});
