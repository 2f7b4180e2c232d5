import 'server-only';
import { sha256HexSync } from '../../lib/sha256';
import { suiteSlug, fingerprintInput, matchSuiteCell, STRATEGIES, type ResultBundle, type StrategyId, type Suite } from '../../contract';

/**
 * The named checks a parsed bundle must pass before it is stored (after the signature verified and
 * the contract schema parsed it). Each failure becomes 422 with code `check_failed.<name>`.
 */
export interface CheckContext {
  /** The suite row's definition for bundle.suite, or null when the site does not know it. */
  suite: Suite | null;
  now: Date;
  /** Byte length of the signed payload, when known (the payload_size check); undefined skips it. */
  payloadBytes?: number;
}

/**
 * Largest signed payload a cell may send, bytes. A bundle is a fixed part (suite, config,
 * environment, summary, energy, an error_message of at most 4,000 characters that JSON may escape
 * to 6 bytes each) under 64 KiB, plus one epoch row per FT epoch: 14 numbers and their names,
 * about 550 bytes compact, under 1 KiB even pretty-printed. So the suite's own epoch count bounds
 * what a key can make the site store per result.
 */
export const PAYLOAD_FIXED_BYTES = 64 * 1024;
export const PAYLOAD_EPOCH_ROW_BYTES = 1024;
export function maxPayloadBytes(ftEpochs: number): number {
  return PAYLOAD_FIXED_BYTES + (ftEpochs + 1) * PAYLOAD_EPOCH_ROW_BYTES;
}

export interface CheckFailure {
  check: CheckName;
  message: string;
  path?: string;
}

type CheckResult = { message: string; path?: string } | null;

interface Check {
  name: string;
  run(b: ResultBundle, ctx: CheckContext): CheckResult | Promise<CheckResult>;
}

/** Clock skew tolerated between the runner and the site when judging timestamps. */
const FUTURE_SKEW_MS = 10 * 60 * 1000;

const ref = (s: { name: string; version: number }) => suiteSlug(s);

export const CHECKS = [
  {
    name: 'suite_known',
    run: (b, ctx) =>
      ctx.suite
        ? null
        : { message: `suite ${ref(b.suite)} is not published on this site; run a published suite (headprep suites)`, path: 'suite' },
  },
  {
    name: 'strategy_known',
    run: (b) => {
      const s = STRATEGIES[b.config.strategy.id as StrategyId];
      if (!s) return { message: `unknown strategy "${b.config.strategy.id}"`, path: 'config.strategy.id' };
      if (s.version !== b.config.strategy.version)
        return {
          message: `strategy ${s.id} is at version ${s.version}, the bundle ran version ${b.config.strategy.version}; update the runner and rerun`,
          path: 'config.strategy.version',
        };
      return null;
    },
  },
  {
    name: 'fingerprint',
    run: (b) => {
      // = contract fingerprint(): sha256 of the JCS text, via node:crypto (synchronous, cheaper).
      const fp = sha256HexSync(fingerprintInput(b.config));
      return fp === b.fingerprint
        ? null
        : { message: `fingerprint ${b.fingerprint} does not match the config (recomputed ${fp}); the bundle was edited or the runner is broken`, path: 'fingerprint' };
    },
  },
  {
    // After the fingerprint: the config is what the runner signed; is it one of the suite's cells,
    // every hyper-parameter included? (A suite fixes them all; only the runner-resolved backbone
    // and dataset references, weights and data hashes, are the submitter's.)
    name: 'suite_cell',
    run: (b, ctx) => {
      if (!ctx.suite) return null;
      const m = matchSuiteCell(ctx.suite, b.config);
      return m.ok ? null : { message: m.message, path: `config.${m.path}` };
    },
  },
  {
    // After suite_cell: config.ft.epochs is then the suite's. An "ok" bundle already has exactly
    // ft.epochs + 1 rows (schema); an error bundle may stop early but never run past the suite.
    name: 'epochs_capped',
    run: (b) =>
      b.epochs.length > b.config.ft.epochs + 1
        ? { message: `epochs has ${b.epochs.length} rows; the cell runs at most config.ft.epochs + 1 = ${b.config.ft.epochs + 1} (epoch 0 to ${b.config.ft.epochs})`, path: 'epochs' }
        : null,
  },
  {
    name: 'payload_size',
    run: (b, ctx) => {
      const max = maxPayloadBytes(b.config.ft.epochs);
      return ctx.payloadBytes !== undefined && ctx.payloadBytes > max
        ? { message: `the payload is ${ctx.payloadBytes} bytes; a bundle of a cell with ${b.config.ft.epochs} FT epochs is at most ${max} bytes` }
        : null;
    },
  },
  {
    name: 'metrics_finite',
    run: (b) => {
      const bad = findNonFinite({ energy: b.energy, epochs: b.epochs, summary: b.summary }, '');
      return bad ? { message: `${bad} is not a finite number`, path: bad } : null;
    },
  },
  {
    name: 'epochs_consistent',
    run: (b) => {
      if (b.status !== 'ok' || !b.summary || b.epochs.length === 0) return null;
      const rows = b.epochs;
      let best = 0;
      if (b.config.dataset.n_val === 0) best = rows.length - 1;
      else for (let i = 1; i < rows.length; i++) if (rows[i]!.val_acc > rows[best]!.val_acc) best = i;
      const s = b.summary;
      if (s.best_epoch !== best)
        return { message: `summary.best_epoch is ${s.best_epoch}, but the earliest best validation epoch is ${best}`, path: 'summary.best_epoch' };
      if (s.test_acc !== rows[best]!.test_acc)
        return { message: `summary.test_acc must equal epochs[${best}].test_acc (${rows[best]!.test_acc})`, path: 'summary.test_acc' };
      if (s.best_val_acc !== rows[best]!.val_acc)
        return { message: `summary.best_val_acc must equal epochs[${best}].val_acc (${rows[best]!.val_acc})`, path: 'summary.best_val_acc' };
      if (s.last_test_acc !== rows.at(-1)!.test_acc)
        return { message: `summary.last_test_acc must equal the last epoch's test_acc (${rows.at(-1)!.test_acc})`, path: 'summary.last_test_acc' };
      if (b.energy && s.lp_test_acc !== b.energy.lp_test_acc)
        return { message: `summary.lp_test_acc must equal energy.lp_test_acc (${b.energy.lp_test_acc})`, path: 'summary.lp_test_acc' };
      return null;
    },
  },
  {
    name: 'environment_present',
    run: (b) => {
      const e = b.environment;
      for (const k of ['runner_version', 'tfjs_version', 'node', 'os', 'cpu'] as const)
        if (!e[k].trim()) return { message: `environment.${k} is empty; bundles must record where they ran`, path: `environment.${k}` };
      return null;
    },
  },
  {
    name: 'timestamps',
    run: (b, ctx) =>
      Date.parse(b.finished_at) > ctx.now.getTime() + FUTURE_SKEW_MS
        ? { message: `finished_at ${b.finished_at} is in the future; check the runner machine's clock`, path: 'finished_at' }
        : null,
  },
] as const satisfies readonly Check[];

export type CheckName = (typeof CHECKS)[number]['name'];

function findNonFinite(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : path || '(root)';
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findNonFinite(v[i], path ? `${path}.${i}` : String(i));
      if (r) return r;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const r = findNonFinite(x, path ? `${path}.${k}` : k);
      if (r) return r;
    }
  }
  return null;
}

/** Runs every check in order; returns the first failure, or null when the bundle passes. */
export async function runChecks(b: ResultBundle, ctx: CheckContext): Promise<CheckFailure | null> {
  for (const c of CHECKS as readonly Check[]) {
    const r = await c.run(b, ctx);
    if (r) return { check: c.name as CheckName, ...r };
  }
  return null;
}
