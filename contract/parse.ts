import { utf8 } from './encoding';
import { fieldIssues, type FieldIssue } from './errors';
import { findUnstorableText } from './text';
import { ResultBundleSchema, type ResultBundle } from './schemas/bundle';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; code: 'utf8' | 'json' | 'schema'; issues: FieldIssue[] };

/** Parses verified payload bytes as a ResultBundle: strict UTF-8, then JSON, then storable text, then the schema. */
export function parseResultBundleBytes(bytes: Uint8Array): ParseResult<ResultBundle> {
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
  // Before the schema: a NUL or lone surrogate anywhere (even in an unknown field) is refused
  // with its path, never handed to the database.
  const bad = findUnstorableText(json);
  if (bad) return { ok: false, code: 'schema', issues: [bad] };
  const r = ResultBundleSchema.safeParse(json);
  return r.success ? { ok: true, value: r.data } : { ok: false, code: 'schema', issues: fieldIssues(r.error) };
}
