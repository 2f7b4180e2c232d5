/** Number formatting shared by server pages and client charts (pure; no React). */

export const pct = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;

/** "±1.23 pp": a half width of an accuracy interval in percentage points. */
export const pp = (x: number, digits = 2): string => `±${(x * 100).toFixed(digits)} pp`;

export const num = (x: number | null | undefined, digits = 3): string => {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return x.toFixed(digits);
};

