/**
 * Text a Postgres text or jsonb column can store: no U+0000 (Postgres text cannot hold it, and
 * jsonb refuses the \u0000 escape) and no lone UTF-16 surrogate (JSON allows "\ud800" escapes,
 * but such a string is not Unicode text and has no UTF-8 encoding).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function unstorableTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contains a lone UTF-16 surrogate (not valid Unicode text)';
  return null;
}

/**
 * The first string (object key or value) in parsed JSON that cannot be stored, with its dotted
 * path ("" for the root), or null when every string is storable.
 */
export function findUnstorableText(v: unknown, path = ''): { path: string; message: string } | null {
  if (typeof v === 'string') {
    const why = unstorableTextReason(v);
    return why ? { path, message: `${why}; only plain Unicode text can be stored` } : null;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = findUnstorableText(v[i], path ? `${path}.${i}` : String(i));
      if (r) return r;
    }
    return null;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      const kw = unstorableTextReason(k);
      if (kw) return { path: p, message: `object key ${kw}` };
      const r = findUnstorableText(x, p);
      if (r) return r;
    }
  }
  return null;
}
