/**
 * --jobs: worker threads (each loading TypeScript through tsx, with its own tfjs) give the same
 * bundles as the serial run; a worker crash turns only its unfinished cells into error bundles
 * and the remaining jobs still run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultBundle } from '../../../contract';
import type { Job, RunContext } from '../../../runner/run/job';
import { parallelExecutor } from '../../../runner/run/pool';
import { makeConfig } from '../../fixtures/bundle';
import { bundlesIn, cliEnv, runCli } from '../../fixtures/cli';

const env = cliEnv();

describe('headprep run --jobs', () => {
  it('tiny@1 with --jobs 2 equals --jobs 1, cell for cell and number for number', async () => {
    const serial = mkdtempSync(join(tmpdir(), 'headprep-j1-'));
    const par = mkdtempSync(join(tmpdir(), 'headprep-j2-'));
    const r1 = await runCli(['run', 'tiny@1', '--jobs', '1', '--backend', 'wasm', '--out', serial], env);
    expect(r1.code, r1.stderr).toBe(0);
    const r2 = await runCli(['run', 'tiny@1', '--jobs', '2', '--backend', 'wasm', '--out', par], env);
    expect(r2.code, r2.stderr).toBe(0);
    const a = bundlesIn(serial);
    const b = bundlesIn(par);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, x] of a) {
      const y = b.get(name)!;
      expect(y.status).toBe('ok');
      expect(y.environment.backend).toBe('wasm');
      expect(y.energy).toEqual(x.energy);
      expect(y.epochs).toEqual(x.epochs);
      expect(y.summary?.test_acc).toBe(x.summary?.test_acc);
    }
  });

  it('tiny@1 --shard 0/2 + --shard 1/2 write exactly the bundles of the unsharded run, none twice', async () => {
    const whole = mkdtempSync(join(tmpdir(), 'headprep-whole-'));
    const sharded = mkdtempSync(join(tmpdir(), 'headprep-shards-'));
    expect((await runCli(['run', 'tiny@1', '--jobs', '1', '--backend', 'cpu', '--out', whole], env)).code).toBe(0);
    const s0 = await runCli(['run', 'tiny@1', '--jobs', '1', '--backend', 'cpu', '--shard', '0/2', '--out', sharded], env);
    expect(s0.code, s0.stderr).toBe(0);
    const first = new Set(bundlesIn(sharded).keys());
    const s1 = await runCli(['run', 'tiny@1', '--jobs', '1', '--backend', 'cpu', '--shard', '1/2', '--out', sharded, '--resume'], env);
    expect(s1.code, s1.stderr).toBe(0);
    expect(s0.stderr).toMatch(/shard 0\/2 \(\d+ of 8 cells\)/);
    expect(s1.stderr).toMatch(/0 already done/); // shard 1 shares no cell with shard 0
    const all = [...bundlesIn(sharded).keys()].sort();
    expect(all).toEqual([...bundlesIn(whole).keys()].sort());
    expect(first.size).toBeGreaterThan(0);
    expect(first.size).toBeLessThan(all.length);
  });

  it('rejects a bad --jobs value naming the flag', async () => {
    const r = await runCli(['run', 'tiny@1', '--jobs', 'many'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--jobs: expected an integer/);
  });
});

describe('parallelExecutor crash handling', () => {
  it('a crashing worker loses no delivered cell, marks the rest of its job as errors, and the pool goes on', async () => {
    const job = (seed: number, taus: number[]): Job => ({ key: `k${seed}`, cells: taus.map((tau) => makeConfig({ seed, tau })) });
    const jobs = [job(0, [0, 1, 2]), job(1, [0, 4]), job(2, [8]), job(3, [1, 2])];
    const ctx: RunContext = { backend: { name: 'cpu', nativePackage: null, wasmKernels: [], skipped: [] }, log: () => {} };
    const got: ResultBundle[] = [];
    const exec = parallelExecutor({ jobs: 2, workerEntry: new URL('../_helpers/crashing-worker.ts', import.meta.url) });
    await exec.run(jobs, ctx, async (b) => {
      got.push(b);
    });
    expect(got).toHaveLength(8); // every cell accounted for exactly once
    const seed0 = got.filter((b) => b.config.seed === 0).sort((x, y) => x.config.tau - y.config.tau);
    expect(seed0.map((b) => b.status)).toEqual(['ok', 'error', 'error']);
    expect(seed0[1]!.error_message).toMatch(/worker thread crashed: exit code 3/);
    expect(got.filter((b) => b.config.seed !== 0).every((b) => b.status === 'ok')).toBe(true);
  });
});
