import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../runner/commands/index';
import { makeBundle } from '../fixtures/bundle';
import { BIN } from '../fixtures/cli';

const NO_TFJS = fileURLToPath(new URL('../fixtures/no-tfjs.mjs', import.meta.url));

/** Runs the CLI with every @tensorflow/* import turned into an error. */
function runWithoutTfjs(args: string[]) {
  const cfg = mkdtempSync(join(tmpdir(), 'headprep-cfg-'));
  const r = spawnSync(process.execPath, ['--import', NO_TFJS, BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', HEADPREP_CONFIG_DIR: cfg },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the CLI loads a command module only when its verb runs', () => {
  it("the table's summaries are the modules' own, and every module's verb is in the table", async () => {
    for (const entry of COMMAND_TABLE) {
      const cmd = await entry.load();
      expect(cmd.name).toBe(entry.name);
      expect(cmd.summary).toBe(entry.summary);
    }
    expect(new Set(COMMAND_TABLE.map((c) => c.name)).size).toBe(COMMAND_TABLE.length);
  }, 60_000);

  it('--help, verify, report, submit, sign, keys and datasets never import TensorFlow.js', () => {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-lazy-'));
    mkdirSync(join(dir, 'runs', 'tiny'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    writeFileSync(join(dir, 'runs', 'tiny', 'a.bundle.json'), JSON.stringify(makeBundle()));
    const cases: Array<[string[], number]> = [
      [['--help'], 0],
      [['verify', '--help'], 0],
      [['sign', '--help'], 0],
      [['keys', '--help'], 0],
      [['datasets'], 0],
      [['report', join(dir, 'runs')], 0], // finds runs/tiny
      // nothing to submit: a non-zero exit, but from the command itself, not from a tfjs import
      [['submit', join(dir, 'empty'), '--site', 'http://127.0.0.1:9'], 1],
    ];
    for (const [args, code] of cases) {
      const r = runWithoutTfjs(args);
      expect(r.out, args.join(' ')).not.toContain('NO_TFJS');
      expect(r.code, `${args.join(' ')}: ${r.out}`).toBe(code);
    }
  }, 120_000);

  it('the guard works: `run` does import TensorFlow.js', () => {
    const r = runWithoutTfjs(['run', 'tiny@1', '--help']);
    expect(r.out).toContain('NO_TFJS');
  }, 60_000);
});
