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
 *
 * Issue 14 rows (first): the runner's own FT step (runner/run/step-timer.ts) on wasm against the same
 * model, loss and optimiser in PyTorch 1.13 with one thread (bench/suites/torch-step.py, run by
 * /usr/bin/python3 or $HEADPREP_BENCH_PYTHON), interleaved rounds ($HEADPREP_BENCH_ROUNDS, default 5),
 * best of each, the load average of every round beside it; a missing PyTorch is recorded, not fatal.
 * Each row also has the step's arithmetic floor (its matmul/convolution kernels alone, tf.profile)
 * and ratio_ceiling, the ratio a step reduced to that floor would reach.
 * Then the same step on native TensorFlow (tfjs-node-gpu / tfjs-node) wherever it is installed
 * ("not installed" recorded otherwise). HEADPREP_BENCH_QUICK=1 stops after these rows.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CellConfig, Suite } from '../../contract';
import type { BenchResult, BenchSuite } from '../types';
import { measureRunnerStep, measureStep, type StepBackend, type StepModel, type StepResult, type StepSpec } from './runner-train-step';

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
    // A backend that cannot train the model is a result, not a crash (docs/engineering.md,
    // 'Measuring').
    return { name, params: { ...params, error: (e as Error).message.split('\n')[0]! }, metrics: { failed_count: 1 } };
  }
}

/** The PyTorch peer (bench/suites/torch-step.py) as a long-lived process answering one request per line. */
class TorchPeer {
  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly lines: AsyncIterator<string>,
    readonly version: string,
  ) {}

  /** Starts /usr/bin/python3 (Debian's python3-torch); null with the reason when it cannot. */
  static async start(): Promise<TorchPeer | { error: string }> {
    const python = process.env.HEADPREP_BENCH_PYTHON ?? '/usr/bin/python3';
    // torch.set_num_threads(1) does not reach OpenBLAS (Debian's torch is built against the
    // system BLAS): without these the MLP peer ran its matmuls on two cores (6.4 s of CPU in 4.9 s).
    const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const proc = spawn(python, [new URL('./torch-step.py', import.meta.url).pathname], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const failed = new Promise<{ error: string }>((resolve) => proc.once('error', (e) => resolve({ error: `${python}: ${e.message}` })));
    const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next().then((r) => (r.done ? { error: 'no output' } : (JSON.parse(r.value) as { torch?: string; error?: string }))), failed]);
    if (!('torch' in first) || !first.torch) {
      proc.kill();
      return { error: first.error ?? 'PyTorch peer did not start' };
    }
    return new TorchPeer(proc, lines, first.torch);
  }

  async measure(model: string, batch: number, maxSeconds: number): Promise<{ samples_per_sec: number; step_time_ms: number; cpu_per_wall: number }> {
    this.proc.stdin.write(`${model} ${batch} ${maxSeconds}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error('PyTorch peer exited');
    const v = JSON.parse(r.value) as { samples_per_sec: number; step_time_ms: number; cpu_per_wall: number; error?: string };
    if (v.error) throw new Error(v.error);
    return v;
  }

  close(): void {
    this.proc.stdin.end();
  }
}

/**
 * The runner's finetuning step (ftStep, wasm) against the same model, loss and optimiser in PyTorch
 * with one thread: ROUNDS interleaved rounds (HeadPrep then PyTorch, each timed for a few seconds),
 * best of each, ratio = HeadPrep / PyTorch. Each round's load average is kept with its numbers.
 */
async function versusPyTorch(model: 'cnn-digits' | 'mlp-digits', batch: number, peer: TorchPeer | { error: string }): Promise<BenchResult> {
  const ROUNDS = Number(process.env.HEADPREP_BENCH_ROUNDS ?? 5);
  const name = `${model} finetune step, HeadPrep wasm vs PyTorch 1 thread [batch ${batch}], best of ${ROUNDS} interleaved`;
  const hp: number[] = [];
  const pt: number[] = [];
  const ptCpu: number[] = [];
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    hp.push((await measureRunnerStep({ model, backend: 'wasm', batch, steps: 100_000, maxSeconds: 3 })).samples_per_sec);
    if (peer instanceof TorchPeer) {
      const m = await peer.measure(model, batch, 3);
      pt.push(m.samples_per_sec);
      ptCpu.push(Math.round(m.cpu_per_wall * 100) / 100);
    }
    loads.push(Math.round(loadavg()[0]! * 100) / 100);
  }
  const best = Math.max(...hp);
  // The step's matrix-product and convolution kernels alone (runner/run/step-timer.ts): no removal
  // of overhead can take the step below this on wasm, so floor_samples_per_sec / PyTorch is the
  // ratio this backend's kernels allow.
  const { arithmeticFloorMs } = await import('../../runner/run/step-timer');
  const floor = await arithmeticFloorMs({ model, batch });
  const floorSps = (batch * 1000) / floor.floor_ms;
  const params = {
    model,
    batch,
    rounds: ROUNDS,
    headprep_samples_per_sec_all: hp.map((x) => x.toFixed(0)).join(','),
    load_avg_1m_per_round: loads.join(','),
    ...load(),
  };
  if (!(peer instanceof TorchPeer))
    return { name, params: { ...params, pytorch: `not measured: ${peer.error}` }, metrics: { headprep_samples_per_sec: best, arithmetic_floor_ms: floor.floor_ms } };
  const bestPt = Math.max(...pt);
  return {
    name,
    // pytorch_cpu_per_wall: the peer's CPU seconds per wall second, about 1 when it used one thread.
    params: { ...params, pytorch_version: peer.version, pytorch_samples_per_sec_all: pt.map((x) => x.toFixed(0)).join(','), pytorch_cpu_per_wall_all: ptCpu.join(',') },
    metrics: { headprep_samples_per_sec: best, pytorch_samples_per_sec: bestPt, ratio: best / bestPt, arithmetic_floor_ms: floor.floor_ms, ratio_ceiling: floorSps / bestPt },
    targets: { ratio: { op: '>=', value: 0.5 } },
  };
}

/** The runner's step on native TensorFlow (tfjs-node-gpu / tfjs-node): "not installed" is recorded, not crashed. */
async function nativeStep(model: 'cnn-digits' | 'mlp-digits', batch: number): Promise<BenchResult> {
  const name = `${model} finetune step [tensorflow, batch ${batch}]`;
  try {
    const r = await measureRunnerStep({ model, backend: 'tensorflow', batch, steps: 100_000, maxSeconds: 5 });
    const { tf } = await import('../../runner/train/tf');
    await tf.setBackend('wasm');
    return { name, params: { model, batch, ...load() }, metrics: { samples_per_sec: r.samples_per_sec, step_time_ms: r.step_time_ms } };
  } catch (e) {
    return { name, params: { model, batch, status: 'not installed', error: (e as Error).message.split('\n')[0]!.slice(0, 300) }, metrics: { failed_count: 1 } };
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
    const peer = await TorchPeer.start();
    try {
      out.push(await versusPyTorch('cnn-digits', 64, peer));
      out.push(await versusPyTorch('mlp-digits', 128, peer));
    } finally {
      if (peer instanceof TorchPeer) peer.close();
    }
    out.push(await nativeStep('cnn-digits', 64));
    out.push(await nativeStep('mlp-digits', 128));
    if (process.env.HEADPREP_BENCH_QUICK) return out;
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
