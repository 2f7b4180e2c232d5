/**
 * The within-seed permutation max-T test behind a cell's ranking (docs/science.md, "Statistics of
 * a ranking"). Under the null that every strategy of a seed is exchangeable with every other
 * (all strategies equal in distribution, seed effects arbitrary), permuting the strategy labels
 * within each seed leaves the joint distribution unchanged. The statistic is
 *
 *   T = max over all pairs (a, b) of |t_ab|,  t_ab = the paired t statistic of a - b over their common seeds,
 *
 * and the adjusted p-value of a pair is (1 + #{permutations with T* >= |t_ab|}) / (B + 1)
 * (single-step max-T, Westfall & Young 1993). Because the maximum runs over EVERY pair, "some
 * strategy is declared different from some other" has probability <= alpha under the null,
 * whichever strategy the data make the leader: the choice of the leader is inside the family.
 * The simultaneous intervals mean +- c * sd / sqrt(n) use the critical value c of the same
 * permutation distribution, so an interval excludes 0 exactly when the pair's adjusted p < alpha.
 *
 * Deterministic: the permutations come from a PRNG seeded by a string (the cell's fingerprints
 * and seeds), so `headprep report` and the site print the same numbers.
 */
import { seededRandom } from '../stats';

/** Permutations drawn per cell (B); B + 1 = 5000, so alpha (B + 1) is a whole number. */
export const PERMUTATIONS = 4999;

export interface MaxTResult {
  /** Observed paired t statistic of row a minus column b (NaN when fewer than 2 common seeds). */
  t: number[][];
  /** Adjusted p-value of each pair (NaN when untestable); symmetric. */
  p_adj: number[][];
  /** The critical |t|: a pair is declared different iff its |t| exceeds it (null when nothing is testable). */
  critical_t: number | null;
  permutations: number;
  /** The PRNG seed string. */
  seed: string;
  /**
   * A lower bound on the adjusted p the permutation distribution can give with these seeds and
   * strategies: 1 / (k!)^(n - 1) for n complete seeds (relabelling every seed the same way leaves
   * T unchanged), 1 / prod(m_s!) when seed s has only m_s strategies; floored at 1 / (B + 1). When
   * it is >= alpha no pair can be declared different.
   */
  min_p: number;
}

/**
 * The paired t of every pair of columns (a, b) of `y`, strategy-major (y[j * n + s]), into `out`
 * (k x k, row a minus column b), returning the largest |t|. Complete columns use sums of products
 * of per-seed-centred values (exact up to rounding; the centring keeps the cancellation small);
 * a column with a missing seed (NaN) falls back to pairwise deletion.
 * Constant differences (sd below 1e-6 of the mean's size): t is +-Infinity, or 0 for no difference.
 */
function pairTs(y: Float64Array, n: number, k: number, complete: boolean, S: Float64Array, Q: Float64Array, out: Float64Array | null): number {
  let best = -Infinity;
  if (complete) {
    for (let a = 0; a < k; a++) {
      let s1 = 0;
      let s2 = 0;
      const o = a * n;
      for (let s = 0; s < n; s++) {
        const v = y[o + s]!;
        s1 += v;
        s2 += v * v;
      }
      S[a] = s1;
      Q[a] = s2;
    }
  }
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      let cnt = n;
      let sum: number;
      let ssq: number;
      const oa = a * n;
      const ob = b * n;
      if (complete) {
        let p = 0;
        for (let s = 0; s < n; s++) p += y[oa + s]! * y[ob + s]!;
        sum = S[a]! - S[b]!;
        ssq = Q[a]! + Q[b]! - 2 * p;
      } else {
        cnt = 0;
        sum = 0;
        ssq = 0;
        for (let s = 0; s < n; s++) {
          const u = y[oa + s]!;
          const v = y[ob + s]!;
          if (u === u && v === v) {
            const d = u - v;
            cnt++;
            sum += d;
            ssq += d * d;
          }
        }
      }
      let t: number;
      if (cnt < 2) t = NaN;
      else {
        const m = sum / cnt;
        const v = Math.max(0, (ssq - sum * m) / (cnt - 1));
        if (v <= 1e-12 * (ssq / cnt)) t = Math.abs(m) <= 1e-15 ? 0 : m > 0 ? Infinity : -Infinity;
        else t = m / Math.sqrt(v / cnt);
      }
      if (out) {
        out[a * k + b] = t;
        out[b * k + a] = -t;
      }
      const at = Math.abs(t);
      if (at > best) best = at;
    }
  return best;
}

function logFactorial(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/**
 * Runs the test on `values[s][j]` (seed s, strategy j; NaN or undefined = no observation). Within
 * a seed only the strategies present there swap values.
 */
export function maxTTest(values: readonly (readonly (number | undefined)[])[], k: number, seed: string, alpha = 0.05, permutations = PERMUTATIONS): MaxTResult {
  const n = values.length;
  // Strategy-major, each seed centred on its mean (paired differences and permutations within a seed are unchanged by it).
  const x = new Float64Array(n * k).fill(NaN);
  const present: number[][] = [];
  for (let s = 0; s < n; s++) {
    const idx: number[] = [];
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const v = values[s]![j];
      if (typeof v === 'number' && Number.isFinite(v)) {
        idx.push(j);
        sum += v;
      }
    }
    const m = idx.length ? sum / idx.length : 0;
    for (const j of idx) x[j * n + s] = values[s]![j]! - m;
    present.push(idx);
  }
  const complete = present.every((p) => p.length === k);
  const S = new Float64Array(k);
  const Q = new Float64Array(k);
  const tFlat = new Float64Array(k * k).fill(NaN);
  pairTs(x, n, k, complete, S, Q, tFlat);
  const t: number[][] = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => (a === b ? NaN : tFlat[a * k + b]!)));
  const testable = t.some((row) => row.some((v) => !Number.isNaN(v)));
  // Equally likely relabellings: prod over seeds of m_s!; with every seed complete, relabelling all
  // seeds alike leaves T unchanged, so T takes at most (k!)^(n-1) equally likely values.
  let logCount = present.reduce((a, p) => a + logFactorial(p.length), 0);
  if (complete && n >= 1) logCount -= logFactorial(k);
  const minP = Math.max(1 / (permutations + 1), Math.exp(-logCount));
  const pAdj: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(NaN));
  if (!testable) return { t, p_adj: pAdj, critical_t: null, permutations, seed, min_p: minP };

  const rand = seededRandom(seed);
  // Shuffled in place, never reset: a uniform permutation of any arrangement is uniform.
  const y = Float64Array.from(x);
  const maxima = new Float64Array(permutations);
  for (let r = 0; r < permutations; r++) {
    for (let s = 0; s < n; s++) {
      const idx = present[s]!;
      // Fisher-Yates over the strategies present in this seed
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        const p = idx[i]! * n + s;
        const q = idx[j]! * n + s;
        const tmp = y[p]!;
        y[p] = y[q]!;
        y[q] = tmp;
      }
    }
    maxima[r] = pairTs(y, n, k, complete, S, Q, null);
  }
  maxima.sort();
  // count(T* >= v), with a relative tolerance so that a permutation equal to the data counts as >=
  const atLeast = (v: number) => {
    const thr = v === Infinity ? Infinity : v * (1 - 1e-12);
    let lo = 0;
    let hi = permutations;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maxima[mid]! >= thr) hi = mid;
      else lo = mid + 1;
    }
    return permutations - lo;
  };
  for (let a = 0; a < k; a++)
    for (let b = a + 1; b < k; b++) {
      const v = t[a]![b]!;
      if (Number.isNaN(v)) continue;
      const p = Math.min(1, (1 + atLeast(Math.abs(v))) / (permutations + 1));
      pAdj[a]![b] = p;
      pAdj[b]![a] = p;
    }
  // p_adj < alpha  <=>  count <= K with K = ceil(alpha (B + 1)) - 2  <=>  |t| > the (K+1)-th largest T*
  const K = Math.ceil(alpha * (permutations + 1) - 1e-9) - 2;
  const critical = K < 0 ? Infinity : maxima[permutations - 1 - K]!;
  return { t, p_adj: pAdj, critical_t: critical, permutations, seed, min_p: minP };
}
