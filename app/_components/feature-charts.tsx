'use client';
/**
 * The four feature-change metrics at the final FT epoch against the initial energy (AIE), one small
 * chart each: the paper's trend (distances rise with energy; dot product and norm rise then fall).
 */
import { useState } from 'react';
import { CartesianGrid, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { EnergyChartData, SeedPoint } from '../_lib/dto';
import { AXIS_LINE, AXIS_TICK, GRID_STROKE, LABEL_STYLE, TOOLTIP_STYLE } from './chart-theme';
import { num } from './format';

export const FEATURE_CHART_HEIGHT = 240;

const METRICS = [
  { key: 'feat_l2_dist', label: 'Feature L2 distance ||z_T − z₀||₂', unit: 'feature units' },
  { key: 'feat_cos_dist', label: 'Feature cosine distance 1 − cos(z_T, z₀)', unit: 'unitless, 0 to 2' },
  { key: 'feat_dot', label: 'Feature dot product ⟨z_T, z₀⟩', unit: 'feature units²' },
  { key: 'feat_norm', label: 'Feature norm ||z_T||₂', unit: 'feature units' },
] as const;
type MetricKey = (typeof METRICS)[number]['key'];

function FeatureTooltip({ active, payload }: TooltipContentProps) {
  const d = active ? (payload?.[0]?.payload as (SeedPoint & { _metric?: MetricKey; n?: number }) | undefined) : undefined;
  if (!d) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      <strong>{d.n !== undefined ? `tau sweep (${d.strategy})` : d.strategy}</strong> tau {d.tau}
      {d.seed !== undefined ? `, seed ${d.seed}` : ''}
      <br />
      AIE {num(d.aie)}
      {d._metric ? ` · ${d._metric} ${num(d[d._metric])}` : ''}
    </div>
  );
}

export function FeatureCharts({ data }: { data: EnergyChartData }) {
  const [open, setOpen] = useState(false);
  return (
    <section aria-label="Feature change against energy" data-testid="feature-charts">
      <div className="chart-grid">
        {METRICS.map((m) => (
          <figure className="chart" key={m.key}>
            <figcaption>
              {m.label} at the final epoch vs AIE
            </figcaption>
            <div className="chart-box" style={{ height: FEATURE_CHART_HEIGHT }}>
              <ScatterChart
                responsive
                style={{ width: '100%', height: FEATURE_CHART_HEIGHT }}
                margin={{ top: 8, right: 12, bottom: 26, left: 4 }}
                desc={`${m.label} against initial energy`}
              >
                <CartesianGrid stroke={GRID_STROKE} />
                <XAxis
                  type="number"
                  dataKey="aie"
                  domain={[0, 'auto']}
                  tick={AXIS_TICK}
                  axisLine={AXIS_LINE}
                  tickLine={AXIS_LINE}
                  tickFormatter={(v: number) => v.toFixed(2)}
                  label={{ value: 'AIE (unitless)', position: 'bottom', offset: 8, style: LABEL_STYLE }}
                />
                <YAxis
                  type="number"
                  dataKey={m.key}
                  domain={['auto', 'auto']}
                  tick={AXIS_TICK}
                  axisLine={AXIS_LINE}
                  tickLine={AXIS_LINE}
                  width={64}
                  tickFormatter={(v: number) => (v !== 0 && Math.abs(v) < 0.1 ? Number(v.toPrecision(2)).toString() : num(v, 2))}
                  label={{ value: m.unit, angle: -90, position: 'insideLeft', offset: 4, style: LABEL_STYLE }}
                />
                <Tooltip content={FeatureTooltip} />
                {data.strategies.map((s) => (
                  <Scatter
                    key={s.id}
                    name={s.id}
                    data={data.points.filter((p) => p.strategy === s.id).map((p) => ({ ...p, _metric: m.key }))}
                    fill={s.color}
                    isAnimationActive={false}
                  />
                ))}
                {data.sweep.length > 1 && (
                  <Scatter
                    name="tau sweep"
                    data={data.sweep.map((p) => ({ ...p, _metric: m.key }))}
                    fill="var(--fg)"
                    shape="diamond"
                    line={{ stroke: 'var(--fg)', strokeWidth: 1.5 }}
                    isAnimationActive={false}
                  />
                )}
              </ScatterChart>
            </div>
          </figure>
        ))}
      </div>
      <p className="legend-note">
        {data.strategies.map((s) => (
          <span key={s.id} className="swatch-label">
            <span className="swatch" style={{ background: s.color }} aria-hidden />
            {s.id}
          </span>
        ))}
        {data.sweep.length > 1 && (
          <span className="swatch-label">
            <span className="swatch diamond" aria-hidden /> tau sweep (mean per tau: ft, hp-tau, lp-ft)
          </span>
        )}
      </p>
      <details className="table-view" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Table view (final-epoch feature metrics, {data.points.length} seeds)</summary>
        {open && (
        <table>
          <thead>
            <tr>
              <th>strategy</th>
              <th>tau</th>
              <th>seed</th>
              <th>AIE</th>
              {METRICS.map((m) => (
                <th key={m.key}>{m.key}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.points.map((p) => (
              <tr key={p.id}>
                <td>{p.strategy}</td>
                <td>{p.tau}</td>
                <td>{p.seed}</td>
                <td>{num(p.aie)}</td>
                {METRICS.map((m) => (
                  <td key={m.key}>{num(p[m.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        )}
      </details>
    </section>
  );
}
