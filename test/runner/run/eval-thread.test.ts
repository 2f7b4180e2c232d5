import { beforeAll, describe, expect, it } from 'vitest';
import { ResultBundleSchema, type CellConfig, type ResultBundle } from '../../../contract';
import { evalThreadFits } from '../../../runner/run/eval-thread';
import { runJob, type RunContext } from '../../../runner/run/job';
import type { BackendInfo } from '../../../runner/train/backend';
import { tf } from '../../../runner/train/tf';
import { planTinyOnWasm, runCells, useSharedTestCache } from '../../fixtures/tiny-run';

useSharedTestCache();

let backend: BackendInfo;
let cells: CellConfig[];
beforeAll(async () => ({ backend, cells } = await planTinyOnWasm()));

const collect = (ctx: RunContext) => runCells(cells, ctx);

const numbers = (b: ResultBundle) => {
  const { wall_time_s: _w, samples_per_sec: _s, peak_memory_mb: _m, ...summary } = b.summary!;
  return { energy: b.energy, epochs: b.epochs, summary };
};

describe('FT-epoch evaluation in a worker thread', () => {
  it('gives bit-identical bundles to inline evaluation, records the worker time, leaks no tensors', async () => {
    const inline = await collect({ backend, evalThread: false });
    const before = tf.memory().numTensors;
    const threaded = await collect({ backend, evalThread: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(threaded).toHaveLength(inline.length);
    for (let i = 0; i < inline.length; i++) {
      expect(threaded[i]!.status, threaded[i]!.error_message).toBe('ok');
      expect(ResultBundleSchema.safeParse(threaded[i]).success).toBe(true);
      // toEqual on numbers is Object.is per value: bit-identical floats
      expect(numbers(threaded[i]!)).toEqual(numbers(inline[i]!));
      expect(inline[i]!.timing!.eval_worker_s).toBeUndefined();
      if (threaded[i]!.config.ft.epochs > 0) expect(threaded[i]!.timing!.eval_worker_s).toBeGreaterThan(0);
    }
  }, 120_000);

  it('a cell that fails mid-way is an error bundle and the worker serves the next cell', async () => {
    const ft = cells.find((c) => c.ft.epochs > 1)!;
    const diverging: CellConfig = { ...ft, ft: { ...ft.ft, lr: 1e30 } };
    const bad: ResultBundle[] = [];
    for await (const b of runJob({ key: 'diverge', cells: [diverging] }, { backend, evalThread: true })) bad.push(b);
    expect(bad[0]!.status).toBe('error');
    expect(bad[0]!.error_message).toMatch(/diverged|finite|NaN|Infinity/i);
    const good: ResultBundle[] = [];
    for await (const b of runJob({ key: 'again', cells: [ft] }, { backend, evalThread: true })) good.push(b);
    expect(good[0]!.status, good[0]!.error_message).toBe('ok');
    expect(good[0]!.timing!.eval_worker_s).toBeGreaterThan(0);
  }, 120_000);

  it('is used only where a core is left over, never on native TensorFlow', () => {
    const saved = process.env.HEADPREP_EVAL_THREAD;
    try {
      delete process.env.HEADPREP_EVAL_THREAD;
      expect(evalThreadFits({ ...backend, name: 'tensorflow' }, 1)).toBe(false);
      expect(evalThreadFits(backend, 10_000)).toBe(false);
      process.env.HEADPREP_EVAL_THREAD = '0';
      expect(evalThreadFits(backend, 1)).toBe(false);
      process.env.HEADPREP_EVAL_THREAD = '1';
      expect(evalThreadFits(backend, 10_000)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.HEADPREP_EVAL_THREAD;
      else process.env.HEADPREP_EVAL_THREAD = saved;
    }
  });
});
