/**
 * A scatter plot as plain server-rendered SVG (no client JavaScript): one path per series (every
 * point of a strategy in one element, so thousands of seeds stay light), the tau sweep as a line
 * with labelled diamonds, axes with 'nice' ticks. Each plot is drawn at a fixed pixel size and never
 * scaled up (width attribute = viewBox width, max-width 100%), so its 12 px text stays 12 px; pages
 * draw a narrow variant for phones and a wide one for desktops and let CSS pick (.svg-wide /
 * .svg-narrow in globals.css). The tau labels are placed by placeLabels() so they never overlap
 * each other or the markers; a label pushed away from its point gets a leader line.
 */
import type { ReactNode } from 'react';

export interface ScatterSeries {
  id: string;
  color: string;
  /** Drawn hollow (pending keys). */
  hollow?: boolean;
  points: { x: number; y: number }[];
  /** Hover text of the whole series. */
  title: string;
}

export interface SweepMark {
  x: number;
  y: number;
  label: string;
  title: string;
}

export interface AxisSpec {
  title: string;
  /** Data domain; null bounds are taken from the data (with 'nice' rounding). */
  min?: number | null;
  max?: number | null;
  format: (v: number) => string;
}

export interface PlotSize {
  width: number;
  height: number;
}

export const FONT_PX = 12;
const MARGIN = { top: 12, right: 16, bottom: 44, left: 62 };
const RADIUS = 3.2;

/** 1, 2, 2.5 or 5 times a power of ten, the smallest at least `x`. */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** Even ticks covering [lo, hi] on a nice step (about `count` of them). */
export function niceTicks(lo: number, hi: number, count: number): { lo: number; hi: number; ticks: number[]; step: number } {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 0.5;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / Math.max(1, count));
  const a = Math.floor(lo / step + 1e-9) * step;
  const b = Math.ceil(hi / step - 1e-9) * step;
  const n = Math.round((b - a) / step);
  return { lo: a, hi: b, step, ticks: Array.from({ length: n + 1 }, (_, i) => +(a + i * step).toPrecision(12)) };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Greedy label placement: each anchor (in pixels) gets the first candidate position, nearest first,
 * whose box overlaps no placed label, no obstacle (the markers) and stays inside `area`. Returns the
 * label boxes' text positions and whether a leader line is needed (the label left its point's
 * immediate neighbourhood). Deterministic; pure.
 */
export function placeLabels(
  anchors: { x: number; y: number; width: number }[],
  area: Box,
  obstacles: Box[] = [],
  height = FONT_PX + 2,
): { x: number; y: number; leader: boolean }[] {
  const placed: Box[] = [];
  const out: { x: number; y: number; leader: boolean }[] = [];
  // Candidate offsets of the label box's centre: around the point at growing distances.
  const dirs = [
    [0, -1],
    [1, -1],
    [-1, -1],
    [1, 0],
    [-1, 0],
    [0, 1],
    [1, 1],
    [-1, 1],
  ] as const;
  for (const a of anchors) {
    let best: { box: Box; leader: boolean } | null = null;
    search: for (let ring = 1; ring <= 8; ring++) {
      for (const [dx, dy] of dirs) {
        const cx = a.x + dx * (a.width / 2 + 6 + (ring - 1) * 10);
        const cy = a.y + dy * (height / 2 + 5 + (ring - 1) * (height * 0.8));
        const box = { x: cx - a.width / 2, y: cy - height / 2, w: a.width, h: height };
        if (box.x < area.x || box.y < area.y || box.x + box.w > area.x + area.w || box.y + box.h > area.y + area.h) continue;
        if (placed.some((p) => overlaps(p, box)) || obstacles.some((o) => overlaps(o, box))) continue;
        best = { box, leader: ring > 1 };
        break search;
      }
    }
    // nowhere free: keep the default spot above the point (overlap rather than vanish)
    const box = best?.box ?? { x: a.x - a.width / 2, y: a.y - height - 6, w: a.width, h: height };
    placed.push(box);
    out.push({ x: box.x + box.w / 2, y: box.y + box.h / 2, leader: best?.leader ?? false });
  }
  return out;
}

/** Approximate rendered width of a short label at FONT_PX (digits and Greek: ~0.6 em). */
const textWidth = (s: string) => Math.ceil(s.length * FONT_PX * 0.62) + 2;

/** Rings (hollow markers): two arcs per point. */
const ringsOf = (pts: { x: number; y: number }[], r: number) =>
  pts.map((p) => `M${(p.x - r).toFixed(1)} ${p.y.toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`).join('');
/**
 * Dots: a zero-length segment per point, drawn with a round cap as wide as the dot (SVG draws a
 * circle for it); whole pixels. About a fifth of the bytes of arcs, which matters: a cell draws
 * hundreds of seeds, twice (phone and desktop), and the page's HTML carries each drawing twice.
 */
const dotsOf = (pts: { x: number; y: number }[]) => pts.map((p) => `M${Math.round(p.x)} ${Math.round(p.y)}h0`).join('');

export interface ScatterPlotProps {
  size: PlotSize;
  x: AxisSpec;
  y: AxisSpec;
  series: ScatterSeries[];
  sweep?: SweepMark[];
  /** Accessible name of the plot. */
  label: string;
  className?: string;
  /** Tick count hints. */
  ticks?: { x?: number; y?: number };
}

/** One scatter plot at a fixed pixel size. */
export function ScatterPlot({ size, x, y, series, sweep = [], label, className, ticks }: ScatterPlotProps): ReactNode {
  const { width: W, height: H } = size;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: W - MARGIN.left - MARGIN.right, h: H - MARGIN.top - MARGIN.bottom };
  const xs = [...series.flatMap((s) => s.points.map((p) => p.x)), ...sweep.map((p) => p.x)];
  const ys = [...series.flatMap((s) => s.points.map((p) => p.y)), ...sweep.map((p) => p.y)];
  const finite = (v: number[]) => v.filter(Number.isFinite);
  const fx = finite(xs);
  const fy = finite(ys);
  const xt = niceTicks(x.min ?? (fx.length ? Math.min(...fx) : 0), x.max ?? (fx.length ? Math.max(...fx) : 1), ticks?.x ?? Math.max(3, Math.floor(plot.w / 90)));
  const yt = niceTicks(y.min ?? (fy.length ? Math.min(...fy) : 0), y.max ?? (fy.length ? Math.max(...fy) : 1), ticks?.y ?? Math.max(3, Math.floor(plot.h / 50)));
  const px = (v: number) => plot.x + ((v - xt.lo) / (xt.hi - xt.lo)) * plot.w;
  const py = (v: number) => plot.y + plot.h - ((v - yt.lo) / (yt.hi - yt.lo)) * plot.h;
  const sweepPx = sweep.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ ...p, px: px(p.x), py: py(p.y) }));
  const markers: Box[] = sweepPx.map((p) => ({ x: p.px - 5, y: p.py - 5, w: 10, h: 10 }));
  const labels = placeLabels(
    sweepPx.map((p) => ({ x: p.px, y: p.py, width: textWidth(p.label) })),
    { x: plot.x + 1, y: 0, w: plot.w - 1, h: plot.y + plot.h },
    markers,
  );
  return (
    <svg
      className={`svg-plot${className ? ` ${className}` : ''}`}
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      fontSize={FONT_PX}
    >
      <g className="grid-lines" stroke="var(--grid)">
        {xt.ticks.map((t) => (
          <line key={`x${t}`} x1={px(t)} x2={px(t)} y1={plot.y} y2={plot.y + plot.h} />
        ))}
        {yt.ticks.map((t) => (
          <line key={`y${t}`} x1={plot.x} x2={plot.x + plot.w} y1={py(t)} y2={py(t)} />
        ))}
      </g>
      <g stroke="var(--border)">
        <line x1={plot.x} x2={plot.x + plot.w} y1={plot.y + plot.h} y2={plot.y + plot.h} />
        <line x1={plot.x} x2={plot.x} y1={plot.y} y2={plot.y + plot.h} />
      </g>
      <g fill="var(--muted)">
        {xt.ticks.map((t) => (
          <text key={`xt${t}`} x={px(t)} y={plot.y + plot.h + 16} textAnchor="middle">
            {x.format(t)}
          </text>
        ))}
        {yt.ticks.map((t) => (
          <text key={`yt${t}`} x={plot.x - 6} y={py(t) + 4} textAnchor="end">
            {y.format(t)}
          </text>
        ))}
      </g>
      <text x={plot.x + plot.w / 2} y={H - 6} textAnchor="middle" fill="var(--fg)">
        {x.title}
      </text>
      <text transform={`translate(14 ${plot.y + plot.h / 2}) rotate(-90)`} textAnchor="middle" fill="var(--fg)">
        {y.title}
      </text>
      {series.map((s) => {
        const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ x: px(p.x), y: py(p.y) }));
        return (
          <path
            key={`${s.id}${s.hollow ? '-hollow' : ''}`}
            className="plot-series"
            data-series={s.id}
            data-points={pts.length}
            d={s.hollow ? ringsOf(pts, RADIUS) : dotsOf(pts)}
            fill="none"
            stroke={s.color}
            strokeOpacity={s.hollow ? undefined : 0.8}
            strokeWidth={s.hollow ? 1.2 : 2 * RADIUS}
            strokeLinecap={s.hollow ? undefined : 'round'}
          >
            <title>{s.title}</title>
          </path>
        );
      })}
      {sweepPx.length > 1 && (
        <g className="plot-sweep">
          <polyline points={sweepPx.map((p) => `${p.px.toFixed(1)},${p.py.toFixed(1)}`).join(' ')} fill="none" stroke="var(--fg)" strokeWidth={1.5} />
          {sweepPx.map((p, i) => {
            const l = labels[i]!;
            return (
              <g key={p.label} className="sweep-mark" data-label={p.label}>
                <path d={`M${p.px} ${p.py - 5}l5 5l-5 5l-5 -5z`} fill="var(--fg)">
                  <title>{p.title}</title>
                </path>
                {l.leader && <line x1={p.px} y1={p.py} x2={l.x} y2={l.y} stroke="var(--muted)" strokeWidth={0.8} />}
                <text x={l.x} y={l.y + 4} textAnchor="middle" fill="var(--fg)" stroke="var(--bg)" strokeWidth={3} paintOrder="stroke">
                  {p.label}
                </text>
              </g>
            );
          })}
        </g>
      )}
    </svg>
  );
}
