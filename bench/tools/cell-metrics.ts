/**
 * `tsx bench/tools/cell-metrics.ts --out file.json [--compare before.json]`: runs a fixed set of
 * cells (one digits-transfer@2 cell with a linear and one with an MLP head, one synthetic-linear@2
 * cell, every tiny@1 cell; seed 0, wasm backend, one job per cell) and writes every number of their
 * bundles (energy, epoch rows, summary without timings). With --compare it lists each number that
 * differs from an earlier file, with the largest absolute difference: the check that a speed change
 * left the science bit-identical. --eval-thread evaluates FT epochs in the worker thread.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CellConfig, ResultBundle } from '../../contract';

const { values } = parseArgs({ options: { out: { type: 'string' }, compare: { type: 'string' }, only: { type: 'string' }, 'eval-thread': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (values.help || !values.out) {
  console.log('Usage: tsx bench/tools/cell-metrics.ts --out file.json [--compare before.json] [--only digits|synthetic|tiny] [--eval-thread]');
  process.exit(values.help ? 0 : 2);
}
const { initBackend } = await import('../../runner/train/backend');
const { planCells } = await import('../../runner/run/plan');
const { runJob } = await import('../../runner/run/job');
const { getSuite } = await import('../../runner/protocols/suites/index');
const backend = await initBackend('wasm');

const picks: { suite: string; keep: (c: CellConfig) => boolean }[] = [
  { suite: 'digits-transfer@2', keep: (c) => c.strategy.id === 'hp-tau' && c.tau === 4 },
  { suite: 'digits-transfer@2', keep: (c) => c.strategy.id === 'hp-mlp' },
  { suite: 'synthetic-linear@2', keep: (c) => c.strategy.id === 'hp-tau' && c.tau === 4 },
  { suite: 'tiny@1', keep: () => true },
];
const out: Record<string, unknown> = {};
for (const p of picks) {
  if (values.only && !p.suite.startsWith(values.only)) continue;
  const cells = (await planCells(getSuite(p.suite), { backend, seeds: [0] })).filter(p.keep);
  for (const cell of cells) {
    const t0 = performance.now();
    for await (const b of runJob({ key: 'x', cells: [cell] }, { backend, evalThread: values['eval-thread'] === true })) {
      const key = `${p.suite} ${b.config.strategy.id} tau${b.config.tau} seed${b.config.seed}`;
      const { wall_time_s: _w, samples_per_sec: _s, peak_memory_mb: _m, ...summary } = (b as ResultBundle).summary ?? ({} as Record<string, number>);
      out[key] = { status: b.status, error: b.error_message, energy: b.energy, epochs: b.epochs, summary };
      console.error(`${key}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
  }
}
writeFileSync(values.out, `${JSON.stringify(out, null, 1)}\n`);
if (values.compare) {
  const before = JSON.parse(readFileSync(values.compare, 'utf8')) as Record<string, unknown>;
  let diffs = 0;
  let maxAbs = 0;
  const walk = (a: unknown, b: unknown, path: string) => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (!Object.is(a, b)) {
        diffs++;
        maxAbs = Math.max(maxAbs, Math.abs(a - b));
        if (diffs <= 30) console.log(`differs ${path}: ${a} -> ${b} (|d| ${Math.abs(a - b).toExponential(2)})`);
      }
    } else if (a && b && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    } else if (a !== b) {
      diffs++;
      console.log(`differs ${path}: ${String(a)} -> ${String(b)}`);
    }
  };
  for (const k of Object.keys(out)) walk(before[k], out[k], k);
  console.log(diffs === 0 ? `bit-identical: ${Object.keys(out).length} cells` : `${diffs} numbers differ, largest |difference| ${maxAbs.toExponential(3)}`);
}
