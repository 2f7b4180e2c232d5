/**
 * `headprep doctor`: what this machine will run HeadPrep on, and how fast. Prints the runner and
 * Node versions, the TensorFlow.js version, the GPU path (runner/lib/gpu-check.ts; Dawn's
 * adapter and a webgpu step in child processes), which backend initialises (and why the preferred
 * ones did not) and which one auto picks, the native package and its devices when there is one
 * (tfjs-node-gpu: CUDA), the wasm build's SIMD / threads, and a timed finetuning step.
 * TensorFlow.js is loaded only after the arguments are read, so `doctor --help` never loads it.
 */
import { shortId } from '../../contract';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { usageError } from '../lib/args';
import { CliError } from '../lib/cli-error';
import type { StepTiming } from '../run/step-timer';
import type { GpuAdapterInfo } from '../train/webgpu';
import type { Command } from './types';
import { defineCommand } from './define';

const usage = `Usage: headprep doctor [--backend <name>] [--model <name>] [--batch <n>] [--seconds <s>] [--json]

Checks the setup HeadPrep runs on and times one finetuning step:
  - runner, Node, OS, CPU; TensorFlow.js version;
  - the GPU path, each check in a child process or from files (a crashing driver cannot stop
    the doctor): nvidia-smi (GPU name, driver, compute capability), libvulkan.so.1, the Vulkan
    ICD files and their libraries (an NVIDIA one?), NVIDIA_DRIVER_CAPABILITIES in a container,
    libXext.so.6, the WebGPU adapter Dawn returns (flagged when it is a software adapter although
    an NVIDIA GPU is present), and a timed webgpu step (the first one, with shader compilation,
    reported apart) when there is a hardware adapter or --backend webgpu asks for it;
  - tfjs-node-gpu (the expert CUDA path) when installed: libtensorflow and the CUDA 11 / cuDNN 8
    libraries it needs, and the CUDA kernel cache settings;
  - the backend that initialises (auto: tfjs-node-gpu, then webgpu on a hardware adapter, then
    tfjs-node, then wasm, then cpu) and why the ones before it were skipped, and which backend
    auto picks and why; for wasm whether SIMD and threads are on;
  - a timed finetuning step of the runner's own code (forward, cross-entropy, gradients of every
    variable, Nesterov SGD update) on a digits backbone + linear head: best and mean step time and
    samples/s. Compare it with "npm run bench" numbers or another machine.

A GPU user runs this first (docs/gpu.md):  headprep doctor
The CUDA expert path:  headprep doctor --backend tensorflow
(needs npm install @tensorflow/tfjs-node-gpu, CUDA 11.2 and cuDNN 8.1; it says what is missing).

Options:
  --backend <name>   auto (default) | tensorflow | webgpu | wasm | cpu
  --model <name>     cnn-digits (default; mlp-digits on the cpu backend, where a cnn step takes
                     tens of seconds) | cnn-digits-bn | mlp-digits | resnet18-cifar (32x32x3;
                     a GPU model: seconds per step on wasm)
  --batch <n>        batch size of the timed step (default 64; 128 for mlp-digits)
  --seconds <s>      how long to time steps after 3 warm-up steps (default 3)
  --json             print one JSON object instead of text
  -h, --help         show this help`;

/** Set in the child process that times the webgpu step: it skips the GPU section. */
const CHILD_ENV = 'HEADPREP_DOCTOR_CHILD';
const BIN = fileURLToPath(new URL('../../bin/headprep.mjs', import.meta.url));

interface WebGpuStep {
  ran: boolean;
  /** The child's JSON (backend, adapter, step), when it finished. */
  result: { backend: string; adapter: GpuAdapterInfo | null; skipped: string[]; step: StepTiming } | null;
  error: string | null;
  skipped_because: string | null;
}

/** Times the step on webgpu in a child doctor: a native crash there is reported, not suffered. */
function webgpuStepInChild(model: string | undefined, batch: string | undefined, seconds: number): WebGpuStep {
  const args = [BIN, 'doctor', '--backend', 'webgpu', '--json', '--seconds', String(seconds)];
  if (model) args.push('--model', model);
  if (batch) args.push('--batch', batch);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: (seconds + 180) * 1000, env: { ...process.env, [CHILD_ENV]: '1' } });
  const tail = (r.stderr ?? '')
    .split('\n')
    .filter((l) => l.trim() && !/^\s*at |^Warning: /.test(l))
    .slice(-2)
    .join(' | ');
  if (r.error) return { ran: true, result: null, error: `the webgpu check did not run: ${r.error.message}`, skipped_because: null };
  if (r.signal) return { ran: true, result: null, error: `the webgpu check crashed (signal ${r.signal})${tail ? `: ${tail}` : ''}`, skipped_because: null };
  if (r.status !== 0) return { ran: true, result: null, error: `the webgpu check failed (exit ${r.status})${tail ? `: ${tail}` : ''}`, skipped_because: null };
  try {
    return { ran: true, result: JSON.parse(r.stdout) as WebGpuStep['result'], error: null, skipped_because: null };
  } catch {
    return { ran: true, result: null, error: 'the webgpu check printed no JSON', skipped_because: null };
  }
}

function canResolve(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Which backend `auto` picks on this machine and why, from the facts gathered (without initialising it). */
export function predictAuto(f: { tfjsNodeGpu: boolean; tfjsNode: boolean; hardwareAdapter: string | null; deviceNodes: number; softwareAdapter: string | null }): { backend: string; why: string } {
  if (f.tfjsNodeGpu) return { backend: 'tensorflow', why: '@tensorflow/tfjs-node-gpu is installed (auto tries it first; if it fails to load, the next one below)' };
  if (f.hardwareAdapter && f.deviceNodes > 0) return { backend: 'webgpu', why: `a hardware WebGPU adapter: ${f.hardwareAdapter}` };
  const noGpu = f.hardwareAdapter
    ? 'no GPU device node, so auto does not probe'
    : f.softwareAdapter
      ? `only a software WebGPU adapter (${f.softwareAdapter}), which auto never picks`
      : 'no WebGPU adapter';
  if (f.tfjsNode) return { backend: 'tensorflow', why: `${noGpu}; @tensorflow/tfjs-node is installed` };
  return { backend: 'wasm', why: `${noGpu}; no native TensorFlow: wasm (SIMD) is the fastest CPU backend here` };
}

export const doctorCommand: Command = defineCommand(
  { name: 'doctor', summary: 'check the backend (native TensorFlow / GPU, wasm SIMD and threads) and time a finetuning step', usage, options: { backend: { type: 'string', default: 'auto' }, model: { type: 'string' }, batch: { type: 'string' }, seconds: { type: 'string', default: '3' }, json: { type: 'boolean' } } },
  async ({ values, positionals }) => {
    if (positionals.length) throw usageError(`doctor takes no positional arguments (got ${positionals.join(' ')})`, usage);
    const seconds = Number(values.seconds);
    if (!(seconds > 0 && seconds <= 600)) throw new CliError(`--seconds: expected a number in (0, 600], got "${values.seconds}"`);
    const { BACKEND_PREFS, initBackend } = await import('../train/backend');
    const pref = values.backend as (typeof BACKEND_PREFS)[number];
    if (!BACKEND_PREFS.includes(pref)) throw new CliError(`--backend: expected one of ${BACKEND_PREFS.join(', ')}, got "${values.backend}"`);
    const { STEP_MODELS, timeFtStep } = await import('../run/step-timer');
    if (values.model !== undefined && !STEP_MODELS.includes(values.model as never))
      throw new CliError(`--model: expected one of ${STEP_MODELS.join(', ')}, got "${values.model}"`);
    const batchArg = values.batch === undefined ? null : Number(values.batch);
    if (batchArg !== null && !(Number.isInteger(batchArg) && batchArg >= 1 && batchArg <= 4096)) throw new CliError(`--batch: expected an integer in [1, 4096], got "${values.batch}"`);
    const { RUNNER_VERSION, gitSha } = await import('../version');
    const { tf } = await import('../train/tf');
    const isChild = process.env[CHILD_ENV] === '1';
    const text = !values.json;
    const line = (k: string, v: string) => {
      if (text) console.log(`${k.padEnd(10)} ${v}`);
    };
    const c = cpus();
    line('runner', `${RUNNER_VERSION}${gitSha() ? ` (git ${shortId(gitSha()!)})` : ''}`);
    line('node', `${process.version}, ${process.platform} ${process.arch}, ${c[0]?.model?.trim() ?? 'unknown cpu'} x${c.length}, ${Math.round(totalmem() / 2 ** 30)} GiB`);
    line('tfjs', `@tensorflow/tfjs-core ${tf.version_core}`);

    // The GPU path: files, the linker's cache and child processes only (the webgpu child skips this).
    const w = await import('../train/webgpu');
    const { gpu, webgpuStep, hardwareLabel, softwareLabel, deviceNodes } = isChild
      ? { gpu: null, webgpuStep: null, hardwareLabel: null, softwareLabel: null, deviceNodes: [] as string[] }
      : await gpuFacts(line, text, { pref, model: values.model, batch: values.batch, seconds });

    // The backend asked for. --backend webgpu was timed in the child above (never in this process).
    let backend: { name: string; skipped: string[]; nativePackage: string | null; wasmKernels: string[]; adapter?: GpuAdapterInfo };
    let t: StepTiming;
    if (pref === 'webgpu' && !isChild) {
      const r = webgpuStep?.result;
      if (!r) throw new CliError(`backend "webgpu" is not available: ${webgpuStep?.error ?? 'no result'}\nheadprep doctor --backend auto shows the backend that does start.`, 1);
      backend = { name: 'webgpu', skipped: r.skipped, nativePackage: null, wasmKernels: [], adapter: r.adapter ?? undefined };
      t = r.step;
      line('backend', 'webgpu');
      for (const sk of backend.skipped) line('  skipped', sk);
    } else {
      try {
        backend = await initBackend(pref);
      } catch (e) {
        throw new CliError(`${(e as Error).message}\nheadprep doctor --backend auto shows the backend that does start.`, 1);
      }
      line('backend', `${backend.name}${pref === 'auto' ? ' (auto)' : ''}`);
      for (const sk of backend.skipped) line('  skipped', sk);
      if (backend.adapter) line('  adapter', w.adapterLabel(backend.adapter));
      const model = (values.model ?? (backend.name === 'cpu' ? 'mlp-digits' : 'cnn-digits')) as (typeof STEP_MODELS)[number];
      const batch = batchArg ?? (model === 'mlp-digits' ? 128 : 64);
      if (text) process.stdout.write(`step       timing ${model}, batch ${batch}, on ${backend.name} for ~${seconds} s ...`);
      t = await timeFtStep({ model, batch, seconds });
      if (text) process.stdout.write('\n');
    }

    const { native, wasm } = await backendFacts(line, backend);
    line(
      'step',
      `${t.model} finetune step, batch ${t.batch}: best ${t.best_step_ms.toFixed(2)} ms, mean ${t.mean_step_ms.toFixed(2)} ms over ${t.steps_timed} steps = ${t.samples_per_sec.toFixed(0)} samples/s`,
    );
    if (t.tensor_growth !== 0) line('  warning', `${t.tensor_growth} tensors leaked over ${t.steps_timed} steps`);

    // Which backend auto picks, and why: what auto did (--backend auto), else predicted from the facts above.
    const auto = isChild
      ? null
      : pref === 'auto'
        ? { backend: backend.name, why: backend.skipped.length ? `skipped before it: ${backend.skipped.join('; ')}` : "the first backend in auto's order that started" }
        : predictAuto({
            tfjsNodeGpu: canResolve('@tensorflow/tfjs-node-gpu'),
            tfjsNode: canResolve('@tensorflow/tfjs-node'),
            hardwareAdapter: hardwareLabel,
            deviceNodes: deviceNodes.length,
            softwareAdapter: softwareLabel,
          });
    if (auto) line('auto', `picks ${auto.backend}: ${auto.why}`);

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
            adapter: backend.adapter ?? null,
            skipped: backend.skipped,
            auto,
            gpu,
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
);

type Line = (k: string, v: string) => void;

interface GpuFacts {
  gpu: Record<string, unknown> | null;
  webgpuStep: WebGpuStep | null;
  hardwareLabel: string | null;
  softwareLabel: string | null;
  deviceNodes: string[];
}

/** The GPU path, printed as it is found: files, the linker's cache and child processes only (the webgpu child skips it). */
async function gpuFacts(line: Line, text: boolean, o: { pref: string; model?: string; batch?: string; seconds: number }): Promise<GpuFacts> {
  const g = await import('../lib/gpu-check');
  const w = await import('../train/webgpu');
  const seconds = o.seconds;
  let webgpuStep: WebGpuStep | null = null;
  const smi = g.nvidiaSmi();
  if (smi.gpus.length) for (const d of smi.gpus) line('gpu', `${d.name}, driver ${d.driver}, compute capability ${d.compute_cap}`);
  else line('gpu', `no NVIDIA GPU found (${smi.error ?? 'nvidia-smi lists none'})`);
  const nvidia = smi.gpus.length > 0;
  const deviceNodes = w.gpuDeviceNodes();
  line('  devices', deviceNodes.length ? deviceNodes.join(', ') : 'no GPU device node (/dev/nvidia*, /dev/dri/renderD*)');
  const libvulkan = g.findLibrary('libvulkan.so.1');
  line('  vulkan', libvulkan ? `libvulkan.so.1: ${libvulkan}` : 'libvulkan.so.1 MISSING: the Vulkan loader (Debian/Ubuntu: apt-get install libvulkan1)');
  const icd = g.vulkanIcds();
  if (!icd.icds.length)
    line('  icd', `no Vulkan ICD file (looked in ${icd.source})${nvidia ? ": the NVIDIA driver's nvidia_icd.json is missing (container: NVIDIA_DRIVER_CAPABILITIES needs graphics)" : ''}`);
  for (const f of icd.icds)
    line('  icd', `${f.file}${f.nvidia ? ' (NVIDIA)' : ''}: ${f.error ? `unreadable (${f.error})` : `${f.library_path} ${f.library_found ? `-> ${f.library_found}` : 'NOT FOUND'}`}`);
  const nvidiaIcd = icd.icds.find((f) => f.nvidia) ?? null;
  const container = g.inContainer();
  const caps = g.driverCapabilities(process.env.NVIDIA_DRIVER_CAPABILITIES);
  if (container || caps.value !== null)
    line('  caps', `${container ? 'in a container; ' : ''}NVIDIA_DRIVER_CAPABILITIES ${caps.value === null ? caps.note : `=${caps.value}: ${caps.note}`}`);
  const libxext = g.findLibrary('libXext.so.6');
  line('  libXext', libxext ? `libXext.so.6: ${libxext}` : `libXext.so.6 MISSING (NVIDIA's Vulkan ICD needs it: apt-get install libxext6)`);
  const probe = w.probeAdaptersInChild();
  const cls = w.classifyProbe(probe);
  const label = (a: NonNullable<typeof cls.hardware>) =>
    w.adapterLabel({ ...a.adapter!, api: a.api, feature_level: a.featureLevel, software: w.isSoftwareAdapter(a.adapter!) });
  const hardwareLabel = cls.hardware ? label(cls.hardware) : null;
  const softwareLabel = cls.software ? label(cls.software) : null;
  if (hardwareLabel) line('  adapter', hardwareLabel);
  if (softwareLabel) line('  adapter', softwareLabel);
  if (!hardwareLabel && !softwareLabel) line('  adapter', `none (${cls.notes.join('; ') || 'no attempt'})`);
  const softwareWithNvidia = nvidia && !hardwareLabel;
  if (softwareWithNvidia)
    line(
      '  warning',
      `an NVIDIA GPU is present but Dawn returned ${softwareLabel ? 'only a SOFTWARE adapter' : 'no adapter'}: check libvulkan.so.1, the NVIDIA ICD, NVIDIA_DRIVER_CAPABILITIES and libXext above (docs/gpu.md)`,
    );
  // The webgpu step, in a child: on a hardware adapter, or when --backend webgpu asks for it.
  if (hardwareLabel || o.pref === 'webgpu') {
    if (text) process.stdout.write(`  webgpu   timing the step in a child process ...`);
    webgpuStep = webgpuStepInChild(o.model, o.batch, seconds);
    if (text) process.stdout.write('\n');
    const r = webgpuStep.result;
    if (r)
      line(
        '  webgpu',
        `${r.step.model} step, batch ${r.step.batch}, on ${r.adapter ? w.adapterLabel(r.adapter) : 'webgpu'}: first step (shader compile) ${r.step.first_step_ms?.toFixed(0) ?? '?'} ms; then best ${r.step.best_step_ms.toFixed(2)} ms, mean ${r.step.mean_step_ms.toFixed(2)} ms = ${r.step.samples_per_sec.toFixed(0)} samples/s`,
      );
    else line('  webgpu', `FAILED: ${webgpuStep.error}`);
  } else {
    webgpuStep = { ran: false, result: null, error: null, skipped_because: softwareLabel ? 'software adapter only (--backend webgpu times it)' : 'no adapter' };
    line('  webgpu', `step not timed: ${webgpuStep.skipped_because}`);
  }
  const tng = g.tfjsNodeGpu();
  if (tng.installed) {
    line('tfjs-node-gpu', `installed (${tng.package_dir}); libtensorflow ${tng.libtensorflow ?? 'MISSING (its install step downloads it)'}`);
    if (tng.missing.length) line('  missing', `${tng.missing.join(', ')} (CUDA 11.2 / cuDNN 8.1 libraries: docs/gpu.md; never CUDA 12 symlinked under 11 names)`);
    for (const [lib, at] of Object.entries(tng.cuda_libraries)) line('  lib', `${lib}: ${at ?? 'not found'}`);
    line(
      '  cache',
      `CUDA_CACHE_MAXSIZE=${tng.cuda_cache.CUDA_CACHE_MAXSIZE ?? '(unset: 256 MiB, too small for sm_80+ JIT)'} CUDA_CACHE_PATH=${tng.cuda_cache.CUDA_CACHE_PATH ?? '(unset: ~/.nv/ComputeCache)'}`,
    );
  }
  const gpu = {
    nvidia_smi: smi,
    device_nodes: deviceNodes,
    libvulkan,
    vulkan_icds: icd,
    nvidia_icd: nvidiaIcd,
    container,
    nvidia_driver_capabilities: caps,
    libxext,
    adapters: probe,
    hardware_adapter: hardwareLabel,
    software_adapter: softwareLabel,
    software_adapter_with_nvidia: softwareWithNvidia,
    webgpu_step: webgpuStep,
    tfjs_node_gpu: tng,
  };
  return { gpu, webgpuStep, hardwareLabel, softwareLabel, deviceNodes };
}

interface BackendFacts {
  native: { package: string | null; gpu_in_use: boolean | null; nvidia_smi: string[] };
  wasm: { simd: boolean; threads: boolean; threads_count: number | null; custom_kernels: string[]; heap_simd: boolean } | null;
}

/** What the started backend runs on, printed: the native package and its GPU, or the wasm features and kernels. */
async function backendFacts(line: Line, backend: { name: string; nativePackage: string | null; wasmKernels: string[] }): Promise<BackendFacts> {
  const { tf } = await import('../train/tf');
  const g = await import('../lib/gpu-check');
  const native: { package: string | null; gpu_in_use: boolean | null; nvidia_smi: string[] } = { package: backend.nativePackage, gpu_in_use: null, nvidia_smi: [] };
  if (backend.name === 'tensorflow') {
    const b = tf.backend() as { isUsingGpuDevice?: boolean };
    native.gpu_in_use = typeof b.isUsingGpuDevice === 'boolean' ? b.isUsingGpuDevice : null;
    native.nvidia_smi = g.nvidiaSmi().gpus.map((d) => `${d.name} (driver ${d.driver}, compute ${d.compute_cap})`);
    line('native', `${backend.nativePackage}; GPU in use: ${native.gpu_in_use === null ? 'unknown' : native.gpu_in_use ? 'yes' : 'no'}`);
    for (const d of native.nvidia_smi) line('  device', d);
    if (backend.nativePackage === '@tensorflow/tfjs-node-gpu' && native.gpu_in_use === false)
      line('  hint', 'tfjs-node-gpu loaded but runs on the CPU: check CUDA 11.2 / cuDNN 8.1 and LD_LIBRARY_PATH');
  } else line('native', 'none (npm install @tensorflow/tfjs-node-gpu for CUDA, or @tensorflow/tfjs-node for native CPU)');
  let wasm: { simd: boolean; threads: boolean; threads_count: number | null; custom_kernels: string[]; heap_simd: boolean } | null = null;
  if (backend.name === 'wasm') {
    const wm = await import('@tensorflow/tfjs-backend-wasm');
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean;
    let count: number | null = null;
    try {
      count = wm.getThreadsCount();
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
  return { native, wasm };
}
