import 'server-only';
import type { ApiError } from '../../contract';
import { json } from './json-response';

/** A failure with its HTTP status and error code; route handlers turn it into the error envelope. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toJSON(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) } };
  }

  toResponse(): Response {
    return json(this.toJSON(), this.status, this.headers);
  }
}

export function errorResponse(status: number, code: string, message: string, path?: string, headers?: Record<string, string>): Response {
  return new ApiFailure(status, code, message, path, headers).toResponse();
}

/** Maps anything thrown in a handler to the error envelope; unexpected errors are logged, never leaked. */
export function toErrorResponse(e: unknown): Response {
  if (e instanceof ApiFailure) return e.toResponse();
  console.error('[api] unexpected error:', e);
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
