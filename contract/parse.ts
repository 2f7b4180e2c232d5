import type { z } from 'zod';
import { utf8 } from './encoding';
import { fieldIssues, type FieldIssue } from './errors';
import { findUnstorableText } from './text';
import { ResultBundleSchema, type ResultBundle } from './schemas/bundle';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: 'utf8' | 'json' | 'schema'; issues: FieldIssue[] };

/**
 * Parses verified payload bytes against `schema`: strict UTF-8, then JSON, then storable text (a
 * NUL or lone surrogate anywhere, even in an unknown field, is refused with its path and never
 * handed to the database), then the schema.
 */
export function parseVerifiedJson<T>(bytes: Uint8Array, schema: z.ZodType<T>): ParseResult<T> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, code: 'utf8', issues: [{ path: '', message: 'payload is not valid UTF-8' }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'json', issues: [{ path: '', message: `payload is not JSON: ${(e as Error).message}` }] };
  }
  const bad = findUnstorableText(json);
  if (bad) return { ok: false, code: 'schema', issues: [bad] };
  const r = schema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, code: 'schema', issues: fieldIssues(r.error) };
}

/** Parses verified payload bytes as a ResultBundle (see parseVerifiedJson). */
export function parseResultBundleBytes(bytes: Uint8Array): ParseResult<ResultBundle> {
  return parseVerifiedJson(bytes, ResultBundleSchema);
}
