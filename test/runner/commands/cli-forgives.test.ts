/**
 * The CLI forgives (issue 23): a mistyped option, command or subcommand gets one line with a "did
 * you mean" and the command's short usage, never the whole help; `submit` to a site that cannot be
 * reached stops at once with one line naming the outbox count; `suites` lists every published suite.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SUITES, suiteNeedsText, suiteSlug } from '../../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';
import { runCli } from '../../fixtures/cli';

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('mistakes get a "did you mean" and the short usage', () => {
  it.each([
    [['run', 'tiny@1', '--seed', '0'], /^headprep run: unknown option --seed\. Did you mean "--seeds"\?\nUsage: headprep run /],
    [['runn', 'tiny@1'], /^headprep: unknown command "runn"\. Did you mean "run"\?\nUsage: headprep <command> \[options\]; commands: keys, submit, /],
    [['keys', 'creat'], /^headprep keys: unknown subcommand "creat"\. Did you mean "create"\? Known: create, show, register, approve\.\nUsage: headprep keys /],
    [['submit', '--sit', 'http://x'], /^headprep submit: unknown option --sit\. Did you mean "--site"\?\nUsage: headprep submit /],
    [['report', 'runs', '--jsn'], /^headprep report: unknown option --jsn\. Did you mean "--json"\?\nUsage: headprep report /],
    [['suites', '--cels'], /^headprep suites: unknown option --cels\. Did you mean "--cells"\?\nUsage: headprep suites/],
    [['verify'], /^headprep verify: verify needs at least one envelope file\nUsage: headprep verify /],
  ])('headprep %j', async (args, expected) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    // the short usage: three lines in all, not the options list, nor node's advice about '--'
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(4);
    expect(r.stderr).toMatch(/--help (lists every option|says what each does)\)\n$/);
    expect(r.stderr).not.toMatch(/Options:|Commands:|after '--'/);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('--help still prints the whole usage to stdout, exit 0', async () => {
    const r = await runCli(['submit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: headprep submit[\s\S]*Options:[\s\S]*--jobs <n>/);
  }, 60_000);
});

describe('submit to a site that cannot be reached', () => {
  it('stops at the first refused connection with one line and the outbox count, without retrying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-down-'));
    mkdirSync(join(dir, 'runs'));
    for (let seed = 0; seed < 16; seed++) writeFileSync(join(dir, 'runs', `b${seed}.bundle.json`), JSON.stringify(makeBundle(makeConfig({ seed }))));
    // a retry, were there one, would wait 22.5 s at least: the run below could not end in time
    const env = { HEADPREP_CONFIG_DIR: join(dir, 'config'), HEADPREP_RETRY_BASE_MS: '30000' };
    expect((await runCli(['keys', 'create'], env)).code).toBe(0);
    const site = `http://127.0.0.1:${await closedPort()}`;
    const t0 = Date.now();
    const r = await runCli(['submit', join(dir, 'runs'), '--site', site], env);
    const ms = Date.now() - t0;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^headprep submit: cannot reach ${site} \\(connection refused\\); 16 envelopes kept in the outbox .+: run "headprep submit --site ${site}" when the site is up$`)),
    ]);
    // node + tsx start included: about 1 s on the dev machine, up to 5 s while the whole test suite runs
    expect(ms).toBeLessThan(20_000);
    const [box] = readdirSync(join(dir, 'config', 'outbox'));
    expect(readdirSync(join(dir, 'config', 'outbox', box!)).filter((f) => f.endsWith('.envelope.json'))).toHaveLength(16);

    // DNS failure: the same, for the same outbox size
    const dns = await runCli(['submit', join(dir, 'runs'), '--site', 'http://headprep.invalid'], env);
    expect(dns.code).toBe(1);
    expect(dns.stderr).toMatch(/^headprep submit: cannot reach http:\/\/headprep\.invalid \(DNS: [^)]+\); 16 envelopes kept in the outbox /);
    expect(dns.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});

describe('headprep suites', () => {
  it('lists every published suite, those that need a GPU or a download marked with what they need', async () => {
    const r = await runCli(['suites']);
    expect(r.code, r.stderr).toBe(0);
    const listed = r.stdout.split('\n').filter((l) => /^[a-z0-9-]+@\d+/.test(l));
    expect(listed.map((l) => l.split(' ')[0]).sort()).toEqual(PUBLISHED_SUITES.map(suiteSlug).sort());
    const cifar = listed.find((l) => l.startsWith('cifar10-transfer@2'))!;
    expect(cifar).toBe(`cifar10-transfer@2  [${suiteNeedsText('cifar10-transfer')}]`);
    expect(cifar).toMatch(/GPU.*download: CIFAR-10/);
    expect(listed.find((l) => l.startsWith('tiny@1'))).toBe('tiny@1');
  }, 60_000);
});
