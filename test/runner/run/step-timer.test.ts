/** The benchmark's step timer and arithmetic floor (runner/run/step-timer.ts) on wasm. */
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../../runner/kernels/node-wasm';
import { arithmeticFloorMs, timeFtStep } from '../../../runner/run/step-timer';

beforeAll(async () => {
  await useWasmBackend();
});

describe('step timer', () => {
  it('times the mlp step without leaking tensors', async () => {
    const t = await timeFtStep({ model: 'mlp-digits', batch: 16, maxSteps: 5, warmup: 1 });
    expect(t.steps_timed).toBe(5);
    expect(t.best_step_ms).toBeGreaterThan(0);
    expect(t.tensor_growth).toBe(0);
  });

  it('the arithmetic floor is a positive part of the profiled step (cnn: matmuls and convolutions)', async () => {
    const f = await arithmeticFloorMs({ model: 'cnn-digits', batch: 8, steps: 2, warmup: 1 });
    expect(f.floor_ms).toBeGreaterThan(0);
    expect(f.floor_ms).toBeLessThan(f.step_ms);
  });
});
