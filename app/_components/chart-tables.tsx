'use client';
/**
 * The charts' table views: the numbers behind the energy and feature plots, rendered only when the
 * reader opens them (a 400-seed table would otherwise weigh on every page load).
 */
import { useState } from 'react';
import type { EnergyChartData } from '../_lib/dto';
import { num, pct } from './format';

const FEATURE_KEYS = ['feat_l2_dist', 'feat_cos_dist', 'feat_dot', 'feat_norm'] as const;

export function EnergyTable({ data }: { data: EnergyChartData }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="table-view" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Table view ({data.points.length} seeds)</summary>
      {open && (
        <div className="table-wrap">
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
        </div>
      )}
      {open && data.sweep.length > 0 && (
        <div className="table-wrap">
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
        </div>
      )}
    </details>
  );
}

export function FeatureTable({ data }: { data: EnergyChartData }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="table-view" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Table view (final-epoch feature metrics, {data.points.length} seeds)</summary>
      {open && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>strategy</th>
                <th>tau</th>
                <th>seed</th>
                <th>AIE</th>
                {FEATURE_KEYS.map((k) => (
                  <th key={k}>{k}</th>
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
                  {FEATURE_KEYS.map((k) => (
                    <td key={k}>{num(p[k])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
