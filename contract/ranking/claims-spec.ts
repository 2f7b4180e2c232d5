/**
 * Which variants each claim compares: the suite file's `claims` block, or the default derived from
 * the grid (docs/science.md, "Claims"). Both are fixed per suite version before any result is
 * seen, so no viewer filter can move a verdict.
 *
 * The default, from the grid's variants (strategy, tau, eta, temperature):
 * - sweep: low = ft at its smallest tau (else hp-tau at its smallest tau); high = lp-ft at its
 *   largest tau (else hp-tau at its largest); interior = hp-tau's taus strictly between them;
 * - label_smoothing: every hp-ls variant against the sweep's variant at the same tau;
 * - fixed_probe: baseline = the sweep's high end; higher_energy = the hp-temp and hp-ls variants at
 *   the same tau (omitted when there are none);
 * - kumar: lp at its largest tau, ft = low, lp_ft = high (omitted without lp, ft or lp-ft).
 */
import type { Suite } from '../schemas/config';
import type { SuiteClaims, VariantRef } from '../schemas/claims';

/** A variant as the grid (or the observations) define it. */
export interface GridVariant {
  strategy: string;
  tau: number;
  eta: number;
  temperature: number;
}

/** Every variant a suite's grid expands into (one per strategy entry and tau). */
export function gridVariants(suite: Pick<Suite, 'grid' | 'defaults'>): GridVariant[] {
  return suite.grid.strategies.flatMap((s) =>
    s.taus.map((tau) => ({ strategy: s.strategy.id, tau, eta: s.eta ?? suite.defaults.eta, temperature: s.temperature ?? suite.defaults.temperature })),
  );
}

/** Does `ref` select `v`? (strategy and tau equal; eta and temperature when the ref names them). */
export function refMatches(ref: VariantRef, v: GridVariant): boolean {
  return (
    ref.strategy === v.strategy && ref.tau === v.tau && (ref.eta === undefined || ref.eta === v.eta) && (ref.temperature === undefined || ref.temperature === v.temperature)
  );
}

const refOf = (v: GridVariant): VariantRef => ({
  strategy: v.strategy as VariantRef['strategy'],
  tau: v.tau,
  ...(v.strategy === 'hp-ls' ? { eta: v.eta } : {}),
  ...(v.strategy === 'hp-temp' ? { temperature: v.temperature } : {}),
});

/** The default claims of a grid (see the header). */
export function defaultClaims(all: readonly GridVariant[]): SuiteClaims {
  // one per (strategy, tau, eta, temperature): observations repeat a variant once per seed
  const variants = [...new Map(all.map((v) => [`${v.strategy}|${v.tau}|${v.eta}|${v.temperature}`, v])).values()];
  const of = (id: string) => variants.filter((v) => v.strategy === id).sort((a, b) => a.tau - b.tau || a.eta - b.eta || a.temperature - b.temperature);
  const ft = of('ft');
  const lpft = of('lp-ft');
  const hp = of('hp-tau');
  const low = ft[0] ?? hp[0];
  const high = lpft.at(-1) ?? hp.at(-1);
  const out: SuiteClaims = {};
  if (low && high && high.tau > low.tau) {
    const interior = [...new Set(hp.filter((v) => v.tau > low.tau && v.tau < high.tau).map((v) => v.tau))];
    if (interior.length) out.sweep = { low: refOf(low), high: refOf(high), interior: { strategy: 'hp-tau', taus: interior } };
  }
  const atTau = (tau: number) => ft.find((v) => v.tau === tau) ?? lpft.find((v) => v.tau === tau) ?? hp.find((v) => v.tau === tau);
  const ls = of('hp-ls').flatMap((v) => {
    const plain = atTau(v.tau);
    return plain ? [{ smoothed: refOf(v), plain: refOf(plain) }] : [];
  });
  if (ls.length) out.label_smoothing = ls;
  if (lpft.length) {
    const base = lpft.at(-1)!;
    const more = [...of('hp-temp'), ...of('hp-ls')].filter((v) => v.tau === base.tau);
    if (more.length) out.fixed_probe = { baseline: refOf(base), higher_energy: more.map(refOf) };
  }
  const lp = of('lp').at(-1);
  if (lp && ft.length && lpft.length) out.kumar = { lp: refOf(lp), ft: refOf(ft[0]!), lp_ft: refOf(lpft.at(-1)!) };
  return out;
}

/** The claims of a suite version: its `claims` block, else the default of its grid (of the observed variants when the suite is unknown). */
export function claimsSpecFor(suite: Pick<Suite, 'grid' | 'defaults' | 'claims'> | null, observed: readonly GridVariant[]): SuiteClaims {
  if (suite?.claims) return suite.claims;
  return defaultClaims(suite ? gridVariants(suite) : observed);
}

/** Every variant ref of a claims block with its path ("claims.sweep.low"). */
export function claimRefs(c: SuiteClaims): { path: string; ref: VariantRef }[] {
  const out: { path: string; ref: VariantRef }[] = [];
  if (c.sweep) {
    out.push({ path: 'claims.sweep.low', ref: c.sweep.low }, { path: 'claims.sweep.high', ref: c.sweep.high });
    c.sweep.interior.taus.forEach((tau, i) => out.push({ path: `claims.sweep.interior.taus[${i}]`, ref: { strategy: c.sweep!.interior.strategy, tau } }));
  }
  c.label_smoothing?.forEach((p, i) => out.push({ path: `claims.label_smoothing[${i}].smoothed`, ref: p.smoothed }, { path: `claims.label_smoothing[${i}].plain`, ref: p.plain }));
  if (c.fixed_probe) {
    out.push({ path: 'claims.fixed_probe.baseline', ref: c.fixed_probe.baseline });
    c.fixed_probe.higher_energy.forEach((r, i) => out.push({ path: `claims.fixed_probe.higher_energy[${i}]`, ref: r }));
  }
  if (c.kumar) out.push({ path: 'claims.kumar.lp', ref: c.kumar.lp }, { path: 'claims.kumar.ft', ref: c.kumar.ft }, { path: 'claims.kumar.lp_ft', ref: c.kumar.lp_ft });
  return out;
}

/**
 * Problems of a suite's claims block against its own grid: every ref must match exactly one grid
 * variant. Returns messages naming the field ([] when fine or when there is no block).
 */
export function claimsProblems(suite: Pick<Suite, 'grid' | 'defaults' | 'claims'>): string[] {
  if (!suite.claims) return [];
  const vs = gridVariants(suite);
  const out: string[] = [];
  for (const { path, ref } of claimRefs(suite.claims)) {
    const m = vs.filter((v) => refMatches(ref, v)).length;
    const what = `${ref.strategy} at tau ${ref.tau}${ref.eta !== undefined ? ` eta ${ref.eta}` : ''}${ref.temperature !== undefined ? ` temperature ${ref.temperature}` : ''}`;
    if (m === 0) out.push(`${path}: ${what} is not in the grid`);
    else if (m > 1) out.push(`${path}: ${what} matches ${m} grid variants; name its eta or temperature`);
  }
  return out;
}
