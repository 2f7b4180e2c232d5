/**
 * The ranking of a suite version, as both `headprep report` and the site compute it (one module,
 * so the CLI and the leaderboard can never disagree). Pure functions from per-seed observations to
 * ranked cells (./cells.ts, decided by the permutation max-T test of ./max-t.ts), an overall
 * Friedman/Nemenyi ranking (./overall.ts) and the pre-registered claims with verdicts and power
 * notes (./claims.ts, ./claims-spec.ts, ./power.ts). docs/science.md ("Statistics of a ranking",
 * "Claims") states every rule.
 */
export * from './observations';
export * from './max-t';
export * from './cells';
export * from './overall';
export * from './power';
export * from './claims-spec';
export * from './claims';
export * from './rule';
