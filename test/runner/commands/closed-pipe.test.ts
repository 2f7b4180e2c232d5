/** `headprep suites | head`: a reader that stops early ends the output quietly (exit 0, no stack trace). */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { BIN } from '../../fixtures/cli';

it('exits 0 without an EPIPE trace when stdout is closed early', async () => {
  const child = spawn(process.execPath, [BIN, 'suites'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // like `| head -0`: the reader is gone before the command writes
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).not.toMatch(/EPIPE|Unhandled/);
  expect(code).toBe(0);
}, 60_000);
