/**
 * CLI start time: wall time of `node bin/headprep.mjs <args>` for the commands that
 * never train. Each command runs once as warm-up (tsx's transform cache, the OS file cache), then
 * RUNS times; the best run is the number (the least disturbed by other work on the machine) and the
 * 1-minute load average read just before that run is stored beside it, so a slow number on a busy
 * machine can be told from a slow CLI. Target: under 1 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PAYLOAD_TYPE, signEnvelope, generateKeyPair, utf8 } from '../../contract';
import { makeBundle } from '../../fixtures/bundle';
import type { BenchResult, BenchSuite } from '../types';

const BIN = fileURLToPath(new URL('../../bin/headprep.mjs', import.meta.url));
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);

function timeOnce(args: string[], env: NodeJS.ProcessEnv): { ms: number; load1: number; code: number | null } {
  const load1 = loadavg()[0]!;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { env, stdio: 'ignore' });
  return { ms: performance.now() - t0, load1, code: r.status };
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-bench-cli-'));
    try {
      // A bundle in a runs/<name>/ subfolder, its signed envelope, and an empty folder for submit.
      const runs = join(dir, 'runs', 'tiny');
      mkdirSync(runs, { recursive: true });
      mkdirSync(join(dir, 'empty'));
      const bundleText = `${JSON.stringify(makeBundle(), null, 2)}\n`;
      writeFileSync(join(runs, 'a.bundle.json'), bundleText);
      const { privateKey, publicKey } = await generateKeyPair();
      const env = await signEnvelope(utf8.encode(bundleText), RESULT_PAYLOAD_TYPE, privateKey, publicKey);
      const envFile = join(dir, 'a.envelope.json');
      writeFileSync(envFile, JSON.stringify(env));
      const pub = Buffer.from(await crypto.subtle.exportKey('raw', publicKey)).toString('base64');
      const childEnv = { ...process.env, NO_COLOR: '1', HEADPREP_CONFIG_DIR: join(dir, 'config') };
      const cases: Array<{ name: string; args: string[] }> = [
        { name: 'help', args: ['--help'] },
        { name: 'suites', args: ['suites'] },
        { name: 'verify', args: ['verify', envFile, '--key', pub] },
        { name: 'report', args: ['report', runs] },
        // An empty folder: start, argument parsing and the file scan, no network.
        { name: 'submit', args: ['submit', join(dir, 'empty'), '--site', 'http://127.0.0.1:9'] },
      ];
      const out: BenchResult[] = [];
      for (const c of cases) {
        timeOnce(c.args, childEnv); // warm-up
        const runs = Array.from({ length: RUNS }, () => timeOnce(c.args, childEnv));
        const best = runs.reduce((a, b) => (b.ms < a.ms ? b : a));
        const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
        out.push({
          name: `cli_start_${c.name}`,
          params: { args: c.args.map((a) => (a.startsWith(dir) ? `<tmp>${a.slice(dir.length)}` : a.length > 40 ? '<key>' : a)).join(' '), runs: RUNS, exit_code: best.code ?? -1 },
          metrics: { best_ms: best.ms, median_ms: sorted[Math.floor(sorted.length / 2)]!, load_avg_1m_at_best: best.load1 },
          targets: { best_ms: { op: '<=', value: 1000 } },
        });
      }
      return out;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
