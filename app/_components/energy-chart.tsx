/**
 * Energy (AIE) versus test accuracy for one cell: a point per seed, a color per strategy, and the
 * tau sweep (mean per tau) as a labelled line. Server-rendered SVG (./svg-scatter.tsx): no chart
 * code reaches the browser. The legend is HTML under the plot, so it wraps on a phone and never
 * covers the data; the table view under the feature plots (./feature-charts.tsx) repeats the numbers.
 */
import type { EnergyChartData } from '../_lib/dto';
import { num, pct } from './format';
import { ScatterPlot, type ScatterSeries, type SweepMark } from './svg-scatter';

export const ENERGY_PLOT = { wide: { width: 760, height: 380 }, narrow: { width: 350, height: 320 } } as const;

export function energySeries(data: EnergyChartData): ScatterSeries[] {
  return data.strategies.flatMap((s) => {
    const approved = data.points.filter((p) => p.strategy === s.id && !p.pending);
    const pending = data.points.filter((p) => p.strategy === s.id && p.pending);
    const out: ScatterSeries[] = [];
    if (approved.length)
      out.push({ id: s.id, color: s.color, points: approved.map((p) => ({ x: p.aie, y: p.test_acc })), title: `${s.id}: ${approved.length} seeds` });
    if (pending.length)
      out.push({
        id: s.id,
        color: s.color,
        hollow: true,
        points: pending.map((p) => ({ x: p.aie, y: p.test_acc })),
        title: `${s.id} (pending key): ${pending.length} seeds`,
      });
    return out;
  });
}

export function sweepMarks(data: EnergyChartData, y: 'test_acc' | 'feat_l2_dist' | 'feat_cos_dist' | 'feat_dot' | 'feat_norm' = 'test_acc'): SweepMark[] {
  return data.sweep.length > 1
    ? data.sweep.map((p) => ({
        x: p.aie,
        y: p[y],
        label: `τ${p.tau}`,
        title: `tau ${p.tau} (${p.strategy}), mean of ${p.n} seeds: AIE ${num(p.aie)}, test acc ${pct(p.test_acc)}`,
      }))
    : [];
}

export function ChartLegend({ data, sweep = true }: { data: EnergyChartData; sweep?: boolean }) {
  const pending = data.points.some((p) => p.pending);
  return (
    <p className="legend-note" data-testid="chart-legend">
      {data.strategies.map((s) => (
        <span key={s.id} className="swatch-label">
          <span className="swatch" style={{ background: s.color }} aria-hidden />
          {s.id}
        </span>
      ))}
      {pending && (
        <span className="swatch-label">
          <span className="swatch hollow" aria-hidden /> pending key
        </span>
      )}
      {sweep && data.sweep.length > 1 && (
        <span className="swatch-label">
          <span className="swatch diamond" aria-hidden /> tau sweep, mean per tau (τ labels; ft at tau 0, lp-ft at the largest)
        </span>
      )}
    </p>
  );
}

export function EnergyChart({ data }: { data: EnergyChartData }) {
  const accs = [...data.points.map((p) => p.test_acc), ...data.sweep.map((p) => p.test_acc)];
  const lo = accs.length ? Math.min(...accs) : 0;
  const hi = accs.length ? Math.max(...accs) : 1;
  const digits = hi - lo < 0.05 ? 1 : 0;
  const props = {
    x: { title: 'Initial energy AIE (unitless, 0 to √2)', min: 0, format: (v: number) => v.toFixed(2) },
    y: { title: 'Test accuracy (%)', format: (v: number) => `${(v * 100).toFixed(digits)}` },
    series: energySeries(data),
    sweep: sweepMarks(data),
    label: 'Initial energy against test accuracy, one point per seed',
  };
  return (
    <figure className="chart" data-testid="energy-chart">
      <figcaption>
        Initial energy (AIE = mean ||e_y − p₀(x)||₂ over the training set) vs test accuracy at the best-validation
        epoch — one point per seed
        {data.sweep.length > 1 && '; the line is the tau sweep (mean per tau, labelled τ: ft is its high-energy end at tau 0, lp-ft its low-energy end)'}
        {data.chosen_tau !== null ? `; hp-tau's tau* = ${data.chosen_tau}, chosen on validation` : ''}
        {data.points.length < data.seeds_total ? ` (points: the first seeds of each variant, ${data.points.length} of ${data.seeds_total}; the ranking uses all)` : ''}
      </figcaption>
      <div className="plot-box">
        <ScatterPlot {...props} size={ENERGY_PLOT.wide} className="svg-wide" />
        <ScatterPlot {...props} size={ENERGY_PLOT.narrow} className="svg-narrow" ticks={{ x: 4, y: 5 }} />
      </div>
      <ChartLegend data={data} />
    </figure>
  );
}
