/**
 * The four feature-change metrics at the final FT epoch against the initial energy (AIE), one small
 * plot each: the paper's trend (distances rise with energy; dot product and norm rise then fall).
 * Server-rendered SVG (./svg-scatter.tsx) with one HTML legend for the four.
 */
import type { EnergyChartData } from '../_lib/dto';
import { SeedTable } from './chart-tables';
import { ChartLegend, sweepMarks } from './energy-chart';
import { num } from './format';
import { ScatterPlot } from './svg-scatter';

export const FEATURE_PLOT = { wide: { width: 540, height: 260 }, narrow: { width: 350, height: 250 } } as const;

const METRICS = [
  { key: 'feat_l2_dist', label: 'Feature L2 distance ||z_T − z₀||₂', unit: 'feature units' },
  { key: 'feat_cos_dist', label: 'Feature cosine distance 1 − cos(z_T, z₀)', unit: 'unitless, 0 to 2' },
  { key: 'feat_dot', label: 'Feature dot product ⟨z_T, z₀⟩', unit: 'feature units²' },
  { key: 'feat_norm', label: 'Feature norm ||z_T||₂', unit: 'feature units' },
] as const;

const tick = (v: number) => (v !== 0 && Math.abs(v) < 0.1 ? Number(v.toPrecision(2)).toString() : num(v, Math.abs(v) >= 100 ? 0 : 2));

export function FeatureCharts({ data, table = true }: { data: EnergyChartData; table?: boolean }) {
  return (
    <section aria-label="Feature change against energy" data-testid="feature-charts">
      <div className="chart-grid">
        {METRICS.map((m) => {
          const props = {
            x: { title: 'AIE (unitless)', min: 0, format: (v: number) => v.toFixed(2) },
            y: { title: m.unit, format: tick },
            series: data.strategies.map((s) => {
              const pts = data.points.filter((p) => p.strategy === s.id);
              return { id: s.id, color: s.color, points: pts.map((p) => ({ x: p.aie, y: p[m.key] })), title: `${s.id}: ${pts.length} seeds` };
            }),
            sweep: sweepMarks(data, m.key),
            label: `${m.label} against initial energy`,
          };
          return (
            <figure className="chart" key={m.key} data-metric={m.key}>
              <figcaption>{m.label} at the final epoch vs AIE</figcaption>
              <div className="plot-box">
                <ScatterPlot {...props} size={FEATURE_PLOT.wide} className="svg-wide" ticks={{ x: 5, y: 4 }} />
                <ScatterPlot {...props} size={FEATURE_PLOT.narrow} className="svg-narrow" ticks={{ x: 4, y: 4 }} />
              </div>
            </figure>
          );
        })}
      </div>
      <ChartLegend data={data} />
      {table && <SeedTable data={data} />}
    </section>
  );
}
