import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResultBundleBytes, type ResultBundle } from '../../contract';

export const BIN = fileURLToPath(new URL('../../bin/headprep.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `headprep ...args` in a child process (the real bin entry) and collects its output. */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Environment for CLI runs: the shared dataset/backbone cache and a fresh config dir (keys). */
export function cliEnv(): { HEADPREP_CACHE_DIR: string; HEADPREP_CONFIG_DIR: string } {
  return { HEADPREP_CACHE_DIR: join(tmpdir(), 'headprep-test-cache'), HEADPREP_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'headprep-cfg-')) };
}

/** The schema-checked bundles a run wrote to `dir`, by file name. */
export function bundlesIn(dir: string): Map<string, ResultBundle> {
  const out = new Map<string, ResultBundle>();
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.bundle.json'))) {
    const parsed = parseResultBundleBytes(new Uint8Array(readFileSync(join(dir, f))));
    if (!parsed.ok) throw new Error(`${f}: ${JSON.stringify(parsed.issues)}`);
    out.set(f, parsed.value);
  }
  return out;
}
