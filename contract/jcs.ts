/**
 * RFC 8785 JSON Canonicalization Scheme.
 *
 * - object keys sorted by their UTF-16 code units (plain `<` on JS strings does exactly that);
 * - numbers serialised as ECMAScript's Number.prototype.toString (what JSON.stringify does), which
 *   is the RFC's required form; NaN/Infinity are not JSON and are rejected;
 * - strings escaped as JSON.stringify does (RFC 8785 section 3.2.2.2 adopts ES's rules);
 * - no whitespace.
 */
export class CanonicalizationError extends Error {
  override name = 'CanonicalizationError';
}

export function canonicalize(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalizationError(`${path}: ${value} is not representable in JSON`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k], `${path}.${k}`)}`).join(',')}}`;
    }
    default:
      throw new CanonicalizationError(`${path}: a ${typeof value} is not JSON`);
  }
}
