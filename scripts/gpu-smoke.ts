/**
 * The parts of scripts/gpu-smoke.sh that run TensorFlow.js, one part per process (a native crash
 * in one part is reported by the shell script and the others still run). Each prints one JSON
 * object on stdout.
 *
 *   tsx scripts/gpu-smoke.ts parity                 tiny@1 + one digits-transfer@2 smoke cell on wasm,
 *                                                   then on webgpu: reproduce-style verdicts, wall times
 *   tsx scripts/gpu-smoke.ts steps <backend> <model>  ms/step of the cnn-digits or resnet18-cifar FT
 *                                                   step (first step, with shader compilation, apart)
 *   tsx scripts/gpu-smoke.ts profile [model]        per-kernel GPU time of the cnn-digits (default) or
 *                                                   resnet18-cifar FT step on webgpu (tf.profile; needs
 *                                                   timestamp-query), each convolution kernel timed alone
 *
 * HEADPREP_SMOKE_RESNET_BATCH (default 32) and HEADPREP_SMOKE_SECONDS (default 3) size the step timing.
 */
import { compareBundles, type CellConfig, type ResultBundle } from '../contract';
import { smokeConfig } from '../runner/commands/run';
import { runReleaseHooks } from '../runner/lib/release-hooks';
import { runJob } from '../runner/run/job';
import { groupJobs, planCells } from '../runner/run/plan';
import { ftProfile, timeFtStep } from '../runner/run/step-timer';
import { getSuite } from '../runner/protocols/suites/index';
import { initBackend, type BackendInfo, type BackendPref } from '../runner/train/backend';

async function runCells(cells: CellConfig[], backend: BackendInfo): Promise<{ bundles: ResultBundle[]; wall_s: number }> {
  const t0 = performance.now();
  const bundles: ResultBundle[] = [];
  for (const job of groupJobs(cells)) for await (const b of runJob(job, { backend })) bundles.push(b);
  return { bundles, wall_s: (performance.now() - t0) / 1000 };
}

async function parity(): Promise<unknown> {
  const wasm = await initBackend('wasm');
  const tiny = await planCells(getSuite('tiny@1'), { backend: wasm });
  const digits = (await planCells(getSuite('digits-transfer@2'), { backend: wasm, seeds: [0] })).filter((c) => c.strategy.id === 'lp-ft').map(smokeConfig);
  const out: Record<string, unknown> = {};
  const refs: Record<string, { bundles: ResultBundle[]; wall_s: number }> = {
    'tiny@1': await runCells(tiny, wasm),
    'digits-transfer@2 lp-ft smoke': await runCells(digits, wasm),
  };
  const gpu = await initBackend('webgpu');
  out.adapter = gpu.adapter;
  for (const [name, cells] of [
    ['tiny@1', tiny],
    ['digits-transfer@2 lp-ft smoke', digits],
  ] as const) {
    const r = await runCells(cells, gpu);
    const ref = new Map(refs[name]!.bundles.map((b) => [b.fingerprint, b]));
    const verdicts = r.bundles.map((b) => compareBundles(ref.get(b.fingerprint)!, b));
    out[name] = {
      cells: cells.length,
      verdicts: Object.fromEntries(['exact', 'within', 'differs'].map((v) => [v, verdicts.filter((c) => c.verdict === v).length])),
      max_abs_diff: Math.max(...verdicts.map((c) => c.max_abs_diff)),
      differing: verdicts.flatMap((c) => c.differing.map((d) => d.metric)).slice(0, 10),
      wall_s: { wasm: refs[name]!.wall_s, webgpu: r.wall_s },
      statuses: r.bundles.map((b) => b.status),
    };
  }
  return out;
}

async function steps(pref: BackendPref, model: string): Promise<unknown> {
  const b = await initBackend(pref);
  const seconds = Number(process.env.HEADPREP_SMOKE_SECONDS ?? 3);
  const resnetBatch = Number(process.env.HEADPREP_SMOKE_RESNET_BATCH ?? 32);
  if (model === 'cnn-digits') return { backend: b.name, adapter: b.adapter ?? null, step: await timeFtStep({ model: 'cnn-digits', batch: 64, seconds }) };
  if (model !== 'resnet18-cifar') throw new Error(`steps: model must be cnn-digits or resnet18-cifar, got "${model}"`);
  // One warm-up (it compiles the shaders) and at most 2 timed steps off the GPU: a wasm step takes seconds.
  const step = await timeFtStep({ model: 'resnet18-cifar', batch: resnetBatch, seconds, warmup: 1, maxSteps: b.name === 'webgpu' && !b.adapter?.software ? 100_000 : 2 });
  return { backend: b.name, adapter: b.adapter ?? null, step };
}

async function profile(model: string): Promise<unknown> {
  if (model !== 'cnn-digits' && model !== 'resnet18-cifar') throw new Error(`profile: model must be cnn-digits or resnet18-cifar, got "${model}"`);
  const b = await initBackend('webgpu');
  const batch = model === 'cnn-digits' ? 64 : Number(process.env.HEADPREP_SMOKE_RESNET_BATCH ?? 32);
  return { backend: b.name, adapter: b.adapter ?? null, model, batch, ...(await ftProfile({ model, batch })) };
}

const [part, arg, arg2] = process.argv.slice(2);
try {
  const result = part === 'parity' ? await parity() : part === 'steps' ? await steps((arg ?? 'webgpu') as BackendPref, arg2 ?? 'cnn-digits') : part === 'profile' ? await profile(arg ?? 'cnn-digits') : null;
  if (result === null) throw new Error(`usage: tsx scripts/gpu-smoke.ts parity | steps <backend> <model> | profile [model] (got "${part}")`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await runReleaseHooks();
}
