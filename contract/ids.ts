/**
 * The identifiers on the wire, one rule each: every schema, route and CLI check uses these.
 */

/** A SHA-256 as 64 lowercase hex digits: protocol fingerprints, key ids, dataset and weight checksums. */
export const HEX64_RE = /^[0-9a-f]{64}$/;

/** A stored result's or reproduction's id: 20 lowercase hex digits. */
export const RESULT_ID_RE = /^[0-9a-f]{20}$/;

/**
 * The fewest hex digits of a key id that name a key, on the site (/keys/<prefix>, the submit form)
 * and in the CLI (`headprep keys approve <prefix>`): shorter prefixes would match many keys.
 */
export const MIN_KEY_PREFIX = 8;

/** A key id or a prefix of one: MIN_KEY_PREFIX to 64 lowercase hex digits. */
export const KEY_PREFIX_RE = new RegExp(`^[0-9a-f]{${MIN_KEY_PREFIX},64}$`);

/** How many hex digits a short id has. */
export const SHORT_ID_LENGTH = 12;

/**
 * The short id of a hex id (key id, fingerprint, git sha): its first SHORT_ID_LENGTH digits, the
 * form the CLI prints and a person types (`headprep keys approve <short id>`, /keys/<short id>,
 * bundle file names). At least MIN_KEY_PREFIX digits, so a key's short id finds it.
 */
export function shortId(hex: string): string {
  return hex.slice(0, SHORT_ID_LENGTH);
}

/** How many hex digits idPreview shows. */
export const ID_PREVIEW_LENGTH = 16;

/**
 * A hex id shown where the whole id does not fit but several ids stand side by side (lists of
 * keys, log lines about weights): its first ID_PREVIEW_LENGTH digits and "…".
 */
export function idPreview(hex: string): string {
  return `${hex.slice(0, ID_PREVIEW_LENGTH)}…`;
}

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
