import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, cliEnv, runCli } from '../../fixtures/cli';

const NO_TFJS = fileURLToPath(new URL('../../fixtures/no-tfjs.mjs', import.meta.url));

describe('headprep doctor', () => {
  it('names the backend and times a finetuning step (wasm)', async () => {
    const r = await runCli(['doctor', '--backend', 'wasm', '--seconds', '0.5'], cliEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^backend\s+wasm$/m);
    expect(r.stdout).toMatch(/^tfjs\s+@tensorflow\/tfjs-core 4\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/^wasm\s+SIMD (on|off), threads/m);
    expect(r.stdout).toMatch(/^ {2}heap SIMD\s+on \(fused SGD update, Sum\/Mean, Transpose, convolution gradients\)$/m);
    expect(r.stdout).toMatch(/^step\s+cnn-digits finetune step, batch 64: best \d+\.\d\d ms, mean \d+\.\d\d ms over \d+ steps = \d+ samples\/s$/m);
    expect(r.stdout).not.toMatch(/leaked/);
  }, 120_000);

  it('--json on the cpu backend: the step of the mlp model, no tensor leak', async () => {
    const r = await runCli(['doctor', '--backend', 'cpu', '--seconds', '0.3', '--json'], cliEnv());
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { backend: string; wasm: unknown; native: { package: string | null }; step: { model: string; batch: number; best_step_ms: number; steps_timed: number; tensor_growth: number } };
    expect(j.backend).toBe('cpu');
    expect(j.wasm).toBeNull();
    expect(j.native.package).toBeNull();
    expect(j.step.model).toBe('mlp-digits');
    expect(j.step.batch).toBe(128);
    expect(j.step.best_step_ms).toBeGreaterThan(0);
    expect(j.step.steps_timed).toBeGreaterThanOrEqual(1);
    expect(j.step.tensor_growth).toBe(0);
  }, 120_000);

  it('--json reports the GPU path: checks, the adapter from a child probe, and which backend auto picks and why', async () => {
    const r = await runCli(['doctor', '--json', '--seconds', '0.3', '--model', 'mlp-digits'], cliEnv());
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      backend: string;
      auto: { backend: string; why: string };
      gpu: {
        nvidia_smi: { gpus: unknown[]; error: string | null };
        libvulkan: string | null;
        vulkan_icds: { icds: unknown[] };
        nvidia_driver_capabilities: { graphics: boolean };
        adapters: { ok: boolean; adapters: { api: string; adapter: { device: string } | null }[] };
        hardware_adapter: string | null;
        software_adapter: string | null;
        webgpu_step: { ran: boolean; skipped_because: string | null };
      };
    };
    expect(j.auto.backend).toBe(j.backend);
    expect(j.auto.why.length).toBeGreaterThan(0);
    // The probe child finished and answered for every attempt (an adapter, or why none).
    expect(j.gpu.adapters.ok).toBe(true);
    expect(j.gpu.adapters.adapters.length).toBeGreaterThan(0);
    expect(j.gpu.nvidia_smi.gpus.length > 0 || j.gpu.nvidia_smi.error !== null).toBe(true);
    expect(typeof j.gpu.nvidia_driver_capabilities.graphics).toBe('boolean');
    if (!j.gpu.hardware_adapter) {
      // auto never takes a software adapter, and the doctor does not time one unless asked.
      expect(j.backend).not.toBe('webgpu');
      expect(j.gpu.webgpu_step.ran).toBe(false);
      if (j.gpu.software_adapter) expect(j.gpu.software_adapter).toMatch(/SOFTWARE adapter/);
    }
  }, 120_000);

  it('--backend webgpu times the step in a child process on the adapter Dawn returns, shader compile apart', async () => {
    const r = await runCli(['doctor', '--backend', 'webgpu', '--json', '--seconds', '0.3', '--model', 'mlp-digits', '--batch', '16'], cliEnv());
    const probe = JSON.parse((await runCli(['doctor', '--json', '--seconds', '0.2', '--model', 'mlp-digits'], cliEnv())).stdout) as { gpu: { hardware_adapter: string | null; software_adapter: string | null } };
    if (!probe.gpu.hardware_adapter && !probe.gpu.software_adapter) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/backend "webgpu" is not available/);
      return;
    }
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      backend: string;
      adapter: { device: string; software: boolean; api: string };
      auto: { backend: string };
      step: { model: string; batch: number; first_step_ms: number; best_step_ms: number; tensor_growth: number };
      gpu: { webgpu_step: { ran: boolean; error: string | null } };
    };
    expect(j.backend).toBe('webgpu');
    expect(j.gpu.webgpu_step).toMatchObject({ ran: true, error: null });
    expect(j.adapter.software).toBe(!probe.gpu.hardware_adapter);
    expect(j.step).toMatchObject({ model: 'mlp-digits', batch: 16, tensor_growth: 0 });
    expect(j.step.first_step_ms).toBeGreaterThan(0);
    if (j.adapter.software) expect(j.auto.backend).not.toBe('webgpu');
  }, 240_000);

  it('--backend tensorflow without the native package says how to install it', async () => {
    let native = false;
    for (const pkg of ['tfjs-node-gpu', 'tfjs-node'])
      try {
        await import(/* @vite-ignore */ ['@tensorflow', pkg].join('/'));
        native = true;
      } catch {
        // not installed
      }
    const r = await runCli(['doctor', '--backend', 'tensorflow', '--seconds', '0.5'], cliEnv());
    if (native) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^backend\s+tensorflow$/m);
    } else {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/backend "tensorflow" is not available .*npm install @tensorflow\/tfjs-node-gpu/s);
    }
  }, 120_000);

  it('--help never loads TensorFlow.js; a bad option says what is expected', async () => {
    const h = spawnSync(process.execPath, ['--import', NO_TFJS, BIN, 'doctor', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toMatch(/^Usage: headprep doctor/);
    expect(h.stdout).toMatch(/headprep doctor --backend tensorflow/);
    const bad = await runCli(['doctor', '--backend', 'gpu'], cliEnv());
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--backend: expected one of auto, tensorflow, webgpu, wasm, cpu/);
  }, 120_000);
});
