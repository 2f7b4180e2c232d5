/**
 * The one CSV writer of the site (RFC 4180, "\n" line ends). Cells are neutralised against formula
 * injection: a *string* starting with = + - @, a tab or a carriage return gets a leading single
 * quote, so a spreadsheet shows it as text instead of evaluating it (OWASP "CSV injection").
 * Numbers are written as numbers (-0.5 is a value, not a formula), rounded to 12 significant digits
 * so float noise does not show (0.7492000000000001 is written 0.7492); non-finite numbers are empty.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'number') s = Number.isFinite(v) ? String(Number(v.toPrecision(12))) : '';
  else if (typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
  else {
    s = String(v);
    if (FORMULA_START.test(s)) s = `'${s}`;
  }
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows with the same keys -> CSV text with a header line ('' for no rows, unless `columns` is given). */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const cols = columns ?? (rows.length ? Object.keys(rows[0]!) : null);
  if (!cols) return '';
  return [cols.map(csvCell).join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}
