/**
 * One short line per server-side failure, never the failed query's parameters: drizzle's error
 * message is "Failed query: <sql>\nparams: <values>", and the values of an ingest are whole signed
 * envelopes and a key's contact. A failure is logged by its route, the database error in words
 * (db-error.ts) and the first frame of its stack; the same line again within `windowMs` is counted,
 * not printed, and the count goes out with the next line or the next call after the window.
 */
import { describeDatabaseError } from './db-error';

export interface FailureLog {
  /** Logs one failure (`where`: e.g. "[api] database unavailable"); returns the line printed, or null when it was counted as a repeat. */
  failure(where: string, e: unknown): string | null;
}

/** The error in one line: its message without query parameters, and where it was thrown. */
export function failureLine(where: string, e: unknown): string {
  const what = describeDatabaseError(e);
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack.split('\n').find((l) => /^\s+at /.test(l))?.trim() : undefined;
  const name = e instanceof Error && e.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${where}: ${name}${what}${stack ? ` (${stack})` : ''}`.slice(0, 500);
}

export function createFailureLog(write: (line: string) => void = (l) => console.error(l), windowMs = 10_000, now: () => number = Date.now): FailureLog {
  let last: { line: string; at: number; repeats: number } | null = null;
  const flush = () => {
    if (last && last.repeats > 0) write(`${last.line} (repeated ${last.repeats} more time${last.repeats === 1 ? '' : 's'})`);
  };
  return {
    failure(where, e) {
      const line = failureLine(where, e);
      const t = now();
      if (last && last.line === line && t - last.at < windowMs) {
        last.repeats++;
        return null;
      }
      flush();
      last = { line, at: t, repeats: 0 };
      write(line);
      return line;
    },
  };
}

const g = globalThis as typeof globalThis & { __headprepFailureLog?: FailureLog };
/** The process's failure log (shared by every route handler). */
export function failureLog(): FailureLog {
  return (g.__headprepFailureLog ??= createFailureLog());
}
