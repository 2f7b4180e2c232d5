/** The doctor's GPU checks that read files and strings (runner/lib/gpu-check.ts) and its auto prediction. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictAuto } from '../../../../runner/commands/doctor';
import { driverCapabilities, findLibrary, parseNvidiaSmi, vulkanIcds } from '../../../../runner/lib/gpu-check';

describe('gpu checks', () => {
  it('parses nvidia-smi --query-gpu=name,driver_version,compute_cap csv', () => {
    expect(parseNvidiaSmi('NVIDIA H100 80GB HBM3, 550.54.15, 9.0\nNVIDIA A100-SXM4-40GB, 535.104.05, 8.0\n')).toEqual([
      { name: 'NVIDIA H100 80GB HBM3', driver: '550.54.15', compute_cap: '9.0' },
      { name: 'NVIDIA A100-SXM4-40GB', driver: '535.104.05', compute_cap: '8.0' },
    ]);
    expect(parseNvidiaSmi('\n')).toEqual([]);
  });

  it('NVIDIA_DRIVER_CAPABILITIES: Vulkan needs graphics (or all); unset mounts compute,utility only', () => {
    expect(driverCapabilities(undefined)).toMatchObject({ value: null, graphics: false });
    expect(driverCapabilities('compute,utility')).toMatchObject({ graphics: false, compute: true });
    expect(driverCapabilities('compute,utility').note).toMatch(/graphics,compute,utility/);
    expect(driverCapabilities('graphics,compute,utility')).toMatchObject({ graphics: true, compute: true });
    expect(driverCapabilities('all')).toMatchObject({ graphics: true, compute: true });
  });

  it('reads the ICD files VK_DRIVER_FILES names and resolves their libraries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-icd-'));
    const lib = join(dir, 'libGLX_nvidia.so.0');
    writeFileSync(lib, '');
    writeFileSync(join(dir, 'nvidia_icd.json'), JSON.stringify({ file_format_version: '1.0.0', ICD: { library_path: lib, api_version: '1.3.277' } }));
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ ICD: { library_path: join(dir, 'absent.so') } }));
    writeFileSync(join(dir, 'broken.json'), '{');
    const env = { VK_DRIVER_FILES: [join(dir, 'nvidia_icd.json'), join(dir, 'other.json'), join(dir, 'broken.json')].join(':') };
    const r = vulkanIcds(env);
    expect(r.source).toBe('VK_DRIVER_FILES');
    expect(r.icds[0]).toMatchObject({ nvidia: true, library_path: lib, library_found: lib });
    expect(r.icds[1]).toMatchObject({ nvidia: false, library_found: null });
    expect(r.icds[2]!.error).toBeTruthy();
    // A bare soname resolves through LD_LIBRARY_PATH first.
    expect(findLibrary('libGLX_nvidia.so.0', { LD_LIBRARY_PATH: dir })).toBe(lib);
    expect(findLibrary('libdefinitely-not-here.so.9', { LD_LIBRARY_PATH: dir })).toBeNull();
  });

  it('auto: tfjs-node-gpu first, then a hardware adapter (only with a device node), never a software one', () => {
    const base = { tfjsNodeGpu: false, tfjsNode: false, hardwareAdapter: null, deviceNodes: 0, softwareAdapter: null };
    expect(predictAuto({ ...base, tfjsNodeGpu: true, hardwareAdapter: 'NVIDIA H100', deviceNodes: 1 }).backend).toBe('tensorflow');
    expect(predictAuto({ ...base, hardwareAdapter: 'NVIDIA H100 via vulkan', deviceNodes: 1 })).toMatchObject({ backend: 'webgpu' });
    const soft = predictAuto({ ...base, softwareAdapter: 'llvmpipe via opengl, SOFTWARE adapter' });
    expect(soft.backend).toBe('wasm');
    expect(soft.why).toMatch(/software WebGPU adapter .*never picks/);
    expect(predictAuto({ ...base, softwareAdapter: 'llvmpipe', tfjsNode: true }).backend).toBe('tensorflow');
  });
});
