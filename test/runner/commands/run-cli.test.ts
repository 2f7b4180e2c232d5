import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, bundlesIn, cliEnv, runCli } from '../../fixtures/cli';

const cacheEnv = cliEnv();

describe('headprep run', () => {
  it('tiny@1 writes one schema-valid bundle per cell, with deterministic names', async () => {
    const out = mkdtempSync(join(tmpdir(), 'headprep-tiny-'));
    const r = await runCli(['run', 'tiny@1', '--jobs', '1', '--out', out], cacheEnv);
    expect(r.code, r.stderr).toBe(0);
    const bundles = bundlesIn(out);
    expect(bundles.size).toBe(8);
    for (const [name, b] of bundles) {
      expect(b.status).toBe('ok');
      expect(name).toBe(`tiny@1__linear__synthetic-linear__${b.config.strategy.id}__tau${b.config.tau}__seed${b.config.seed}__${b.fingerprint.slice(0, 12)}.bundle.json`);
    }
    expect(r.stderr).toMatch(/done: 8 ok, 0 failed/);
    expect(r.stderr).toMatch(/headprep keys create/); // no key: the hint to create one
    // rerunning into the same dir without --resume refuses instead of overwriting
    const again = await runCli(['run', 'tiny@1', '--out', out], cacheEnv);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--resume/);
  });

  it('SIGKILL mid-suite loses no finished cell, and --resume runs only the rest', async () => {
    const out = mkdtempSync(join(tmpdir(), 'headprep-kill-'));
    const child = spawn(process.execPath, [BIN, 'run', 'synthetic-linear@1', '--seeds', '0', '--out', out], {
      env: { ...process.env, ...cacheEnv },
      stdio: 'ignore',
    });
    const count = () => (existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.bundle.json')).length : 0);
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (count() >= 3) {
          clearInterval(t);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(t);
        reject(new Error('the run finished before it could be killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
    const before = bundlesIn(out);
    expect(before.size).toBeGreaterThanOrEqual(3);
    expect(before.size).toBeLessThan(15);
    const mtimes = new Map([...before.keys()].map((f) => [f, statSync(join(out, f)).mtimeMs]));

    const r = await runCli(['run', 'synthetic-linear@1', '--seeds', '0', '--out', out, '--resume'], cacheEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`(${before.size} already done, ${15 - before.size} to run`);
    const after = bundlesIn(out);
    expect(after.size).toBe(15);
    for (const [f, b] of before) {
      expect(after.get(f)).toEqual(b); // untouched, not rerun
      expect(statSync(join(out, f)).mtimeMs).toBe(mtimes.get(f));
    }
  }, 120_000);

  it('runs a single CellConfig from a URL with --smoke', async () => {
    const out = mkdtempSync(join(tmpdir(), 'headprep-tinycfg-'));
    const src = mkdtempSync(join(tmpdir(), 'headprep-src-'));
    const r0 = await runCli(['run', 'tiny@1', '--jobs', '1', '--out', src], cacheEnv);
    expect(r0.code).toBe(0);
    const cfg = [...bundlesIn(src).values()].find((b) => b.config.strategy.id === 'hp-tau')!.config;
    const server = createServer((req, res) => {
      if (req.url === '/api/configs/abc') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(cfg));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await runCli(['run', `${base}/api/configs/abc`, '--smoke', '--jobs', '1', '--out', out], cacheEnv);
      expect(r.code, r.stderr).toBe(0);
      const [b] = [...bundlesIn(out).values()];
      expect(b!.status).toBe('ok');
      expect(b!.config.ft.epochs).toBe(1);
      expect(b!.config.tau).toBe(1);
      expect(b!.config.dataset.n_train).toBe(64);
      expect(b!.epochs).toHaveLength(2);
      const missing = await runCli(['run', `${base}/api/configs/nope`, '--out', out], cacheEnv);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/HTTP 404/);
    } finally {
      server.close();
    }
  }, 60_000);

  it('bad input gives clear errors', async () => {
    const r = await runCli(['run', 'tiny@9'], cacheEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown suite "tiny@9". Did you mean "tiny@1"/);
    const bad = join(mkdtempSync(join(tmpdir(), 'headprep-bad-')), 'c.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(bad, JSON.stringify({ tau: -1 })));
    const r2 = await runCli(['run', bad], cacheEnv);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/not a CellConfig: .*suite/);
    const r3 = await runCli(['run', 'tiny@1', '--seeds', 'a,b'], cacheEnv);
    expect(r3.stderr).toMatch(/--seeds: expected comma-separated/);
    const help = await runCli(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--resume/);
  });
});
