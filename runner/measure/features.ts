/**
 * Feature-change metrics of docs/science.md step 6 on a fixed eval set, as pure functions on arrays:
 * z_t and z_0 are n x h row-major (same examples, same order). Each metric is averaged over the
 * n examples (no dropped remainder). Computed in float64.
 */

export interface FeatureMetrics {
  feat_l2_dist: number;
  feat_cos_sim: number;
  feat_cos_dist: number;
  feat_dot: number;
  feat_norm: number;
  /** Mean ||z_0||_2 (the reference norm). */
  feat_norm_ref: number;
}

/**
 * cos(a, b) with a convention for zero vectors (ReLU features can be all zero): two zero vectors
 * are identical (cos 1), a zero and a non-zero vector are orthogonal (cos 0).
 */
function cosine(dot: number, na: number, nb: number): number {
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot / (na * nb)));
}

export function featureMetrics(zt: ArrayLike<number>, z0: ArrayLike<number>, n: number, h: number): FeatureMetrics {
  if (zt.length !== n * h || z0.length !== n * h)
    throw new Error(`featureMetrics: expected ${n}x${h} features, got ${zt.length} and ${z0.length} values`);
  let l2 = 0;
  let cos = 0;
  let dot = 0;
  let norm = 0;
  let normRef = 0;
  for (let i = 0; i < n; i++) {
    let dd = 0;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let j = 0; j < h; j++) {
      const a = zt[i * h + j]!;
      const b = z0[i * h + j]!;
      dd += (a - b) * (a - b);
      ab += a * b;
      aa += a * a;
      bb += b * b;
    }
    const na = Math.sqrt(aa);
    const nb = Math.sqrt(bb);
    l2 += Math.sqrt(dd);
    cos += cosine(ab, na, nb);
    dot += ab;
    norm += na;
    normRef += nb;
  }
  const m = (v: number) => (n === 0 ? 0 : v / n);
  const cosSim = m(cos);
  return {
    feat_l2_dist: m(l2),
    feat_cos_sim: cosSim,
    feat_cos_dist: Math.max(0, 1 - cosSim),
    feat_dot: m(dot),
    feat_norm: m(norm),
    feat_norm_ref: m(normRef),
  };
}

/** Frobenius norm of a list of weight arrays (head kernels and biases). */
export function weightsNorm(arrays: ArrayLike<number>[]): number {
  let s = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s);
}
