/**
 * Small, exact statistics shared by the runner's report and the site's ranking, so both sides say
 * the same thing about the same numbers. Pure functions on number arrays.
 */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n - 1 denominator); 0 for a single value, NaN for none. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  if (xs.length === 1) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) return NaN;
  if (x === 0 || x === 1) return x;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom (df > 0, not necessarily whole). */
export function tCdf(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic: P(|T| >= |t|). */
export function tTwoSidedP(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * The p-quantile of Student's t (0 < p < 1): the t with tCdf(t, df) = p, solved by bisection on the
 * exact CDF to machine precision (no table, no series approximation).
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** t_{0.975, df}, the quantile of a two-sided 95% interval (exact; see tQuantile; memoised by df). */
const t975 = new Map<number, number>();
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  let q = t975.get(df);
  if (q === undefined) {
    q = tQuantile(0.975, df);
    if (t975.size < 10_000) t975.set(df, q);
  }
  return q;
}

/** P(F <= f) for Fisher's F(d1, d2). */
export function fCdf(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 0;
  if (f === Infinity) return 1;
  return incompleteBeta((d1 * f) / (d1 * f + d2), d1 / 2, d2 / 2);
}

/** Standard normal CDF, Phi(z) = erfc(-z / sqrt 2) / 2. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal quantile (bisection on normalCdf). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return NaN;
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** erfc: the Taylor series of erf for |x| < 2.5, the continued fraction of erfc beyond. */
function erfc(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
    let sum = ax;
    let term = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    r = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) (Lentz)
    const tiny = 1e-300;
    let f = ax;
    let c = ax;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const an = n / 2;
      d = ax + an * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = ax + an / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      const del = c * d;
      f *= del;
      if (Math.abs(del - 1) < 1e-16) break;
    }
    r = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  }
  return x >= 0 ? r : 2 - r;
}

/**
 * The upper-alpha quantile of the studentized range of k independent standard normals (infinite
 * degrees of freedom), by numerical integration of P(range <= q) = k * int phi(z) [Phi(z) -
 * Phi(z - q)]^(k-1) dz and bisection. Nemenyi's critical value is this divided by sqrt(2)
 * (Demsar 2006, Table 5: q_0.05 = 1.960, 2.343, 2.569, ... for k = 2, 3, 4, ...).
 */
const rangeQuantiles = new Map<string, number>();
export function studentizedRangeQuantile(alpha: number, k: number): number {
  if (!(k >= 2) || !(alpha > 0 && alpha < 1)) return NaN;
  const key = `${alpha}/${k}`;
  const known = rangeQuantiles.get(key);
  if (known !== undefined) return known;
  const q = computeRangeQuantile(alpha, k);
  rangeQuantiles.set(key, q);
  return q;
}

function computeRangeQuantile(alpha: number, k: number): number {
  const cdf = (q: number) => {
    const n = 4000;
    const a = -9;
    const b = 9;
    const h = (b - a) / n;
    let s = 0;
    for (let i = 0; i <= n; i++) {
      const z = a + i * h;
      const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
      const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      s += w * phi * (normalCdf(z) - normalCdf(z - q)) ** (k - 1);
    }
    return (k * s * h) / 3;
  };
  let lo = 0;
  let hi = 20;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 1 - alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Two-sided exact binomial (sign) test p-value of `wins` successes in `n` trials at p = 1/2. */
export function signTestP(wins: number, n: number): number {
  if (n === 0) return 1;
  const k = Math.min(wins, n - wins);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) - n * Math.LN2);
  return Math.min(1, 2 * tail);
}

/**
 * Holm's step-down adjustment of p-values (family-wise error control): sorted ascending, the i-th
 * (0-based) of m is multiplied by (m - i), made monotone, and capped at 1. Returns adjusted p-values
 * in input order; NaN entries stay NaN and do not count towards m.
 */
export function holmAdjust(ps: readonly number[]): number[] {
  const idx = ps.map((p, i) => [p, i] as const).filter(([p]) => !Number.isNaN(p)).sort((a, b) => a[0] - b[0]);
  const m = idx.length;
  const out = ps.map(() => NaN);
  let running = 0;
  idx.forEach(([p, i], r) => {
    running = Math.max(running, Math.min(1, (m - r) * p));
    out[i] = running;
  });
  return out;
}

export interface MeanCI {
  n: number;
  mean: number;
  std: number;
  /** Half width of the 95% t-interval; 0 when n = 1 (no spread is known: show n). */
  half_width: number;
  lo: number;
  hi: number;
}

/** Mean with a 95% confidence interval from Student's t over independent seeds. */
export function meanCI95(xs: readonly number[]): MeanCI {
  const n = xs.length;
  const m = mean(xs);
  const std = sampleStd(xs);
  const half = n >= 2 ? (tQuantile975(n - 1) * std) / Math.sqrt(n) : 0;
  return { n, mean: m, std, half_width: half, lo: m - half, hi: m + half };
}

/** 1-based ranks with ties given their average rank (as Spearman's rho requires). */
export function averageRanks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[idx[k]![1]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side is constant or fewer than 2 points. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new Error(`pearson: lengths differ (${xs.length} vs ${ys.length})`);
  if (xs.length < 2) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (Pearson on average ranks, correct under ties). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  return pearson(averageRanks(xs), averageRanks(ys));
}

/**
 * A 128-bit string hash (cyrb128): four 32-bit words, the seed of `seededRandom`. Deterministic on
 * every JavaScript engine, so a permutation test seeded by a cell's fingerprints gives the same
 * numbers in `headprep report` and on the site.
 */
export function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A seeded uniform [0, 1) generator (sfc32, 128-bit state) from a string: same string, same stream. */
export function seededRandom(seed: string): () => number {
  let [a, b, c, d] = hash128(seed);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // Discard the first outputs: sfc32's state mixes in about a dozen steps.
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** P(X >= a) for X ~ Binomial(n, q). */
export function binomialUpperTail(a: number, n: number, q: number): number {
  if (a <= 0) return 1;
  if (a > n) return 0;
  if (q <= 0) return 0;
  if (q >= 1) return 1;
  let s = 0;
  for (let i = a; i <= n; i++) s += Math.exp(logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * Math.log(q) + (n - i) * Math.log(1 - q));
  return Math.min(1, s);
}
