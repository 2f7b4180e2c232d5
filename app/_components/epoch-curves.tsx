'use client';
/** Per-run curves over FT epochs: accuracies with the remaining energy, and feature change. */
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochCurvePoint } from '../_lib/dto';
import { AXIS_LINE, AXIS_TICK, GRID_STROKE, LABEL_STYLE, TOOLTIP_STYLE } from './chart-theme';
import { DataTable } from './data-table';
import { num, pct } from './format';

export const EPOCH_CHART_HEIGHT = 280;

const ACC_LINES = [
  { key: 'train_acc', name: 'train accuracy', color: '#8a8f98' },
  { key: 'val_acc', name: 'validation accuracy', color: '#d98b00' },
  { key: 'test_acc', name: 'test accuracy', color: '#2f7ee6' },
] as const;
const FEAT_LINES = [
  { key: 'feat_l2_dist', name: 'L2 distance ||z_t − z₀||₂', color: '#e0493c' },
  { key: 'feat_norm', name: 'norm ||z_t||₂', color: '#1f9d55' },
  { key: 'energy', name: 'remaining energy', color: '#7c5cff' },
] as const;

/** The legend as HTML under the plot: it wraps on a phone instead of covering the lines. */
function LineLegend({ lines }: { lines: readonly LineSpec[] }) {
  return (
    <p className="legend-note">
      {lines.map((l) => (
        <span key={l.key} className="swatch-label">
          <span className="swatch line" style={{ background: l.color }} aria-hidden />
          {l.name}
        </span>
      ))}
    </p>
  );
}

type LineSpec = { key: keyof EpochCurvePoint; name: string; color: string };

/** One line chart over FT epochs with its axes, tooltip and HTML legend. */
function EpochChart({
  epochs,
  caption,
  desc,
  lines,
  yLabel,
  format,
}: {
  epochs: EpochCurvePoint[];
  caption: string;
  desc: string;
  lines: readonly LineSpec[];
  yLabel: string;
  format: (v: number) => string;
}) {
  return (
    <figure className="chart">
      <figcaption>{caption}</figcaption>
      <div className="chart-box" style={{ height: EPOCH_CHART_HEIGHT }}>
        <LineChart responsive data={epochs} margin={{ top: 10, right: 20, bottom: 28, left: 8 }} style={{ width: '100%', height: EPOCH_CHART_HEIGHT }} desc={desc}>
          <CartesianGrid stroke={GRID_STROKE} />
          <XAxis
            dataKey="epoch"
            type="number"
            domain={[0, 'dataMax']}
            allowDecimals={false}
            tick={AXIS_TICK}
            axisLine={AXIS_LINE}
            tickLine={AXIS_LINE}
            label={{ value: 'FT epoch (0 = after head probing)', position: 'bottom', offset: 10, style: LABEL_STYLE }}
          />
          <YAxis
            domain={['auto', 'auto']}
            tick={AXIS_TICK}
            axisLine={AXIS_LINE}
            tickLine={AXIS_LINE}
            width={60}
            tickFormatter={format}
            label={{ value: yLabel, angle: -90, position: 'insideLeft', offset: 4, style: LABEL_STYLE }}
          />
          <Tooltip contentStyle={TOOLTIP_STYLE} formatter={(v) => format(Number(v))} labelFormatter={(l) => `epoch ${l}`} />
          {lines.map((l) => (
            <Line key={l.key} dataKey={l.key} name={l.name} stroke={l.color} dot={epochs.length <= 40} isAnimationActive={false} />
          ))}
        </LineChart>
      </div>
      <LineLegend lines={lines} />
    </figure>
  );
}

const TABLE_COLUMNS = ['epoch', 'train acc', 'val acc', 'test acc', 'train loss', 'val loss', 'test loss', 'energy', 'feat_l2_dist', 'feat_cos_dist', 'feat_dot', 'feat_norm'];

export function EpochCurves({ epochs, bestEpoch }: { epochs: EpochCurvePoint[]; bestEpoch: number | null }) {
  return (
    <section aria-label="Epoch curves" data-testid="epoch-curves">
      <div className="chart-grid">
        <EpochChart
          epochs={epochs}
          caption={`Accuracy per FT epoch${bestEpoch !== null ? ` (best validation at epoch ${bestEpoch})` : ''}`}
          desc="Accuracy per epoch"
          lines={ACC_LINES}
          yLabel="Accuracy (%)"
          format={(v) => `${(v * 100).toFixed(0)}%`}
        />
        <EpochChart epochs={epochs} caption="Feature change and remaining energy per FT epoch" desc="Feature change per epoch" lines={FEAT_LINES} yLabel="units / energy" format={(v) => num(v, 2)} />
      </div>
      <details className="table-view">
        <summary>Table view ({epochs.length} epochs)</summary>
        <DataTable columns={TABLE_COLUMNS}>
          {epochs.map((e) => (
            <tr key={e.epoch}>
              <td>
                {e.epoch}
                {e.epoch === bestEpoch ? ' (best val)' : ''}
              </td>
              <td>{pct(e.train_acc)}</td>
              <td>{pct(e.val_acc)}</td>
              <td>{pct(e.test_acc)}</td>
              <td>{num(e.train_loss)}</td>
              <td>{num(e.val_loss)}</td>
              <td>{num(e.test_loss)}</td>
              <td>{num(e.energy)}</td>
              <td>{num(e.feat_l2_dist)}</td>
              <td>{num(e.feat_cos_dist)}</td>
              <td>{num(e.feat_dot)}</td>
              <td>{num(e.feat_norm)}</td>
            </tr>
          ))}
        </DataTable>
      </details>
    </section>
  );
}
