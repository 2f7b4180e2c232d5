/** Recharts styling through the CSS variables of globals.css, so charts follow light and dark themes. */
export const AXIS_TICK = { fill: 'var(--muted)', fontSize: 12 } as const;
export const AXIS_LINE = { stroke: 'var(--border)' } as const;
export const GRID_STROKE = 'var(--grid)';
export const TOOLTIP_STYLE = {
  background: 'var(--surface)',
  border: '1px solid var(--border)',
  color: 'var(--fg)',
  borderRadius: 6,
  fontSize: 13,
  padding: '0.4rem 0.6rem',
} as const;
export const LABEL_STYLE = { fill: 'var(--fg)', fontSize: 12 } as const;
