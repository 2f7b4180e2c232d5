import type { z } from 'zod';

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
