/**
 * Backend selection. `auto` prefers native TensorFlow with CUDA (tfjs-node-gpu: optional, loaded
 * dynamically, never a dependency), then webgpu on a hardware adapter (Dawn: runner/train/webgpu.ts,
 * loaded only when a GPU device node exists and a child-process probe found a hardware adapter),
 * then native TensorFlow on the CPU (tfjs-node), then wasm (single-threaded SIMD in Node), then
 * the pure-JS cpu backend. `auto` never picks a software GPU adapter; `--backend webgpu` may, and
 * says so. The chosen backend is recorded in every bundle (environment.backend, and for webgpu
 * environment.gpu_adapter).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { registerWasmKernels } from '../kernels/index';
import { tf } from './tf';
import type { GpuAdapterInfo } from './webgpu';

export type BackendPref = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_PREFS: readonly BackendPref[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** For 'tensorflow': which native package loaded (tfjs-node-gpu or tfjs-node). */
  nativePackage: string | null;
  /** Custom wasm kernels registered by runner/kernels (diagnostics). */
  wasmKernels: string[];
  /** Why preferred backends were skipped (shown with --verbose / in errors). */
  skipped: string[];
  /** For 'webgpu': the adapter it runs on. */
  adapter?: GpuAdapterInfo;
}

const require = createRequire(import.meta.url);
let wasmPathsSet = false;
let wasmKernels: string[] | null = null;

async function tryNative(skipped: string[], pkgs = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']): Promise<string | null> {
  for (const pkg of pkgs) {
    try {
      // A computed specifier keeps bundlers and tsc from resolving the optional package.
      await import(/* @vite-ignore */ pkg);
      if (await tf.setBackend('tensorflow')) return pkg;
      skipped.push(`${pkg}: loaded but the 'tensorflow' backend did not initialise`);
    } catch (e) {
      skipped.push(`${pkg}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return null;
}

/** Path of tfjs-backend-wasm's dist/ folder (holds the .wasm binaries), with a trailing slash. */
export function wasmDistDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function tryWasm(skipped: string[]): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!wasmPathsSet) {
      wasm.setWasmPaths(wasmDistDir());
      wasmPathsSet = true;
    }
    if (!(await tf.setBackend('wasm'))) {
      skipped.push('wasm: backend did not initialise');
      return false;
    }
    if (wasmKernels === null) wasmKernels = registerWasmKernels();
    return true;
  } catch (e) {
    skipped.push(`wasm: ${(e as Error).message.split('\n')[0]}`);
    return false;
  }
}

/**
 * Initialises and activates a backend. Throws a clear Error when an explicitly requested backend
 * is unavailable; `auto` always succeeds (cpu is built in).
 */
export async function initBackend(pref: BackendPref = 'auto'): Promise<BackendInfo> {
  if (!BACKEND_PREFS.includes(pref)) throw new Error(`--backend: expected one of ${BACKEND_PREFS.join(', ')}, got "${pref}"`);
  const skipped: string[] = [];
  const done = (name: BackendName, nativePackage: string | null = null): BackendInfo => {
    return { name, nativePackage, wasmKernels: name === 'wasm' ? (wasmKernels ?? []) : [], skipped };
  };
  if (pref === 'webgpu') {
    const { activateWebGpu } = await import('./webgpu');
    try {
      const adapter = await activateWebGpu({ allowSoftware: true });
      if (adapter.software) skipped.push(`webgpu: no hardware adapter; running on the SOFTWARE adapter ${adapter.device || adapter.description} (explicitly asked for: correct, but slower than wasm)`);
      return { ...done('webgpu'), adapter };
    } catch (e) {
      throw new Error(
        `backend "webgpu" is not available (${(e as Error).message}). headprep doctor checks the GPU path (Vulkan loader, NVIDIA ICD, driver capabilities); docs/gpu.md`,
      );
    }
  }
  if (pref === 'auto' || pref === 'tensorflow') {
    const pkg = await tryNative(skipped, pref === 'auto' ? ['@tensorflow/tfjs-node-gpu'] : undefined);
    if (pkg) return done('tensorflow', pkg);
    if (pref === 'auto') {
      const adapter = await tryHardwareWebGpu(skipped);
      if (adapter) return { ...done('webgpu'), adapter };
      const cpuPkg = await tryNative(skipped, ['@tensorflow/tfjs-node']);
      if (cpuPkg) return done('tensorflow', cpuPkg);
    }
    if (pref === 'tensorflow')
      throw new Error(
        `backend "tensorflow" is not available (${skipped.join('; ')}). Install it with: npm install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node`,
      );
  }
  if (pref === 'auto' || pref === 'wasm') {
    if (await tryWasm(skipped)) return done('wasm');
    if (pref === 'wasm') throw new Error(`backend "wasm" is not available (${skipped.join('; ')})`);
  }
  await useCpu();
  await tf.ready();
  return done('cpu');
}

/**
 * `auto`'s webgpu step: only where a GPU device node exists (runner/train/webgpu.ts
 * gpuDeviceNodes; none: Dawn is never loaded), a child process lists the adapters (a crashing
 * driver cannot take the runner down), and only a hardware adapter is activated.
 * HEADPREP_AUTO_WEBGPU=0 turns the step off; =1 probes even without a device node.
 */
async function tryHardwareWebGpu(skipped: string[]): Promise<GpuAdapterInfo | null> {
  if (process.env.HEADPREP_AUTO_WEBGPU === '0') {
    skipped.push('webgpu: HEADPREP_AUTO_WEBGPU=0');
    return null;
  }
  const w = await import('./webgpu');
  if (w.gpuDeviceNodes().length === 0 && process.env.HEADPREP_AUTO_WEBGPU !== '1') {
    skipped.push('webgpu: no GPU device node (/dev/nvidia*, /dev/dri/renderD*)');
    return null;
  }
  const probe = w.classifyProbe(w.probeAdaptersInChild());
  if (!probe.hardware) {
    skipped.push(...(probe.notes.length ? probe.notes : ['webgpu: no hardware adapter']));
    return null;
  }
  try {
    return await w.activateWebGpu({ allowSoftware: false, attempts: [probe.hardware] });
  } catch (e) {
    skipped.push((e as Error).message.split('\n')[0]!);
    return null;
  }
}

/**
 * Activates tfjs's cpu backend without its first-use banner ("Hi, looks like you are running
 * TensorFlow.js in Node.js ... install our node backend"): the runner has already picked the best
 * backend it found and reports it (and how to install the native one) itself.
 */
async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

/**
 * Runs `fn` with the cpu backend active, then restores the previous backend. Used for work whose
 * output must be bit-identical on every machine (backbone pretraining: see backbones/mlp-digits.ts).
 */
export async function withCpuBackend<T>(fn: () => Promise<T>): Promise<T> {
  const prev = tf.engine().backendName;
  if (prev === 'cpu') return fn();
  await useCpu();
  try {
    return await fn();
  } finally {
    // Before any initBackend call there is nothing to restore: cpu stays active.
    if (prev) await tf.setBackend(prev);
  }
}
