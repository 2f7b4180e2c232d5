/**
 * Runner training speed. Per backend, for the cnn-digits and mlp-digits finetuning step
 * (backbone + 10-way linear head, SGD momentum, all variables) at batch 64 and 128:
 *   - wasm        : tfjs-backend-wasm + runner/kernels (what `headprep run` uses)
 *   - wasm-stock  : tfjs-backend-wasm as shipped (CNN training fails: recorded, not crashed)
 *   - cpu         : the pure-JS backend, capped to a few steps (it is ~500x slower on the CNN)
 * then `--jobs 2` scaling (two worker threads, one tfjs each, vs one), the cost of a 10-point tau
 * sweep versus its finetuning epochs alone, and peak RSS.
 *
 * Warm-up steps are excluded and each timed step ends with a dataSync on the loss. The development
 * machine has 2 cores shared with other work: numbers are noisy, rerun before comparing.
 */
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CellConfig, Suite } from '../../contract';
import type { BenchResult, BenchSuite } from '../types';
import { measureStep, type StepBackend, type StepModel, type StepResult, type StepSpec } from './runner-train-step';

const CNN_TARGET = { op: '>=', value: 1000 } as const;

/** The machine's 1-minute load average and core count: on a shared machine, read speeds with it. */
const load = () => ({ load_avg_1m: Math.round(loadavg()[0]! * 100) / 100, cores: cpus().length });

function inWorker(spec: StepSpec): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('../../runner/run/pool-bootstrap.mjs', import.meta.url), {
      workerData: { entry: new URL('./runner-train-worker.ts', import.meta.url).href, spec },
    });
    w.once('message', (r: StepResult) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

async function stepResult(spec: StepSpec): Promise<BenchResult> {
  const name = `${spec.model} finetune step [${spec.backend}, batch ${spec.batch}]`;
  const params = { model: spec.model, backend: spec.backend, batch: spec.batch };
  try {
    const r = await measureStep(spec);
    const targets = spec.model === 'cnn-digits' && spec.backend === 'wasm' ? { samples_per_sec: CNN_TARGET } : undefined;
    return { name, params: { ...params, steps_timed: r.steps_timed, ...load() }, metrics: { samples_per_sec: r.samples_per_sec, step_time_ms: r.step_time_ms }, targets };
  } catch (e) {
    // A backend that cannot train the model is a result, not a crash (style.md habit 6).
    return { name, params: { ...params, error: (e as Error).message.split('\n')[0]! }, metrics: { failed_count: 1 } };
  }
}

async function jobsScaling(): Promise<BenchResult> {
  const spec: StepSpec = { model: 'cnn-digits', backend: 'wasm', batch: 64, steps: 200, maxSeconds: 6 };
  // One worker before and after the pair, averaged: the machine's load drifts.
  const before = await inWorker(spec);
  const two = await Promise.all([inWorker(spec), inWorker(spec)]);
  const after = await inWorker(spec);
  const one = { samples_per_sec: (before.samples_per_sec + after.samples_per_sec) / 2 };
  const total2 = two[0]!.samples_per_sec + two[1]!.samples_per_sec;
  return {
    name: 'cnn-digits finetune, --jobs 2 scaling',
    params: { model: 'cnn-digits', backend: 'wasm', batch: 64, ...load() },
    metrics: { jobs1_samples_per_sec: one.samples_per_sec, jobs2_samples_per_sec: total2, speedup_ratio: total2 / one.samples_per_sec },
    targets: { speedup_ratio: { op: '>=', value: 1.7 } },
  };
}

/**
 * A 10-point tau sweep (one job: data + feature cache + one head probe to the largest tau, then
 * 10 finetuning runs from snapshots) versus its finetuning epochs alone. The shared part is the
 * time from the job's start to its first `cell-start` event; ratio = total / (total - shared).
 * Reduced sizes (2 FT epochs, 500 test examples) keep the bench short; the shared part is the same.
 */
async function tauSweepCost(): Promise<BenchResult> {
  const { initBackend } = await import('../../runner/train/backend');
  const { planCells, groupJobs } = await import('../../runner/run/plan');
  const { runJob } = await import('../../runner/run/job');
  const { getSuite } = await import('../../runner/protocols/suites/index');
  const digitsTransferSuite = getSuite('digits-transfer@1');
  const backend = await initBackend('wasm');
  const taus = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256];
  const suite: Suite = {
    ...digitsTransferSuite,
    name: 'bench-tau-sweep',
    grid: { ...digitsTransferSuite.grid, strategies: [{ strategy: { id: 'hp-tau', version: 1 }, taus }], seeds: [0] },
  };
  const cells = (await planCells(suite, { backend })).map(
    (c): CellConfig => ({ ...c, dataset: { ...c.dataset, n_test: 500 }, eval_set_size: 250, ft: { ...c.ft, epochs: 2 } }),
  );
  const jobs = groupJobs(cells);
  if (jobs.length !== 1) throw new Error(`expected one job for the sweep, got ${jobs.length}`);
  const t0 = performance.now();
  let shared = NaN;
  let n = 0;
  for await (const b of runJob(jobs[0]!, {
    backend,
    onEvent: (e) => {
      if (e.kind === 'cell-start' && Number.isNaN(shared)) shared = (performance.now() - t0) / 1000;
    },
  })) {
    if (b.status !== 'ok') throw new Error(`sweep cell failed: ${b.error_message}`);
    n++;
  }
  const total = (performance.now() - t0) / 1000;
  return {
    name: 'cnn-digits 10-point tau sweep vs its FT epochs',
    params: { taus: taus.join(','), cells: n, ft_epochs: 2, n_train: cells[0]!.dataset.n_train },
    metrics: { sweep_total_s: total, shared_probe_s: shared, ft_only_s: total - shared, cost_ratio: total / (total - shared) },
    targets: { cost_ratio: { op: '<=', value: 1.3 } },
  };
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    const models: StepModel[] = ['cnn-digits', 'mlp-digits'];
    for (const model of models)
      for (const batch of [64, 128])
        for (const backend of ['wasm', 'wasm-stock'] as StepBackend[])
          out.push(await stepResult({ model, backend, batch, steps: 200, maxSeconds: 5 }));
    // cpu: a few steps only (cnn-digits takes ~30 s per batch-64 step there).
    out.push(await stepResult({ model: 'mlp-digits', backend: 'cpu', batch: 128, steps: 3, warmup: 1 }));
    out.push(await stepResult({ model: 'cnn-digits', backend: 'cpu', batch: 64, steps: 1, warmup: 1 }));
    out.push(await stepResult({ model: 'cnn-digits-bn', backend: 'wasm', batch: 64, steps: 200, maxSeconds: 5 }));
    out.push(await jobsScaling());
    out.push(await tauSweepCost());
    out.push({ name: 'peak memory', metrics: { peak_rss_mib: process.memoryUsage().rss / 2 ** 20, max_rss_mib: process.resourceUsage().maxRSS / 1024 } });
    return out;
  },
};
export default suite;
