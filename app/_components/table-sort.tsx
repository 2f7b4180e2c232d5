'use client';
/**
 * Sorting for server-rendered tables, without shipping their data twice: a table marked
 * `data-sortable` whose header cells hold `<button data-sort>` sorts its body rows by the clicked
 * column's `data-v` values (numbers; empty values last), descending first for numbers, then
 * ascending; a third click restores the server's order. One delegated listener for the page.
 */
import { useEffect } from 'react';

type State = { col: number; dir: 'ascending' | 'descending' } | null;

/** The next order of a column's rows (pure, for tests): values sorted, empty last, ties keep their order. */
export function sortRows<T>(rows: readonly T[], value: (r: T) => string | undefined, dir: 'ascending' | 'descending'): T[] {
  const key = (r: T) => {
    const v = value(r);
    if (v === undefined || v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : v;
  };
  return rows
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => {
      if (a.k === null || b.k === null) return a.k === null && b.k === null ? a.i - b.i : a.k === null ? 1 : -1;
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      return (dir === 'ascending' ? c : -c) || a.i - b.i;
    })
    .map((x) => x.r);
}

export function TableSort() {
  useEffect(() => {
    const states = new WeakMap<HTMLTableElement, State>();
    const original = new WeakMap<HTMLTableElement, HTMLTableRowElement[]>();
    const onClick = (e: MouseEvent) => {
      const button = (e.target as Element | null)?.closest?.('button[data-sort]');
      const th = button?.closest('th');
      const table = th?.closest('table[data-sortable]') as HTMLTableElement | null;
      if (!th || !table) return;
      const body = table.tBodies[0];
      if (!body) return;
      if (!original.has(table)) original.set(table, [...body.rows]);
      const col = (th as HTMLTableCellElement).cellIndex;
      const prev = states.get(table) ?? null;
      const next: State =
        prev?.col !== col ? { col, dir: 'descending' } : prev.dir === 'descending' ? { col, dir: 'ascending' } : null;
      states.set(table, next);
      const rows = next ? sortRows(original.get(table)!, (r) => r.cells[col]?.dataset.v, next.dir) : original.get(table)!;
      for (const r of rows) body.appendChild(r);
      for (const h of table.tHead?.rows[0]?.cells ?? []) if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', next && h.cellIndex === col ? next.dir : 'none');
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
  return null;
}
