/**
 * The identifiers on the wire, one rule each: every schema, route and CLI check uses these.
 */

/** A SHA-256 as 64 lowercase hex digits: protocol fingerprints, key ids, dataset and weight checksums. */
export const HEX64_RE = /^[0-9a-f]{64}$/;

/** A stored result's or reproduction's id: 20 lowercase hex digits. */
export const RESULT_ID_RE = /^[0-9a-f]{20}$/;

/** A registry id (suite, backbone, dataset, strategy): lowercase letters, digits, ".", "_", "-"; at most 64. */
export const ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** "name@version", the one spelling of a suite reference everywhere. */
export function suiteSlug(s: { name: string; version: number }): string {
  return `${s.name}@${s.version}`;
}

/** "name" or "name@version" (version >= 1, at most 9 digits), or null when it is neither. */
export function parseSuiteSlug(text: string): { name: string; version: number | null } | null {
  const m = /^([a-z0-9][a-z0-9._-]{0,63})(?:@([1-9][0-9]{0,8}))?$/.exec(text);
  return m ? { name: m[1]!, version: m[2] ? Number(m[2]) : null } : null;
}
