/**
 * The leaderboard of the committed @2 reference seeds (seed/envelopes), recomputed here WITHOUT the
 * ranking module or contract/stats: envelopes decoded with node's Buffer, means and paired
 * differences by hand, Student-t quantiles from a numerical integral of the t density (Simpson)
 * instead of the incomplete beta function, Holm by its definition, tie groups and ranks by the
 * rule docs/science.md states. It must agree with contract/ranking.ts to 1e-9.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { observationOf, rankCells, type ResultBundle, type SeedObservation } from '../../../contract';

// seed/envelopes/<suite>@2.jsonl.gz: one envelope per line, read with node's zlib (not seed/files.ts)
const dir = join(process.cwd(), 'seed', 'envelopes');
const bundles: ResultBundle[] = readdirSync(dir)
  .filter((f) => /@2\.jsonl\.gz$/.test(f))
  .sort()
  .flatMap((f) => gunzipSync(readFileSync(join(dir, f))).toString('utf8').split('\n').filter(Boolean))
  .map((line) => JSON.parse(Buffer.from(JSON.parse(line).payload, 'base64').toString('utf8')) as ResultBundle);

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
  diff: number | null;
  diffLo: number | null;
  pHolm: number | null;
  rank: number;
}

function recompute(cellBundles: ResultBundle[]): Expected[] {
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
  const out = new Map<string, Expected>();
  let left = [...chosen];
  let placed = 0;
  let first = true;
  while (left.length) {
    const leader = left[0]!;
    const rest = left.slice(1).map((s) => {
      const d = [...s.acc].filter(([seed]) => leader.acc.has(seed)).map(([seed, a]) => a - leader.acc.get(seed)!);
      const m = avg(d);
      const s_ = sd(d);
      const p = s_ === 0 ? (m === 0 ? 1 : 0) : twoSidedP(m / (s_ / Math.sqrt(d.length)), d.length - 1);
      return { s, d, m, s_, p };
    });
    // Holm: sorted ascending, multiply by (m - i), running max, cap 1
    const order = rest.map((_, i) => i).sort((a, b) => rest[a]!.p - rest[b]!.p);
    const adj = new Array<number>(rest.length);
    let run = 0;
    order.forEach((i, r) => {
      run = Math.max(run, Math.min(1, (rest.length - r) * rest[i]!.p));
      adj[i] = run;
    });
    const rank = placed + 1;
    const group = [leader, ...rest.filter((_, i) => !(adj[i]! < 0.05)).map((x) => x.s)];
    for (const g of group) {
      const xs = [...g.acc.values()];
      const half = xs.length >= 2 ? (t975(xs.length - 1) * sd(xs)) / Math.sqrt(xs.length) : 0;
      // the paired columns always compare with the overall leader (set in the first round)
      const prev = out.get(g.strategy);
      out.set(g.strategy, {
        strategy: g.strategy,
        tau: g.tau,
        n: xs.length,
        mean: g.mean,
        lo: g.mean - half,
        hi: g.mean + half,
        diff: prev?.diff ?? null,
        diffLo: prev?.diffLo ?? null,
        pHolm: prev?.pHolm ?? null,
        rank,
      });
    }
    if (first)
      rest.forEach((x, i) => {
        const e = out.get(x.s.strategy) ?? ({ strategy: x.s.strategy } as Expected);
        e.diff = x.m;
        e.diffLo = x.m - (t975(x.d.length - 1) * x.s_) / Math.sqrt(x.d.length);
        e.pHolm = adj[i]!;
        out.set(x.s.strategy, e);
      });
    first = false;
    placed += group.length;
    left = left.filter((s) => !group.includes(s));
  }
  return [...out.values()];
}

describe('the committed @2 reference leaderboards, recomputed independently', () => {
  const suites = [...new Set(bundles.map((b) => `${b.suite.name}@${b.suite.version}`))].sort();
  it('the @2 reference runs are committed', () => {
    expect(suites).toEqual(expect.arrayContaining(['digits-transfer@2', 'synthetic-linear@2']));
    expect(bundles.length).toBe(130 + 320);
  });
  for (const suite of suites)
    it(`${suite}: means, paired intervals, Holm p, tie groups and ranks agree to 1e-9`, () => {
      const mine = bundles.filter((b) => `${b.suite.name}@${b.suite.version}` === suite);
      const expected = recompute(mine);
      const [cell] = rankCells(mine.map(observationOf).filter((o): o is SeedObservation => o !== null));
      expect(cell!.rows.map((r) => r.strategy).sort()).toEqual(expected.map((e) => e.strategy).sort());
      for (const e of expected) {
        const r = cell!.rows.find((x) => x.strategy === e.strategy)!;
        expect([r.tau, r.n, r.rank], e.strategy).toEqual([e.tau, e.n, e.rank]);
        expect(Math.abs(r.mean - e.mean)).toBeLessThan(1e-9);
        expect(Math.abs(r.lo - e.lo)).toBeLessThan(1e-9);
        expect(Math.abs(r.hi - e.hi)).toBeLessThan(1e-9);
        if (e.diff === null) expect(r.vs_leader).toBeNull();
        else {
          expect(Math.abs(r.vs_leader!.mean - e.diff)).toBeLessThan(1e-9);
          expect(Math.abs(r.vs_leader!.lo! - e.diffLo!)).toBeLessThan(1e-9);
          expect(Math.abs(r.p_holm! - e.pHolm!)).toBeLessThan(1e-9);
        }
      }
    });
});
