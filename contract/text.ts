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
 * The deepest nesting of arrays and objects a signed payload may have. A result bundle nests 4
 * levels (bundle > epochs > row > value), a reproduction statement 5; anything past this is
 * refused (422 with the path where it passes the limit) before the schema or the database sees it.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The first string (object key or value) in parsed JSON that cannot be stored, with its dotted
 * path ("" for the root), or null when every string is storable. A value nested deeper than
 * MAX_JSON_DEPTH is reported too. The walk is iterative (an explicit stack), so no input, however
 * deep, can exhaust the call stack.
 */
export function findUnstorableText(root: unknown, rootPath = ''): { path: string; message: string } | null {
  const join = (p: string, k: string | number) => (p ? `${p}.${k}` : String(k));
  // depth-first, in document order: push children in reverse
  const stack: { v: unknown; path: string; depth: number; key?: string }[] = [{ v: root, path: rootPath, depth: 0 }];
  while (stack.length) {
    const { v, path, depth, key } = stack.pop()!;
    if (key !== undefined) {
      const kw = unstorableTextReason(key);
      if (kw) return { path, message: `object key ${kw}` };
    }
    if (typeof v === 'string') {
      const why = unstorableTextReason(v);
      if (why) return { path, message: `${why}; only plain Unicode text can be stored` };
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return { path, message: `nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects; a bundle or statement needs at most 5` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, x] = entries[i]!;
      stack.push({ v: x, path: join(path, k), depth: depth + 1, key: k });
    }
  }
  return null;
}
