/**
 * The GPU checks of `headprep doctor` (runner/commands/doctor.ts): what the webgpu backend (Dawn
 * on Vulkan) and tfjs-node-gpu (CUDA 11.2 / cuDNN 8.1) need on Linux, read from files, the
 * dynamic linker's cache and child processes (nvidia-smi; Dawn's adapter probe in
 * runner/train/webgpu-probe.mjs), never by loading a GPU library into this process: a crashing
 * driver cannot take the doctor down. docs/gpu.md explains each line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';

export interface NvidiaGpu {
  name: string;
  driver: string;
  compute_cap: string;
}

/** GPUs nvidia-smi lists (name, driver, compute capability), or why it could not say. */
export function nvidiaSmi(): { gpus: NvidiaGpu[]; error: string | null } {
  const r = spawnSync('nvidia-smi', ['--query-gpu=name,driver_version,compute_cap', '--format=csv,noheader'], { encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { gpus: [], error: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'nvidia-smi not found (no NVIDIA driver here)' : r.error.message };
  if (r.status !== 0) return { gpus: [], error: `nvidia-smi exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}` };
  return { gpus: parseNvidiaSmi(r.stdout), error: null };
}

export function parseNvidiaSmi(csv: string): NvidiaGpu[] {
  return csv
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name = '', driver = '', cap = ''] = l.split(',').map((s) => s.trim());
      return { name, driver, compute_cap: cap };
    });
}

let ldCache: Map<string, string> | null = null;

/** The dynamic linker's cache (ldconfig -p): soname -> path. */
function ldconfig(): Map<string, string> {
  if (ldCache) return ldCache;
  ldCache = new Map();
  for (const bin of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    const r = spawnSync(bin, ['-p'], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0 || !r.stdout) continue;
    for (const line of r.stdout.split('\n')) {
      const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)/.exec(line);
      if (m && !ldCache.has(m[1]!) && !m[2]!.includes('32')) ldCache.set(m[1]!, m[3]!);
    }
    break;
  }
  return ldCache;
}

/** Where the dynamic linker would find a library (LD_LIBRARY_PATH first, then its cache), or null. */
export function findLibrary(soname: string, env: Record<string, string | undefined> = process.env): string | null {
  for (const dir of (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    const p = join(dir, soname);
    if (existsSync(p)) return p;
  }
  return ldconfig().get(soname) ?? null;
}

export interface IcdFile {
  file: string;
  library_path: string | null;
  /** Where library_path resolves (absolute path that exists, or the linker's answer for a bare name). */
  library_found: string | null;
  nvidia: boolean;
  error?: string;
}

const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/nvidia/share/vulkan/icd.d'];

/**
 * The Vulkan ICD manifests the loader reads: VK_DRIVER_FILES (or the older VK_ICD_FILENAMES) when
 * set, else the standard directories (plus /usr/local/nvidia/share/vulkan/icd.d, where GPU
 * containers often mount NVIDIA's, outside the loader's default search: then set VK_DRIVER_FILES).
 */
export function vulkanIcds(env: Record<string, string | undefined> = process.env): { source: string; icds: IcdFile[] } {
  const explicit = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  let files: string[];
  let source: string;
  if (explicit) {
    source = env.VK_DRIVER_FILES ? 'VK_DRIVER_FILES' : 'VK_ICD_FILENAMES';
    files = explicit.split(':').filter(Boolean);
  } else {
    source = ICD_DIRS.join(', ');
    files = [];
    for (const d of ICD_DIRS) {
      try {
        for (const f of readdirSync(d).sort()) if (f.endsWith('.json')) files.push(join(d, f));
      } catch {
        // no such directory
      }
    }
  }
  const icds = files.map((file): IcdFile => {
    const nvidiaName = /nvidia/i.test(file);
    try {
      const j = JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: string } };
      const lib = j.ICD?.library_path ?? null;
      let found: string | null = null;
      if (lib) found = isAbsolute(lib) ? (existsSync(lib) ? lib : null) : lib.includes('/') ? (existsSync(join(dirname(file), lib)) ? join(dirname(file), lib) : null) : findLibrary(lib, env);
      return { file, library_path: lib, library_found: found, nvidia: nvidiaName || /nvidia/i.test(lib ?? '') };
    } catch (e) {
      return { file, library_path: null, library_found: null, nvidia: nvidiaName, error: (e as Error).message.split('\n')[0] };
    }
  });
  return { source, icds };
}

/** Whether this process runs in a container (Docker, Podman, Kubernetes). */
export function inContainer(): boolean {
  if (existsSync('/.dockerenv') || existsSync('/run/.containerenv')) return true;
  try {
    return /docker|kubepods|containerd|libpod/.test(readFileSync('/proc/1/cgroup', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * NVIDIA_DRIVER_CAPABILITIES as the NVIDIA container toolkit reads it: which driver pieces it
 * mounts. Vulkan (and so webgpu) needs `graphics`; the default (`compute,utility`) has no ICD.
 */
export function driverCapabilities(value: string | undefined): { value: string | null; graphics: boolean; compute: boolean; note: string } {
  if (value === undefined) return { value: null, graphics: false, compute: false, note: 'unset (the container toolkit then mounts compute,utility only: no Vulkan ICD)' };
  const caps = new Set(value.split(',').map((s) => s.trim().toLowerCase()));
  const all = caps.has('all');
  const graphics = all || caps.has('graphics');
  const compute = all || caps.has('compute');
  return {
    value,
    graphics,
    compute,
    note: graphics ? 'includes graphics: the NVIDIA Vulkan ICD is mounted' : 'lacks graphics: the NVIDIA Vulkan ICD is not mounted; set NVIDIA_DRIVER_CAPABILITIES=graphics,compute,utility',
  };
}

export interface TfjsNodeGpuCheck {
  installed: boolean;
  package_dir: string | null;
  libtensorflow: string | null;
  /** Libraries libtensorflow needs that the linker cannot find (ldd "not found"). */
  missing: string[];
  /** CUDA 11 / cuDNN 8 sonames libtensorflow 2.9 loads at run time, and where they are. */
  cuda_libraries: Record<string, string | null>;
  /** The CUDA kernel JIT cache settings (sm_80+ compiles every kernel on first use). */
  cuda_cache: { CUDA_CACHE_MAXSIZE: string | null; CUDA_CACHE_PATH: string | null; CUDA_CACHE_DISABLE: string | null };
}

const CUDA11_LIBS = ['libcudart.so.11.0', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10', 'libcurand.so.10', 'libcusolver.so.11', 'libcusparse.so.11', 'libcudnn.so.8'];

/** tfjs-node-gpu (the expert path, docs/gpu.md): installed? its libtensorflow and the CUDA 11 / cuDNN 8 libraries. */
export function tfjsNodeGpu(env: Record<string, string | undefined> = process.env): TfjsNodeGpuCheck {
  const cuda_cache = { CUDA_CACHE_MAXSIZE: env.CUDA_CACHE_MAXSIZE ?? null, CUDA_CACHE_PATH: env.CUDA_CACHE_PATH ?? null, CUDA_CACHE_DISABLE: env.CUDA_CACHE_DISABLE ?? null };
  let dir: string | null = null;
  try {
    dir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu/package.json'));
  } catch {
    return { installed: false, package_dir: null, libtensorflow: null, missing: [], cuda_libraries: {}, cuda_cache };
  }
  const cuda_libraries = Object.fromEntries(CUDA11_LIBS.map((l) => [l, findLibrary(l, env)]));
  const candidates = [join(dir, 'deps', 'lib', 'libtensorflow.so.2'), join(dir, 'deps', 'lib', 'libtensorflow.so')];
  const lib = candidates.find((p) => existsSync(p)) ?? null;
  const missing: string[] = [];
  if (lib) {
    const r = spawnSync('ldd', [lib], { encoding: 'utf8', timeout: 15_000 });
    for (const line of (r.stdout ?? '').split('\n')) {
      const m = /^\s*(\S+)\s+=>\s+not found/.exec(line);
      if (m) missing.push(m[1]!);
    }
  }
  return { installed: true, package_dir: dir, libtensorflow: lib, missing, cuda_libraries, cuda_cache };
}
