/**
 * What one rerun should land in. The site's bands are 95% t-intervals of the MEAN over n seeds:
 * mean +- t_{0.975,n-1} * s / sqrt(n). A single new run varies with s itself, so its 95%
 * prediction interval is mean +- t_{0.975,n-1} * s * sqrt(1 + 1/n) (Student's t, independent
 * seeds). Given the confidence interval, s * t = half * sqrt(n), so the prediction half width is
 * half * sqrt(n) * sqrt(1 + 1/n) = half * sqrt(n + 1): no standard deviation needs to travel.
 */
export interface Interval {
  lo: number;
  hi: number;
}

/** The 95% prediction interval for one new run from a 95% CI of the mean over n >= 2 seeds; null for n < 2. */
export function predictionInterval95FromCI(mean: number, ci: Interval, n: number): Interval | null {
  if (!(n >= 2)) return null;
  const half = ((ci.hi - ci.lo) / 2) * Math.sqrt(n + 1);
  return { lo: mean - half, hi: mean + half };
}
