import type { z } from 'zod';
import type { ApiError } from './schemas/envelope';

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. "config.head.kind" ("" for the root). */
  path: string;
  message: string;
}

/** Flattens a zod error into path + message pairs that name the field and what was expected. */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function formatIssues(error: z.ZodError, max = 5): string {
  const issues = fieldIssues(error);
  const shown = issues.slice(0, max).map((i) => `${i.path || '(root)'}: ${i.message}`);
  if (issues.length > max) shown.push(`... and ${issues.length - max} more`);
  return shown.join('; ');
}

/**
 * An API error with its HTTP status and error code, the one error type from the check to the
 * response and back: the site's route handlers throw it and turn it into the error envelope
 * `{error:{code,message,path?}}` (app/_server/errors.ts), the runner's site client
 * (runner/submit/site-client.ts) throws it for an error answer it parsed, and the first-start seeding
 * (seed/load.ts) tells the ingest's refusals apart by it.
 */
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
}
