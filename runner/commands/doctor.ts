/**
 * `headprep doctor`: what this machine will run HeadPrep on, and how fast. Prints the runner and
 * Node versions, the TensorFlow.js version, which backend initialises (and why the preferred ones
 * did not), the native package and its devices when there is one (tfjs-node-gpu: CUDA), the wasm
 * build's SIMD / threads, and a timed finetuning step. TensorFlow.js is loaded only after the
 * arguments are read, so `doctor --help` never loads it.
 */
import { shortId } from '../../contract';
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { parseCommandArgs, usageError } from '../lib/args';
import { CliError } from '../lib/cli-error';
import type { Command } from './types';

const usage = `Usage: headprep doctor [--backend <name>] [--model <name>] [--batch <n>] [--seconds <s>] [--json]

Checks the setup HeadPrep runs on and times one finetuning step:
  - runner, Node, OS, CPU; TensorFlow.js version;
  - the backend that initialises (auto: tfjs-node-gpu, then tfjs-node, then wasm, then cpu) and why
    the ones before it were skipped; for native TensorFlow the package and whether it uses a GPU
    (plus the GPUs nvidia-smi lists); for wasm whether SIMD and threads are on;
  - a timed finetuning step of the runner's own code (forward, cross-entropy, gradients of every
    variable, Nesterov SGD update) on a digits backbone + linear head: best and mean step time and
    samples/s. Compare it with "npm run bench" numbers or another machine.

A CUDA user checks the GPU path with:  headprep doctor --backend tensorflow
(needs npm install @tensorflow/tfjs-node-gpu, CUDA 11.2 and cuDNN 8.1; it says what is missing).

Options:
  --backend <name>   auto (default) | tensorflow | wasm | cpu
  --model <name>     cnn-digits (default; mlp-digits on the cpu backend, where a cnn step takes
                     tens of seconds) | cnn-digits-bn | mlp-digits
  --batch <n>        batch size of the timed step (default 64; 128 for mlp-digits)
  --seconds <s>      how long to time steps after 3 warm-up steps (default 3)
  --json             print one JSON object instead of text
  -h, --help         show this help`;

function nvidiaSmi(): string[] {
  const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the backend (native TensorFlow / GPU, wasm SIMD and threads) and time a finetuning step',
  usage,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { backend: { type: 'string', default: 'auto' }, model: { type: 'string' }, batch: { type: 'string' }, seconds: { type: 'string', default: '3' }, json: { type: 'boolean' } },
      usage,
    );
    if (positionals.length) throw usageError(`doctor takes no positional arguments (got ${positionals.join(' ')})`, usage);
    const seconds = Number(values.seconds);
    if (!(seconds > 0 && seconds <= 600)) throw new CliError(`--seconds: expected a number in (0, 600], got "${values.seconds}"`);
    const { BACKEND_PREFS, initBackend } = await import('../train/backend');
    const pref = values.backend as (typeof BACKEND_PREFS)[number];
    if (!BACKEND_PREFS.includes(pref)) throw new CliError(`--backend: expected one of ${BACKEND_PREFS.join(', ')}, got "${values.backend}"`);
    const { STEP_MODELS, timeFtStep } = await import('../run/step-timer');
    const { RUNNER_VERSION, gitSha } = await import('../version');
    const { tf } = await import('../train/tf');
    const text = !values.json;
    const line = (k: string, v: string) => {
      if (text) console.log(`${k.padEnd(10)} ${v}`);
    };
    const c = cpus();
    line('runner', `${RUNNER_VERSION}${gitSha() ? ` (git ${shortId(gitSha()!)})` : ''}`);
    line('node', `${process.version}, ${process.platform} ${process.arch}, ${c[0]?.model?.trim() ?? 'unknown cpu'} x${c.length}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
    line('tfjs', `@tensorflow/tfjs-core ${tf.version_core}`);

    let backend;
    try {
      backend = await initBackend(pref);
    } catch (e) {
      throw new CliError(`${(e as Error).message}\nheadprep doctor --backend auto shows the backend that does start.`, 1);
    }
    line('backend', `${backend.name}${pref === 'auto' ? ' (auto)' : ''}`);
    for (const s of backend.skipped) line('  skipped', s);
    const native: { package: string | null; gpu_in_use: boolean | null; nvidia_smi: string[] } = { package: backend.nativePackage, gpu_in_use: null, nvidia_smi: [] };
    if (backend.name === 'tensorflow') {
      const b = tf.backend() as { isUsingGpuDevice?: boolean };
      native.gpu_in_use = typeof b.isUsingGpuDevice === 'boolean' ? b.isUsingGpuDevice : null;
      native.nvidia_smi = nvidiaSmi();
      line('native', `${backend.nativePackage}; GPU in use: ${native.gpu_in_use === null ? 'unknown' : native.gpu_in_use ? 'yes' : 'no'}`);
      for (const g of native.nvidia_smi) line('  device', g);
      if (backend.nativePackage === '@tensorflow/tfjs-node-gpu' && native.gpu_in_use === false)
        line('  hint', 'tfjs-node-gpu loaded but runs on the CPU: check CUDA 11.2 / cuDNN 8.1 and LD_LIBRARY_PATH');
    } else line('native', 'none (npm install @tensorflow/tfjs-node-gpu for CUDA, or @tensorflow/tfjs-node for native CPU)');
    let wasm: { simd: boolean; threads: boolean; threads_count: number | null; custom_kernels: string[]; heap_simd: boolean } | null = null;
    if (backend.name === 'wasm') {
      const w = await import('@tensorflow/tfjs-backend-wasm');
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
      const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
      let count: number | null = null;
      try {
        count = w.getThreadsCount();
      } catch {
        count = null;
      }
      const { simdKernels } = await import('../kernels/simd');
      const heapSimd = simdKernels(tf.backend() as never) !== null;
      wasm = { simd, threads, threads_count: count, custom_kernels: backend.wasmKernels, heap_simd: heapSimd };
      line('wasm', `SIMD ${simd ? 'on' : 'off'}, threads ${threads ? `on (${count})` : 'off (tfjs-backend-wasm 4.22 turns them off in Node: one core per job; --jobs uses the others)'}`);
      line('  kernels', `custom: ${backend.wasmKernels.join(', ') || 'none'}`);
      line('  heap SIMD', heapSimd ? 'on (fused SGD update, Sum/Mean, Transpose, convolution gradients)' : 'off (stock kernels and op-by-op SGD updates: slower, same results)');
    }

    const model = (values.model ?? (backend.name === 'cpu' ? 'mlp-digits' : 'cnn-digits')) as (typeof STEP_MODELS)[number];
    if (!STEP_MODELS.includes(model)) throw new CliError(`--model: expected one of ${STEP_MODELS.join(', ')}, got "${values.model}"`);
    const batch = values.batch === undefined ? (model === 'mlp-digits' ? 128 : 64) : Number(values.batch);
    if (!(Number.isInteger(batch) && batch >= 1 && batch <= 4096)) throw new CliError(`--batch: expected an integer in [1, 4096], got "${values.batch}"`);
    if (text) process.stdout.write(`step       timing ${model}, batch ${batch}, on ${backend.name} for ~${seconds} s ...`);
    const t = timeFtStep({ model, batch, seconds });
    if (text) process.stdout.write('\n');
    line(
      'step',
      `${model} finetune step, batch ${batch}: best ${t.best_step_ms.toFixed(2)} ms, mean ${t.mean_step_ms.toFixed(2)} ms over ${t.steps_timed} steps = ${t.samples_per_sec.toFixed(0)} samples/s`,
    );
    if (t.tensor_growth !== 0) line('  warning', `${t.tensor_growth} tensors leaked over ${t.steps_timed} steps`);
    if (values.json)
      console.log(
        JSON.stringify(
          {
            runner_version: RUNNER_VERSION,
            git_sha: gitSha(),
            node: process.version,
            cpu: `${c[0]?.model?.trim() ?? 'unknown cpu'} x${c.length}`,
            tfjs_version: tf.version_core,
            backend: backend.name,
            skipped: backend.skipped,
            native,
            wasm,
            step: t,
          },
          null,
          2,
        ),
      );
    return 0;
  },
};
