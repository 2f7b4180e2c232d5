/**
 * The webgpu backend (runner/train/webgpu.ts) trains the same cells as wasm, to float32 rounding:
 * tiny@1 (8 cells) and one digits-transfer@2 cell (cnn-digits, --smoke size) run on both, and the
 * reproduction comparison (contract/reproduction.ts compareBundles, what `headprep reproduce`
 * prints) says `within` for every cell: not `exact` (which would mean webgpu silently ran on
 * wasm), not `differs`. On a machine without a GPU the adapter is Mesa's llvmpipe through OpenGL
 * ES (Debian: libegl1 libegl-mesa0 libgl1-mesa-dri; .ci/run installs them). The test is skipped,
 * with the reason, only when Dawn returns no adapter at all; HEADPREP_REQUIRE_WEBGPU=1 (set by
 * .ci/run) turns that skip into a failure.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBundles, ResultBundleSchema, type CellConfig, type ResultBundle } from '../../../contract';
import { smokeConfig } from '../../../runner/commands/run';
import { runJob, type RunContext } from '../../../runner/run/job';
import { groupJobs, planCells } from '../../../runner/run/plan';
import { getSuite } from '../../../runner/protocols/suites/index';
import { initBackend, type BackendInfo } from '../../../runner/train/backend';
import { tf } from '../../../runner/train/tf';
import { ADAPTER_ATTEMPTS, classifyProbe, probeAdaptersInChild, releaseWebGpu } from '../../../runner/train/webgpu';

process.env.HEADPREP_CACHE_DIR = join(tmpdir(), 'headprep-test-cache');

const probe = probeAdaptersInChild(ADAPTER_ATTEMPTS);
const { hardware, software, notes } = classifyProbe(probe);
const noAdapter = !hardware && !software;
const why = `no WebGPU adapter on this machine (${notes.join('; ')}); install Mesa (libegl1 libegl-mesa0 libgl1-mesa-dri) for the software adapter`;
if (noAdapter && process.env.HEADPREP_REQUIRE_WEBGPU !== '1') console.warn(`skipping webgpu parity: ${why}`);

async function collect(cells: CellConfig[], ctx: RunContext): Promise<ResultBundle[]> {
  const out: ResultBundle[] = [];
  for (const job of groupJobs(cells)) for await (const b of runJob(job, ctx)) out.push(b);
  return out;
}

function byFingerprint(bs: ResultBundle[]): Map<string, ResultBundle> {
  return new Map(bs.map((b) => [b.fingerprint, b]));
}

describe('webgpu adapter', () => {
  it.runIf(noAdapter && process.env.HEADPREP_REQUIRE_WEBGPU === '1')('HEADPREP_REQUIRE_WEBGPU=1: an adapter must exist', () => {
    expect.fail(why);
  });
});

describe.skipIf(noAdapter)('webgpu against wasm (reproduce-style comparison)', () => {
  let wasm: BackendInfo;
  let webgpu: BackendInfo;
  let tiny: CellConfig[];
  let digits: CellConfig[];
  const wasmBundles: ResultBundle[] = [];

  beforeAll(async () => {
    wasm = await initBackend('wasm');
    tiny = await planCells(getSuite('tiny@1'), { backend: wasm });
    // One digits cell: cnn-digits with HP then FT (lp-ft), shrunk as `run --smoke` does.
    digits = (await planCells(getSuite('digits-transfer@2'), { backend: wasm, seeds: [0] })).filter((c) => c.strategy.id === 'lp-ft').map(smokeConfig);
    expect(digits).toHaveLength(1);
    wasmBundles.push(...(await collect([...tiny, ...digits], { backend: wasm })));
    webgpu = await initBackend('webgpu');
  }, 300_000);

  afterAll(async () => {
    releaseWebGpu();
    await initBackend('wasm');
  });

  it('runs on the adapter the probe found, and records it', () => {
    expect(webgpu.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const a = webgpu.adapter!;
    expect(a).toBeDefined();
    if (!hardware) {
      // No hardware adapter: the explicit request ran on the software one and said so.
      expect(a.software).toBe(true);
      expect(webgpu.skipped.join(' ')).toMatch(/SOFTWARE adapter/);
    }
  });

  for (const suite of ['tiny@1', 'digits-transfer@2 (one smoke cell)'] as const) {
    it(`${suite}: every cell is "within" tolerance of wasm, never "exact"`, async () => {
      const cells = suite === 'tiny@1' ? tiny : digits;
      const t0 = performance.now();
      const gpuBundles = await collect(cells, { backend: webgpu });
      const seconds = (performance.now() - t0) / 1000;
      const ref = byFingerprint(wasmBundles);
      let maxDiff = 0;
      for (const b of gpuBundles) {
        expect(b.status, b.error_message).toBe('ok');
        expect(ResultBundleSchema.safeParse(b).success).toBe(true);
        expect(b.environment.backend).toBe('webgpu');
        expect(b.environment.gpu_adapter).toEqual(webgpu.adapter);
        expect(b.environment.gpu).toMatch(/via WebGPU\//);
        const original = ref.get(b.fingerprint)!;
        expect(original.environment.backend).toBe('wasm');
        const c = compareBundles(original, b);
        expect(c.differing, JSON.stringify(c.differing.slice(0, 3))).toEqual([]);
        expect(c.verdict).toBe('within');
        expect(c.same_environment).toBe(false);
        maxDiff = Math.max(maxDiff, c.max_abs_diff);
      }
      expect(gpuBundles).toHaveLength(cells.length);
      console.log(`webgpu ${suite}: ${cells.length} cells in ${seconds.toFixed(1)} s, max |diff| vs wasm ${maxDiff.toExponential(2)} (${webgpu.adapter!.device})`);
    }, 300_000);
  }
});
