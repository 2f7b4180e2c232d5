import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ResultBundleSchema, type ResultBundle } from '../../../contract';
import { formatReport, buildReport, PHASES } from '../../../runner/commands/report';
import { runJob } from '../../../runner/run/job';
import { groupJobs, planCells } from '../../../runner/run/plan';
import { getSuite } from '../../../runner/protocols/suites/index';
import { initBackend } from '../../../runner/train/backend';

process.env.HEADPREP_CACHE_DIR = join(tmpdir(), 'headprep-test-cache');

const bundles: ResultBundle[] = [];
beforeAll(async () => {
  const backend = await initBackend('wasm');
  const cells = await planCells(getSuite('tiny@1'), { backend });
  for (const job of groupJobs(cells)) for await (const b of runJob(job, { backend })) bundles.push(b);
});

describe('per-phase timing in the bundle', () => {
  it('records every phase; the phases sum to the wall time; the schema accepts it', () => {
    expect(bundles.length).toBeGreaterThan(0);
    for (const b of bundles) {
      expect(b.status).toBe('ok');
      expect(ResultBundleSchema.safeParse(b).success).toBe(true);
      const t = b.timing!;
      expect(Object.keys(t).sort()).toEqual([...PHASES].sort());
      for (const k of PHASES) expect(t[k]).toBeGreaterThanOrEqual(0);
      const sum = PHASES.reduce((a, k) => a + t[k], 0);
      expect(sum).toBeCloseTo(b.summary!.wall_time_s, 3);
      if (b.config.ft.epochs > 0) {
        expect(t.ft_train_s).toBeGreaterThan(0);
        expect(t.eval_s).toBeGreaterThan(0);
      } else expect(t.ft_train_s).toBe(0);
      if (b.config.tau > 0) expect(t.hp_s).toBeGreaterThan(0);
    }
  });

  it('a bundle without timing (older runners) still parses; an unknown phase does not', () => {
    const { timing, ...old } = bundles[0]!;
    expect(ResultBundleSchema.safeParse(old).success).toBe(true);
    expect(ResultBundleSchema.safeParse({ ...old, timing: { ...timing, gpu_s: 1 } }).success).toBe(false);
  });

  it('headprep report shows the split', () => {
    const text = formatReport(buildReport(bundles));
    expect(text).toMatch(/Time per cell \(tiny@1\): mean seconds over 8 bundle/);
    for (const k of PHASES) expect(text).toMatch(new RegExp(`^${k.replace(/_s$/, '')}\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d$`, 'm'));
    const noTiming = formatReport(buildReport(bundles.map(({ timing: _t, ...b }) => b)));
    expect(noTiming).not.toMatch(/Time per cell/);
  });
});
