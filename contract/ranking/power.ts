/**
 * What a test can detect with the seeds it has: seeds needed for a paired t-test, the effect a
 * paired t-test detects at 80% power, and the sign test's reach (docs/science.md, "Claims").
 * Power of a paired t-test uses the normal approximation of the noncentral t:
 * power = Phi(delta sqrt(n) / sd - t_{1 - alpha/2, n-1}).
 */
import { binomialUpperTail, normalQuantile, signTestP, tQuantile, tQuantile975 } from '../stats';

/** Seeds needed to detect a paired mean difference `delta` with per-seed difference sd `sd` (two-sided t, alpha 0.05, power 0.8). */
export function seedsForPower(delta: number, sd: number, power = 0.8): number | null {
  if (!(delta > 0) || !(sd > 0)) return null;
  // Smallest n whose noncentral power (normal approximation of the t with df n-1) reaches `power`.
  // t_{0.975, n-1} > z_{0.975}, so the normal answer is a lower bound: start there, step up.
  const zPow = normalQuantile(power);
  const lower = ((normalQuantile(0.975) + zPow) * (sd / delta)) ** 2;
  if (lower > 1e7) return null;
  for (let n = Math.max(2, Math.floor(lower)); n <= 1e7; n++) {
    const t = tQuantile975(n - 1);
    if ((delta / sd) * Math.sqrt(n) - t >= zPow) return n;
  }
  return null;
}

/**
 * The smallest |mean difference| a two-sided paired t-test at level `alpha` detects with `power`
 * over `n` seeds whose differences have sd `sd` (null when n < 2 or sd is not positive).
 */
export function detectableEffect(n: number, sd: number, alpha = 0.05, power = 0.8): number | null {
  if (!(n >= 2) || !(sd > 0)) return null;
  return ((tQuantile(1 - alpha / 2, n - 1) + normalQuantile(power)) * sd) / Math.sqrt(n);
}

export interface SignTestReach {
  /** The smallest two-sided p the sign test can give with n seeds: 2 / 2^n. */
  min_p: number;
  /** Whether p < alpha is reachable at all (n >= 6 at alpha 0.05). */
  can_reach: boolean;
  /** Agreeing seeds (of n) needed for p < alpha (null when unreachable). */
  agree_needed: number | null;
  /** The per-seed agreement probability the test detects with 80% power (null when unreachable or above 1). */
  detectable_rate: number | null;
}

/** What a two-sided exact sign test over `n` seeds can show at level `alpha`. */
export function signTestReach(n: number, alpha = 0.05, power = 0.8): SignTestReach {
  const minP = n >= 1 ? Math.min(1, 2 * 0.5 ** n) : 1;
  let need: number | null = null;
  for (let a = Math.ceil(n / 2); a <= n; a++)
    if (signTestP(a, n) < alpha) {
      need = a;
      break;
    }
  let rate: number | null = null;
  if (need !== null) {
    // P(Binomial(n, q) >= need) rises with q: bisect for power
    let lo = 0.5;
    let hi = 1;
    if (binomialUpperTail(need, n, 1 - 1e-12) >= power) {
      for (let i = 0; i < 60; i++) {
        const mid = (lo + hi) / 2;
        if (binomialUpperTail(need, n, mid) < power) lo = mid;
        else hi = mid;
      }
      rate = hi;
    }
  }
  return { min_p: minP, can_reach: need !== null, agree_needed: need, detectable_rate: rate };
}
