/**
 * Where one digits-transfer@2 cell's time goes: the hp-tau cell at tau 4, seed 0
 * (1,000 train / 500 val / 1,000 test + 1,000 OOD examples, 4 HP epochs, 20 FT epochs), run as a
 * one-cell job on wasm, `HEADPREP_BENCH_CELL_RUNS` times (default 3) in each mode, interleaved:
 * FT-epoch evaluation inline, and in the evaluation worker thread (what `headprep run` does for a
 * single job on a machine with a spare core). Per mode the fastest run's per-phase split
 * (bundle.timing) is reported with the time to write its bundle and the load average. Noise on a
 * shared machine only slows a run down, hence the minimum.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultBundle } from '../../contract';
import type { BenchResult, BenchSuite } from '../types';

const load = () => ({ load_avg_1m: Math.round(loadavg()[0]! * 100) / 100, cores: cpus().length });

export async function digitsCellSplit(runs: number): Promise<BenchResult[]> {
  const { initBackend } = await import('../../runner/train/backend');
  const { planCells } = await import('../../runner/run/plan');
  const { runJob } = await import('../../runner/run/job');
  const { getSuite } = await import('../../runner/protocols/suites/index');
  const { writeBundle } = await import('../../runner/lib/bundle-files');
  const backend = await initBackend('wasm');
  const cell = (await planCells(getSuite('digits-transfer@2'), { backend, seeds: [0] })).find((c) => c.strategy.id === 'hp-tau' && c.tau === 4)!;
  const dir = mkdtempSync(join(tmpdir(), 'headprep-bench-cell-'));
  type Best = { total: number; bundle: ResultBundle; write: number; load: number };
  const modes = ['inline', 'eval-thread'] as const;
  const best: Record<string, Best | null> = { inline: null, 'eval-thread': null };
  const totals: Record<string, number[]> = { inline: [], 'eval-thread': [] };
  try {
    for (let r = 0; r < runs; r++)
      for (const mode of modes) {
        const t0 = performance.now();
        let bundle: ResultBundle | null = null;
        for await (const b of runJob({ key: 'bench', cells: [cell] }, { backend, evalThread: mode === 'eval-thread' })) bundle = b;
        const total = (performance.now() - t0) / 1000;
        if (!bundle || bundle.status !== 'ok' || !bundle.timing) throw new Error(`cell failed: ${bundle?.error_message ?? 'no timing'}`);
        const w0 = performance.now();
        await writeBundle(dir, bundle);
        const write = (performance.now() - w0) / 1000;
        totals[mode]!.push(total);
        console.error(`[bench] digits-transfer@2 cell, ${mode}, run ${r + 1}/${runs}: ${total.toFixed(2)} s (load ${loadavg()[0]!.toFixed(2)})`);
        const b = best[mode];
        if (!b || total < b.total) best[mode] = { total, bundle, write, load: loadavg()[0]! };
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return modes.map((mode) => {
    const b = best[mode]!;
    const t = b.bundle.timing!;
    return {
      name: `digits-transfer@2 cell (hp-tau tau 4, seed 0), evaluation ${mode}: per-phase split of the fastest run`,
      params: {
        runs,
        all_totals_s: totals[mode]!.map((x) => x.toFixed(2)).join(','),
        load_avg_1m_at_best: Math.round(b.load * 100) / 100,
        ...load(),
        test_acc: b.bundle.summary!.test_acc,
      },
      metrics: {
        total_s: b.total,
        wall_time_s: b.bundle.summary!.wall_time_s,
        data_s: t.data_s,
        features_s: t.features_s,
        hp_s: t.hp_s,
        ft_train_s: t.ft_train_s,
        eval_s: t.eval_s,
        feature_metrics_s: t.feature_metrics_s,
        other_s: t.other_s,
        ...(t.eval_worker_s === undefined ? {} : { eval_worker_s: t.eval_worker_s }),
        write_s: b.write,
        ft_samples_per_sec: b.bundle.summary!.samples_per_sec,
      },
    };
  });
}

const suite: BenchSuite = {
  async run() {
    return digitsCellSplit(Number(process.env.HEADPREP_BENCH_CELL_RUNS ?? 3));
  },
};
export default suite;
