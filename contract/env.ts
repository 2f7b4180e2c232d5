/**
 * Settings read from the environment, one rule for the site and the CLI: unset or empty means the
 * default; anything else must be valid, and a bad value fails naming the variable (never a silent
 * default).
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** A non-negative integer setting `name` (unset or empty: `dflt`). */
export function envInt(env: Env, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v.trim() === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}
