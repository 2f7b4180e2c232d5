/**
 * The "energy" of docs/science.md step 4, as pure functions on arrays. Per example,
 * E(x) = || e_y - p(x) ||_2 with the HARD one-hot label e_y (even when HP smoothed its targets).
 * Bounds: a uniform p gives sqrt(1 - 1/K); the maximum sqrt(2) is a confident wrong prediction.
 */

/** Row-wise softmax of `logits` (n x k, row-major) in float64. */
export function softmaxRows(logits: ArrayLike<number>, n: number, k: number): Float64Array {
  const p = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, logits[i * k + c]!);
    let s = 0;
    for (let c = 0; c < k; c++) s += p[i * k + c] = Math.exp(logits[i * k + c]! - m);
    for (let c = 0; c < k; c++) p[i * k + c]! /= s;
  }
  return p;
}

/** Per-example energies ||e_y - p||_2 from probabilities (n x k) and labels. */
export function exampleEnergies(probs: ArrayLike<number>, labels: ArrayLike<number>, k: number): Float64Array {
  const n = labels.length;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    let s = 0;
    for (let c = 0; c < k; c++) {
      const d = (c === y ? 1 : 0) - probs[i * k + c]!;
      s += d * d;
    }
    e[i] = Math.sqrt(s);
  }
  return e;
}

/** Quantile with linear interpolation between order statistics (numpy's default, "type 7"). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(values).sort();
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export interface ClassifierStats {
  /** Mean cross-entropy with hard labels, nats. */
  loss: number;
  acc: number;
  /** Mean energy ||e_y - p||_2. */
  energy: number;
  q25: number;
  median: number;
  q75: number;
}

/** Loss, accuracy and energy statistics of logits (n x k) against hard labels. */
export function classifierStats(logits: ArrayLike<number>, labels: ArrayLike<number>, k: number): ClassifierStats {
  const n = labels.length;
  if (n === 0) return { loss: 0, acc: 0, energy: 0, q25: 0, median: 0, q75: 0 };
  const p = softmaxRows(logits, n, k);
  const e = exampleEnergies(p, labels, k);
  let loss = 0;
  let correct = 0;
  let es = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    // log-softmax directly from logits for accuracy at large margins
    let m = -Infinity;
    let arg = 0;
    for (let c = 0; c < k; c++) {
      const v = logits[i * k + c]!;
      if (v > m) {
        m = v;
        arg = c;
      }
    }
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(logits[i * k + c]! - m);
    loss += -(logits[i * k + y]! - m - Math.log(s));
    if (arg === y) correct++;
    es += e[i]!;
  }
  return { loss: loss / n, acc: correct / n, energy: es / n, q25: quantile(e, 0.25), median: quantile(e, 0.5), q75: quantile(e, 0.75) };
}
