/**
 * A table of rows in its horizontal-scroll wrapper (.table-wrap): the header row from `columns`,
 * the body from `children`. No hooks, so server pages and client components both use it; a sortable
 * column's button works once app/_components/table-sort.tsx has loaded (the table starts in its
 * given order).
 */
import type { ReactNode } from 'react';

/** A column head: its label, or the label with its options. */
export type Column =
  | string
  | {
      label: ReactNode;
      /** A numeric column (right-aligned). */
      num?: boolean;
      /** Sortable by its values (the table needs `sortable`). */
      sort?: boolean;
      className?: string;
      title?: string;
      key?: string;
    };

function Head({ column }: { column: Exclude<Column, string> }) {
  const className = [column.num ? 'num' : '', column.className ?? ''].join(' ').trim() || undefined;
  if (!column.sort) return <th className={className} title={column.title}>{column.label}</th>;
  return (
    <th aria-sort="none" className={className} title={column.title}>
      <button type="button" className="sort" data-sort>
        {column.label}
      </button>
    </th>
  );
}

export function DataTable({
  columns,
  children,
  className,
  testId,
  sortable = false,
}: {
  columns: readonly Column[];
  children?: ReactNode;
  className?: string;
  testId?: string;
  /** Marks the table for app/_components/table-sort.tsx. */
  sortable?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className={className} data-sortable={sortable || undefined} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <Head key={typeof c === 'string' ? `${i}:${c}` : (c.key ?? i)} column={typeof c === 'string' ? { label: c } : c} />
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
