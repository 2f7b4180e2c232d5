'use client';
/**
 * The plots' table view: the numbers behind the energy and feature plots, rendered only when the
 * reader opens it (a 400-seed table would otherwise weigh on every page load). One component for
 * all five plots, so the page carries the points once.
 */
import { useState } from 'react';
import type { EnergyChartData } from '../_lib/dto';
import { DataTable } from './data-table';
import { num, pct } from './format';

const FEATURE_KEYS = ['feat_l2_dist', 'feat_cos_dist', 'feat_dot', 'feat_norm'] as const;

/** Every drawn seed with its energy, accuracies and final-epoch feature metrics, and the tau sweep's means. */
export function SeedTable({ data }: { data: EnergyChartData }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="table-view" data-testid="seed-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Table view: the {data.points.length} seeds of the plots (energy, accuracy, feature change)</summary>
      {open && (
        <DataTable columns={['strategy', 'tau', 'seed', 'AIE', 'test acc', 'best val acc', ...FEATURE_KEYS]}>
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
              {FEATURE_KEYS.map((k) => (
                <td key={k}>{num(p[k])}</td>
              ))}
            </tr>
          ))}
        </DataTable>
      )}
      {open && data.sweep.length > 0 && (
        <DataTable columns={['sweep: tau', 'strategy', 'seeds', 'mean AIE', 'mean test acc', 'mean val acc']}>
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
        </DataTable>
      )}
    </details>
  );
}

