/**
 * `npm run bench [-- --only name1,name2] [--out file.json]`: runs every benchmark module in
 * bench/suites/, prints a table, and writes JSON (default bench/results/latest.json).
 *
 * A benchmark module default-exports a BenchSuite. Rules (docs/engineering.md, 'Measuring'): warm-up excluded,
 * backend synced before reading the clock, units in metric names (samples_per_sec, p50_ms, ...),
 * failures recorded in the JSON, never crashing the whole run.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchResult, BenchSuite } from './types';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    out: { type: 'string', default: join(import.meta.dirname, 'results', 'latest.json') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench -- [--only a,b] [--out file.json]
Runs the benchmark suites in bench/suites/ (${listSuites().join(', ') || 'none'}), prints a table and writes JSON.`);
  process.exit(0);
}

function listSuites(): string[] {
  try {
    return readdirSync(join(import.meta.dirname, 'suites'))
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => f.replace(/\.bench\.ts$/, ''))
      .sort();
  } catch {
    return [];
  }
}

const only = values.only ? new Set(values.only.split(',')) : null;
const report: {
  started_at: string;
  machine: Record<string, unknown>;
  suites: Record<string, { ok: boolean; error?: string; wall_time_s: number; results: BenchResult[] }>;
} = {
  started_at: new Date().toISOString(),
  machine: {
    node: process.version,
    os: `${platform()} ${arch()}`,
    cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
    memory_gib: Math.round(totalmem() / 2 ** 30),
  },
  suites: {},
};

for (const name of listSuites()) {
  if (only && !only.has(name)) continue;
  const t0 = performance.now();
  console.error(`[bench] ${name} ...`);
  try {
    const suite = (await import(`./suites/${name}.bench.ts`)).default as BenchSuite;
    const results = await suite.run();
    report.suites[name] = { ok: true, wall_time_s: (performance.now() - t0) / 1000, results };
  } catch (e) {
    report.suites[name] = { ok: false, error: String((e as Error).stack ?? e), wall_time_s: (performance.now() - t0) / 1000, results: [] };
    console.error(`[bench] ${name} failed: ${(e as Error).message}`);
  }
}

mkdirSync(dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(report, null, 2)}\n`);

const rows: string[][] = [['suite', 'benchmark', 'metric', 'value', 'target', 'met']];
for (const [name, s] of Object.entries(report.suites)) {
  if (!s.ok) rows.push([name, '(failed)', '', '', '', '']);
  for (const r of s.results)
    for (const [metric, value] of Object.entries(r.metrics)) {
      const target = r.targets?.[metric];
      const met = target === undefined ? '' : (target.op === '>=' ? value >= target.value : value <= target.value) ? 'yes' : 'NO';
      rows.push([name, r.name, metric, fmt(value), target ? `${target.op} ${target.value}` : '', met]);
    }
}
function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
console.log(`\nwrote ${values.out}`);
