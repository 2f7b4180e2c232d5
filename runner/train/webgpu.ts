/**
 * The webgpu backend: @tensorflow/tfjs-backend-webgpu on Dawn (npm `webgpu`, a prebuilt
 * dawn.node: Vulkan on Linux, Metal on macOS, D3D12 on Windows; no CUDA toolkit). Both packages
 * are optional dependencies, imported only from here, and this module is imported only when
 * `--backend webgpu` is asked for or `auto` found a hardware adapter (runner/train/backend.ts):
 * the CPU path and `headprep --help` never load them.
 *
 * Adapters: `auto` takes a hardware adapter only; it never picks a software one (llvmpipe,
 * lavapipe, SwiftShader: slower than wasm). An explicit `--backend webgpu` prefers hardware and
 * otherwise runs on a software adapter, and says so (that is how CI and CPU-only machines test
 * this path: Mesa's llvmpipe through OpenGL ES, compatibility feature level, EGL surfaceless).
 *
 * Node specifics: tfjs-backend-webgpu looks for `navigator.gpu` and the GPU* constants on
 * globalThis when it is imported and when the backend is created, so both are put in place first
 * (Node 20 has no navigator; Node 21+ has a getter, hence defineProperty). Dawn has been seen to
 * keep a process alive until navigator.gpu is released (with webgpu 0.6.2 on Mesa here the process
 * exited either way, after a training run too), so releaseWebGpu() (run by the CLI when a command
 * ends, via runner/lib/release-hooks.ts) disposes the backend, destroys the device and removes
 * navigator.gpu regardless.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerWebGpuKernels } from '../kernels/webgpu';
import { onRelease } from '../lib/release-hooks';
import { tf } from './tf';

/** What a bundle records about the adapter (contract: environment.gpu_adapter). */
export interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Dawn's backend API: vulkan, metal, d3d12 (the platform's default) or opengl. */
  api: string;
  /** WebGPU feature level the adapter was requested with (core, or compatibility for OpenGL ES). */
  feature_level: 'core' | 'compatibility';
  /** A CPU rasteriser (llvmpipe, lavapipe, SwiftShader ...): correct, but slower than wasm. */
  software: boolean;
}

export interface AdapterAttempt {
  api: string;
  flags: string[];
  featureLevel: 'core' | 'compatibility';
}

const DEFAULT_API = process.platform === 'darwin' ? 'metal' : process.platform === 'win32' ? 'd3d12' : 'vulkan';

/** Extra Dawn flags for every attempt, comma-separated (e.g. enable-dawn-features=allow_unsafe_apis). */
const EXTRA_FLAGS = (process.env.HEADPREP_DAWN_FLAGS ?? '').split(',').filter(Boolean);

/** The adapters tried, in order: the platform's native API, then OpenGL (ES) via EGL. */
export const ADAPTER_ATTEMPTS: readonly AdapterAttempt[] = [
  { api: DEFAULT_API, flags: [...EXTRA_FLAGS], featureLevel: 'core' },
  ...(process.platform === 'linux' ? [{ api: 'opengl', flags: ['backend=opengl', ...EXTRA_FLAGS], featureLevel: 'compatibility' as const }] : []),
];

const SOFTWARE_RE = /llvmpipe|lavapipe|softpipe|swiftshader|software ?rasteri[sz]er|microsoft basic render/i;

/** Whether an adapter is a CPU rasteriser, by its names (Dawn does not flag llvmpipe as a fallback adapter). */
export function isSoftwareAdapter(a: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean }): boolean {
  return Boolean(a.isFallbackAdapter) || SOFTWARE_RE.test(`${a.vendor} ${a.architecture} ${a.device} ${a.description}`);
}

/** One line naming an adapter: "NVIDIA H100 (nvidia ampere; NVIDIA 550.54) via vulkan". */
export function adapterLabel(a: GpuAdapterInfo): string {
  const name = a.device || a.description || a.vendor || 'unknown adapter';
  const extra = [a.vendor, a.architecture].filter(Boolean).join(' ');
  const desc = a.description && a.description !== name ? a.description : '';
  const inner = [extra, desc].filter(Boolean).join('; ');
  return `${name}${inner ? ` (${inner})` : ''} via ${a.api}${a.software ? ', SOFTWARE adapter' : ''}`;
}

/**
 * Whether this machine can have a hardware GPU adapter at all, without loading Dawn: on Linux a
 * GPU device node (/dev/nvidia0 or /dev/dri/renderD*); macOS and Windows always may. `auto` skips
 * the probe (and Dawn) when there is none, so CPU-only machines pay nothing.
 */
export function gpuDeviceNodes(): string[] {
  if (process.platform !== 'linux') return ['(not Linux: adapters are probed)'];
  const nodes: string[] = [];
  for (let i = 0; i < 16; i++) if (existsSync(`/dev/nvidia${i}`)) nodes.push(`/dev/nvidia${i}`);
  try {
    for (const f of readdirSync('/dev/dri')) if (f.startsWith('renderD')) nodes.push(`/dev/dri/${f}`);
  } catch {
    // no /dev/dri
  }
  return nodes;
}

export interface ProbedAdapter extends AdapterAttempt {
  adapter: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter: boolean } | null;
  error?: string;
}

export interface ProbeResult {
  ok: boolean;
  /** One entry per attempt when the child finished. */
  adapters: ProbedAdapter[];
  /** Why the child gave no answer (crashed, timed out, no output). */
  failure: string | null;
  ms: number;
}

/**
 * Lists the adapters Dawn returns, in a child process (runner/train/webgpu-probe.mjs): a crashing
 * driver kills the child, not the runner.
 */
export function probeAdaptersInChild(attempts: readonly AdapterAttempt[] = ADAPTER_ATTEMPTS, timeoutMs = 30_000): ProbeResult {
  const t0 = performance.now();
  const script = fileURLToPath(new URL('./webgpu-probe.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script, JSON.stringify(attempts)], { encoding: 'utf8', timeout: timeoutMs, env: process.env });
  const ms = performance.now() - t0;
  const tail = (r.stderr ?? '').trim().split('\n').filter(Boolean).slice(-3).join(' | ');
  if (r.error) return { ok: false, adapters: [], failure: `probe did not run: ${r.error.message}`, ms };
  if (r.signal) return { ok: false, adapters: [], failure: `probe crashed (signal ${r.signal})${tail ? `: ${tail}` : ''}`, ms };
  const line = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, adapters: JSON.parse(line) as ProbedAdapter[], failure: null, ms };
  } catch {
    return { ok: false, adapters: [], failure: `probe exited ${r.status} without a result${tail ? `: ${tail}` : ''}`, ms };
  }
}

/** Summarises a probe: the first hardware adapter, the first software one, and why others were skipped. */
export function classifyProbe(p: ProbeResult): { hardware: ProbedAdapter | null; software: ProbedAdapter | null; notes: string[] } {
  const notes: string[] = [];
  let hardware: ProbedAdapter | null = null;
  let software: ProbedAdapter | null = null;
  if (!p.ok) notes.push(`webgpu: ${p.failure}`);
  for (const a of p.adapters) {
    if (!a.adapter) {
      notes.push(`webgpu ${a.api}: no adapter${a.error ? ` (${a.error})` : ''}`);
      continue;
    }
    const soft = isSoftwareAdapter(a.adapter);
    if (soft) {
      notes.push(`webgpu ${a.api}: software adapter ${a.adapter.device || a.adapter.description} (auto never picks one; --backend webgpu does)`);
      software ??= a;
    } else hardware ??= a;
  }
  return { hardware, software, notes };
}

interface GpuLike {
  requestAdapter(o?: { featureLevel?: string; powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features: { has(f: string): boolean };
  limits: Record<string, number>;
  requestDevice(d?: unknown): Promise<DeviceLike>;
}
interface DeviceLike {
  destroy(): void;
}

interface Active {
  device: DeviceLike;
  info: GpuAdapterInfo;
}
let active: Active | null = null;

function infoOf(a: AdapterLike, attempt: AdapterAttempt): GpuAdapterInfo {
  const i = a.info ?? {};
  const raw = { vendor: i.vendor ?? '', architecture: i.architecture ?? '', device: i.device ?? '', description: i.description ?? '', isFallbackAdapter: Boolean(i.isFallbackAdapter ?? a.isFallbackAdapter) };
  return {
    vendor: raw.vendor.slice(0, 128),
    architecture: raw.architecture.slice(0, 128),
    device: raw.device.slice(0, 256),
    description: raw.description.slice(0, 256),
    api: attempt.api,
    feature_level: attempt.featureLevel,
    software: isSoftwareAdapter(raw),
  };
}

function setNavigatorGpu(gpu: unknown): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: gpu, configurable: true, writable: true });
}

function clearNavigatorGpu(): void {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav && Object.getOwnPropertyDescriptor(nav, 'gpu')?.configurable) delete (nav as { gpu?: unknown }).gpu;
}

/** The adapter of the active webgpu backend, or null. */
export function activeAdapter(): GpuAdapterInfo | null {
  return active?.info ?? null;
}

/**
 * Creates the webgpu backend on the first adapter `accept` takes (attempts in order) and makes it
 * tfjs's active backend. Returns the adapter, or throws an Error saying what was found instead.
 */
export async function activateWebGpu(opts: { allowSoftware: boolean; attempts?: readonly AdapterAttempt[] }): Promise<GpuAdapterInfo> {
  if (active && tf.findBackend('webgpu')) {
    if (!opts.allowSoftware && active.info.software) throw new Error(`webgpu: only a software adapter is active (${adapterLabel(active.info)})`);
    if (!(await tf.setBackend('webgpu'))) throw new Error('webgpu: the backend did not initialise');
    return active.info;
  }
  let webgpu: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    webgpu = (await import(/* @vite-ignore */ ['web', 'gpu'].join(''))) as typeof webgpu;
  } catch (e) {
    throw new Error(`npm package "webgpu" is not installed (${(e as Error).message.split('\n')[0]}); install it with: npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0`);
  }
  const notes: string[] = [];
  type Found = { gpu: GpuLike; adapter: AdapterLike; info: GpuAdapterInfo };
  let chosen: Found | null = null;
  let fallback: Found | null = null;
  for (const attempt of opts.attempts ?? ADAPTER_ATTEMPTS) {
    if (attempt.flags.includes('backend=opengl') && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
    try {
      const gpu = webgpu.create(attempt.flags);
      const adapter = await gpu.requestAdapter({ featureLevel: attempt.featureLevel, powerPreference: 'high-performance' });
      if (!adapter) {
        notes.push(`${attempt.api}: no adapter`);
        continue;
      }
      const info = infoOf(adapter, attempt);
      if (!info.software) {
        chosen = { gpu, adapter, info };
        break;
      }
      notes.push(`${attempt.api}: software adapter ${info.device || info.description}`);
      fallback ??= { gpu, adapter, info };
    } catch (e) {
      notes.push(`${attempt.api}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (!chosen && opts.allowSoftware) chosen = fallback;
  if (!chosen) throw new Error(`webgpu: no ${opts.allowSoftware ? '' : 'hardware '}adapter (${notes.join('; ') || 'none tried'})`);

  // The GPU* constants (GPUBufferUsage, GPUMapMode, ...) and navigator.gpu, before the import.
  for (const [k, v] of Object.entries(webgpu.globals)) if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  setNavigatorGpu(chosen.gpu);
  let backendPkg: { WebGPUBackend: new (device: unknown, info: unknown) => tf.KernelBackend };
  try {
    backendPkg = (await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-backend-webgpu'].join('/'))) as typeof backendPkg;
  } catch (e) {
    clearNavigatorGpu();
    throw new Error(`npm package "@tensorflow/tfjs-backend-webgpu" is not installed (${(e as Error).message.split('\n')[0]}); install it with: npm install @tensorflow/tfjs-backend-webgpu@4.22.0`);
  }
  const { adapter, info } = chosen;
  // The package registers a factory that asks navigator.gpu for an adapter without a feature
  // level (none on OpenGL ES); ours creates the device on the adapter chosen above, with the
  // same features and limits the package asks for.
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new backendPkg.WebGPUBackend(device, adapter.info), 3);
  registerWebGpuKernels();
  active = { device, info };
  onRelease(releaseWebGpu);
  if (!(await tf.setBackend('webgpu'))) {
    releaseWebGpu();
    throw new Error(`webgpu: the backend did not initialise on ${adapterLabel(info)}`);
  }
  return info;
}

/**
 * Disposes the webgpu backend, destroys its device and removes navigator.gpu, so Dawn lets the
 * process exit. Safe to call more than once; a later activateWebGpu starts afresh.
 */
export function releaseWebGpu(): void {
  if (!active) return;
  const a = active;
  active = null;
  try {
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  } catch {
    // already removed
  }
  try {
    a.device.destroy();
  } catch {
    // already destroyed
  }
  clearNavigatorGpu();
}
