import 'server-only';
import { ApiFailure as ContractApiFailure } from '../../contract';
import { json } from './json-response';
import { failureLog } from './failure-log';

/** The route handlers' failure (contract ApiFailure) with its Response. */
export class ApiFailure extends ContractApiFailure {
  toResponse(): Response {
    return json(this.toJSON(), this.status, this.headers);
  }
}

export function errorResponse(status: number, code: string, message: string, path?: string, headers?: Record<string, string>): Response {
  return new ApiFailure(status, code, message, path, headers).toResponse();
}

/** Seconds a client is asked to wait when the database is unreachable. */
export const DB_UNAVAILABLE_RETRY_S = 5;

const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATEs of a database that is restarting, shutting down or out of connections. */
/** ...and a database that does not exist or refuses the configured role (a misconfigured server, not the client's fault). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P01|57P02|57P03|53300|3D000|28000|28P01)$/;
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)|PGlite is closed/i;

/**
 * True when `e` (or an error in its cause chain: drizzle wraps driver errors) says the database
 * cannot be reached right now: a refused or dropped connection, a server restarting or out of
 * connections. Those are the server's transient trouble, answered 503 with Retry-After, never a
 * 500 or a client error.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let x = e, depth = 0; x && typeof x === 'object' && depth < 8; x = (x as { cause?: unknown }).cause, depth++) {
    const { code, message, errors } = x as { code?: unknown; message?: unknown; errors?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_ERRNO.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
    // AggregateError (a connect to several addresses, all refused)
    if (Array.isArray(errors) && errors.some((y) => isDatabaseUnavailable(y))) return true;
  }
  return false;
}

/** Maps anything thrown in a handler to the error envelope; unexpected errors are logged, never leaked. */
export function toErrorResponse(e: unknown): Response {
  if (e instanceof ApiFailure) return e.toResponse();
  if (isDatabaseUnavailable(e)) {
    failureLog().failure('[api] database unavailable', e);
    return errorResponse(503, 'unavailable', `the database is unreachable; retry in ${DB_UNAVAILABLE_RETRY_S} s`, undefined, {
      'retry-after': String(DB_UNAVAILABLE_RETRY_S),
    });
  }
  failureLog().failure('[api] unexpected error', e);
  return errorResponse(500, 'internal', 'internal error; try again later');
}

/** Runs a handler body and maps failures (the one try/catch every route shares). */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (e) {
    return toErrorResponse(e);
  }
}
