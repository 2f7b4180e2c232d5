/**
 * `headprep reproduce --backend webgpu` of a result made on wasm, end to end through the CLI and a
 * local site stub serving the bundle's exact bytes: the verdict is `within` (exit 0), the table
 * names both backends, and the rerun bundle records webgpu and its adapter. Skipped only where
 * Dawn gives no adapter (CI installs Mesa's: .ci/run).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyProbe, probeAdaptersInChild } from '../../../runner/train/webgpu';
import { cliEnv, runCli } from '../../fixtures/cli';

const probe = classifyProbe(probeAdaptersInChild());
const none = !probe.hardware && !probe.software;

describe.skipIf(none)('reproduce across backends', () => {
  let server: Server | null = null;
  afterAll(() => server?.close());

  it('a wasm result rerun on webgpu is "within", never "exact"', async () => {
    const env = cliEnv();
    const runs = mkdtempSync(join(tmpdir(), 'headprep-repro-'));
    const made = await runCli(['run', 'tiny@1', '--backend', 'wasm', '--jobs', '1', '--out', runs], env);
    expect(made.code, made.stderr).toBe(0);
    const file = readdirSync(runs).find((f) => f.includes('__lp-ft__') && f.endsWith('.bundle.json'))!;
    const bytes = readFileSync(join(runs, file));
    const id = '0123456789abcdef0123';
    server = createServer((req, res) => {
      if (req.url === `/results/${id}/bundle.json`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(bytes);
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"code":"not_found","message":"no such result"}}');
      }
    });
    await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    const out = mkdtempSync(join(tmpdir(), 'headprep-repro-out-'));
    const r = await runCli(['reproduce', `http://127.0.0.1:${port}/results/${id}`, '--backend', 'webgpu', '--out', out], env, 240_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^verdict: within {2}\(\d+ metrics compared, max \|diff\| [\d.]+e-\d+; original: runner [^,]+, wasm; rerun: runner [^,]+, webgpu\)/);
    const rerun = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.bundle.json'))!), 'utf8')) as {
      environment: { backend: string; gpu_adapter?: { software: boolean } };
    };
    expect(rerun.environment.backend).toBe('webgpu');
    expect(rerun.environment.gpu_adapter?.software).toBe(!probe.hardware);
  }, 300_000);
});
