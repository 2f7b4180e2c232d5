/**
 * How the webgpu backend is chosen (runner/train/backend.ts, runner/train/webgpu.ts): software
 * adapters are recognised by name, `auto` never activates one (even when made to probe), and
 * explicit `--backend webgpu` runs on one and says so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../runner/train/backend';
import { classifyProbe, isSoftwareAdapter, probeAdaptersInChild, releaseWebGpu } from '../../../runner/train/webgpu';

const named = (device: string, description = '', vendor = '', architecture = '') => ({ vendor, architecture, device, description });

describe('software adapters', () => {
  it('are recognised by name: llvmpipe, lavapipe, SwiftShader, Microsoft Basic Render; NVIDIA is hardware', () => {
    expect(isSoftwareAdapter(named('llvmpipe-llvm-15-0-6-256-bits-', 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6'))).toBe(true);
    expect(isSoftwareAdapter(named('llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa 22.3.6 (LLVM 15.0.6)', 'mesa', 'cpu'))).toBe(true);
    expect(isSoftwareAdapter(named('lavapipe'))).toBe(true);
    expect(isSoftwareAdapter(named('SwiftShader Device (Subzero)', '', 'google'))).toBe(true);
    expect(isSoftwareAdapter(named('Microsoft Basic Render Driver'))).toBe(true);
    expect(isSoftwareAdapter({ ...named('Some adapter'), isFallbackAdapter: true })).toBe(true);
    expect(isSoftwareAdapter(named('NVIDIA H100 80GB HBM3', 'NVIDIA: 550.54.15 550.54.15.0', 'nvidia', 'hopper'))).toBe(false);
  });

  it('a probe with no adapter classifies as neither, with the reason', () => {
    const c = classifyProbe({ ok: false, adapters: [], failure: 'probe crashed (signal SIGSEGV)', ms: 1 });
    expect(c.hardware).toBeNull();
    expect(c.software).toBeNull();
    expect(c.notes.join(' ')).toMatch(/SIGSEGV/);
  });
});

const probe = classifyProbe(probeAdaptersInChild());

describe('auto and explicit webgpu on this machine', () => {
  afterAll(() => {
    releaseWebGpu();
    delete process.env.HEADPREP_AUTO_WEBGPU;
  });

  it.skipIf(probe.hardware !== null || probe.software === null)('auto, made to probe (HEADPREP_AUTO_WEBGPU=1), skips the software adapter', async () => {
    process.env.HEADPREP_AUTO_WEBGPU = '1';
    const b = await initBackend('auto');
    expect(b.name).not.toBe('webgpu');
    expect(b.skipped.join('\n')).toMatch(/software adapter .*auto never picks one/);
  }, 120_000);

  it('auto without a GPU device node never loads Dawn', async () => {
    process.env.HEADPREP_AUTO_WEBGPU = '';
    const b = await initBackend('auto');
    if (b.name !== 'webgpu') expect(b.skipped.join('\n')).toMatch(/webgpu: (no GPU device node|.*no hardware adapter|.*software adapter)/);
  }, 120_000);

  it.skipIf(probe.software === null || probe.hardware !== null)('explicit webgpu runs on the software adapter and says so', async () => {
    const b = await initBackend('webgpu');
    expect(b.name).toBe('webgpu');
    expect(b.adapter?.software).toBe(true);
    expect(b.skipped.join(' ')).toMatch(/SOFTWARE adapter/);
    releaseWebGpu();
  }, 120_000);
});
