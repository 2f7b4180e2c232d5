/** Timestamps on pages: ISO instants shown as "2025-03-01 14:05:09 UTC", the same for every reader. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A span of two instants, readable: "2025-03-01 14:05–14:09 UTC" (one day) or two full stamps. */
export function utcRange(from: string, to: string): string {
  const a = utc(from);
  const b = utc(to);
  if (a === b) return a.replace(/:\d\d UTC$/, ' UTC');
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a.slice(0, 16)}–${b.slice(11, 16)} UTC`;
  return `${a.slice(0, 16)} – ${b.slice(0, 16)} UTC`;
}
