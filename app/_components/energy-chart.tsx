'use client';
/**
 * Energy (AIE) versus test accuracy for one cell: a point per seed, a color per strategy, and the
 * hp-tau sweep (mean per tau) as a line. Receives a small DTO; the table view below repeats the data.
 */
import { useState } from 'react';
import { CartesianGrid, LabelList, Legend, Scatter, ScatterChart, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { EnergyChartData, SeedPoint, SweepPoint } from '../_lib/dto';
import { AXIS_LINE, AXIS_TICK, GRID_STROKE, LABEL_STYLE, TOOLTIP_STYLE } from './chart-theme';
import { num, pct } from './format';

export const ENERGY_CHART_HEIGHT = 360;

type Datum = (SeedPoint & { kind: 'seed' }) | (SweepPoint & { kind: 'sweep' });

function EnergyTooltip({ active, payload }: TooltipContentProps) {
  const d = active ? (payload?.[0]?.payload as Datum | undefined) : undefined;
  if (!d) return null;
  return (
    <div style={TOOLTIP_STYLE}>
      {d.kind === 'seed' ? (
        <>
          <strong>{d.strategy}</strong> tau {d.tau}, seed {d.seed}
          {d.pending ? ' (pending key)' : ''}
        </>
      ) : (
        <>
          <strong>tau sweep</strong> tau {d.tau} ({d.strategy}), mean of {d.n} seeds
        </>
      )}
      <br />
      AIE {num(d.aie)} · test acc {pct(d.test_acc)} · val acc {pct(d.best_val_acc)}
    </div>
  );
}

export function EnergyChart({ data }: { data: EnergyChartData }) {
  // The table view renders when opened, so big clouds do not weigh on the first HTML.
  const [open, setOpen] = useState(false);
  const byStrategy = data.strategies.map((s) => ({
    ...s,
    approved: data.points.filter((p) => p.strategy === s.id && !p.pending).map((p) => ({ ...p, kind: 'seed' as const })),
    pending: data.points.filter((p) => p.strategy === s.id && p.pending).map((p) => ({ ...p, kind: 'seed' as const })),
  }));
  const sweep = data.sweep.map((p) => ({ ...p, kind: 'sweep' as const }));
  const accs = [...data.points.map((p) => p.test_acc), ...data.sweep.map((p) => p.test_acc)];
  // Even ticks: a 'nice' step (1, 2, 2.5 or 5 x 10^k percent) and bounds on that step.
  const rawLo = accs.length ? Math.min(...accs) : 0;
  const rawHi = accs.length ? Math.max(...accs) : 1;
  const step = niceStep((rawHi - rawLo || 0.1) / 5);
  const lo = Math.max(0, Math.floor(rawLo / step) * step);
  const hi = Math.min(1, Math.ceil(rawHi / step) * step);
  const ticks = Array.from({ length: Math.round((hi - lo) / step) + 1 }, (_, i) => +(lo + i * step).toFixed(6));
  return (
    <figure className="chart" data-testid="energy-chart">
      <figcaption>
        Initial energy (AIE) vs test accuracy at the best-validation epoch — one point per seed; the line is the tau sweep
        (mean per tau, labelled τ: ft is its high-energy end at tau 0, lp-ft its low-energy end)
        {data.chosen_tau !== null ? `; hp-tau's tau* = ${data.chosen_tau}, chosen on validation` : ''}
        {data.points.length < data.seeds_total ? ` (points: the first seeds of each variant, ${data.points.length} of ${data.seeds_total}; the ranking uses all)` : ''}
      </figcaption>
      <div className="chart-box" style={{ height: ENERGY_CHART_HEIGHT }}>
        <ScatterChart
          responsive
          style={{ width: '100%', height: ENERGY_CHART_HEIGHT }}
          margin={{ top: 10, right: 20, bottom: 30, left: 10 }}
          desc="Scatter plot of initial energy against test accuracy, one point per seed"
        >
          <CartesianGrid stroke={GRID_STROKE} />
          <XAxis
            type="number"
            dataKey="aie"
            name="AIE"
            domain={[0, 'auto']}
            tick={AXIS_TICK}
            axisLine={AXIS_LINE}
            tickLine={AXIS_LINE}
            tickFormatter={(v: number) => v.toFixed(2)}
            label={{ value: 'Average initial energy AIE = mean ||e_y − p₀(x)||₂ (unitless, 0 to √2)', position: 'bottom', offset: 12, style: LABEL_STYLE }}
          />
          <YAxis
            type="number"
            dataKey="test_acc"
            name="Test accuracy"
            domain={[lo, hi]}
            ticks={ticks}
            tick={AXIS_TICK}
            axisLine={AXIS_LINE}
            tickLine={AXIS_LINE}
            tickFormatter={(v: number) => `${(v * 100).toFixed(step < 0.01 ? 1 : 0)}%`}
            width={64}
            label={{ value: 'Test accuracy (%)', angle: -90, position: 'insideLeft', offset: 4, style: LABEL_STYLE }}
          />
          <Tooltip content={EnergyTooltip} cursor={{ strokeDasharray: '3 3' }} />
          <Legend verticalAlign="top" height={36} wrapperStyle={{ fontSize: 13 }} />
          {byStrategy.map((s) => (
            <Scatter key={s.id} name={s.title === s.id ? s.id : `${s.id}`} data={s.approved} fill={s.color} isAnimationActive={false} />
          ))}
          {byStrategy
            .filter((s) => s.pending.length > 0)
            .map((s) => (
              <Scatter
                key={`${s.id}-pending`}
                name={`${s.id} (pending key)`}
                data={s.pending}
                fill="none"
                stroke={s.color}
                isAnimationActive={false}
              />
            ))}
          {sweep.length > 1 && (
            <Scatter
              name="tau sweep, mean per tau (left end: lp-ft, right end: ft)"
              data={sweep}
              fill="var(--fg)"
              shape="diamond"
              line={{ stroke: 'var(--fg)', strokeWidth: 1.5 }}
              isAnimationActive={false}
            >
              <LabelList dataKey="tau" position="top" offset={8} fontSize={11} fill="var(--fg)" formatter={(v) => `τ${v}`} />
            </Scatter>
          )}
        </ScatterChart>
      </div>
      <details className="table-view" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Table view ({data.points.length} seeds)</summary>
        {open && (
        <table>
          <thead>
            <tr>
              <th>strategy</th>
              <th>tau</th>
              <th>seed</th>
              <th>AIE</th>
              <th>test acc</th>
              <th>best val acc</th>
            </tr>
          </thead>
          <tbody>
            {data.points.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.strategy}
                  {p.pending ? ' (pending)' : ''}
                </td>
                <td>{p.tau}</td>
                <td>{p.seed}</td>
                <td>{num(p.aie)}</td>
                <td>{pct(p.test_acc)}</td>
                <td>{pct(p.best_val_acc)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        )}
        {open && data.sweep.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>sweep: tau</th>
                <th>strategy</th>
                <th>seeds</th>
                <th>mean AIE</th>
                <th>mean test acc</th>
                <th>mean val acc</th>
              </tr>
            </thead>
            <tbody>
              {data.sweep.map((p) => (
                <tr key={p.tau}>
                  <td>
                    {p.tau}
                    {p.tau === data.chosen_tau ? ' (tau*)' : ''}
                  </td>
                  <td>{p.strategy}</td>
                  <td>{p.n}</td>
                  <td>{num(p.aie)}</td>
                  <td>{pct(p.test_acc)}</td>
                  <td>{pct(p.best_val_acc)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}

/** 1, 2, 2.5 or 5 times a power of ten, the smallest at least `x`. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
