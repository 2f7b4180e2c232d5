/** Database errors in words (pure: the API's error path, health and the start-up log share it). */

/**
 * What a database error says, its cause chain included (drizzle wraps driver errors): messages
 * and SQLSTATE / errno codes, e.g. `database "headprep" does not exist (3D000)`.
 */
export function describeDatabaseError(e: unknown): string {
  const parts: string[] = [];
  for (let x = e, depth = 0; x && depth < 8; x = (x as { cause?: unknown }).cause, depth++) {
    if (typeof x !== 'object') {
      parts.push(String(x));
      break;
    }
    const { message, code, errors } = x as { message?: unknown; code?: unknown; errors?: unknown };
    let m = typeof message === 'string' ? message.split('\n')[0]!.replace(/^Failed query: .*/, '').trim() : '';
    if (!m && Array.isArray(errors) && errors[0]) m = describeDatabaseError(errors[0]);
    if (m || typeof code === 'string') parts.push(`${m}${typeof code === 'string' && !m.includes(code) ? ` (${code})` : ''}`.trim());
  }
  const seen = [...new Set(parts.filter(Boolean))];
  return seen.join(': ') || 'unknown error';
}
