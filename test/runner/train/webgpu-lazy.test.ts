/**
 * The CPU path never imports the optional webgpu packages (npm `webgpu`,
 * @tensorflow/tfjs-backend-webgpu): `run --backend wasm`, and `run` with `auto` on a machine
 * without a GPU device node, finish with every such import turned into an error; the guard itself
 * is shown to work on `--backend webgpu`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpuDeviceNodes } from '../../../runner/train/webgpu';
import { BIN, cliEnv } from '../../fixtures/cli';

const NO_WEBGPU = fileURLToPath(new URL('../_helpers/no-webgpu.mjs', import.meta.url));

function runGuarded(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', NO_WEBGPU, BIN, ...args], {
    env: { ...process.env, ...cliEnv(), NO_COLOR: '1', HEADPREP_AUTO_WEBGPU: '' },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the webgpu packages load only when asked for', () => {
  it('run tiny@1 --backend wasm never imports them', () => {
    const r = runGuarded(['run', 'tiny@1', '--backend', 'wasm', '--jobs', '1', '--out', mkdtempSync(join(tmpdir(), 'headprep-lazy-'))]);
    expect(r.out).not.toContain('NO_WEBGPU');
    expect(r.code, r.out).toBe(0);
  }, 180_000);

  it.skipIf(gpuDeviceNodes().length > 0)('run with auto, on a machine without a GPU device node, never imports them', () => {
    const r = runGuarded(['run', 'tiny@1', '--jobs', '1', '--out', mkdtempSync(join(tmpdir(), 'headprep-lazy-'))]);
    expect(r.out).not.toContain('NO_WEBGPU');
    expect(r.code, r.out).toBe(0);
  }, 180_000);

  it('the guard works: --backend webgpu does import them', () => {
    const r = runGuarded(['run', 'tiny@1', '--backend', 'webgpu', '--out', mkdtempSync(join(tmpdir(), 'headprep-lazy-'))]);
    expect(r.out).toContain('NO_WEBGPU');
    expect(r.code).not.toBe(0);
  }, 180_000);
});
