/**
 * The first hour of a submitter, through real HTTP on 127.0.0.1: a new key -> a run in
 * the README's layout (runs/tiny) -> `submit runs` finds it in the subfolder and says the key is
 * pending and the results are not ranked -> `keys approve <short id>` with the admin token ->
 * the results are signed (ranked). Also: an empty folder is an error, not "nothing to submit".
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../fixtures/cli';
import { useCliSite } from '../../_helpers/cli-site';

vi.mock('server-only', () => ({}));

const ADMIN = 'keys-approve-admin-token';

describe('submit with a pending key, then headprep keys approve', () => {
  const w = useCliSite({ tmpPrefix: 'headprep-approve-', adminToken: ADMIN, env: { HEADPREP_RETRIES: '0', ADMIN_TOKEN: '' } });
  beforeAll(() => w.start());

  it('finds runs/tiny from runs, says the key is pending, and approves it by its short id', async () => {
    const { dir, env, url } = w;
    const created = await runCli(['keys', 'create'], env);
    expect(created.code, created.stderr).toBe(0);
    const keyid = /key id\s+([0-9a-f]{64})/.exec(created.stdout)![1]!;
    const short = keyid.slice(0, 12);
    const reg = await runCli(['keys', 'register', '--site', url, '--name', 'first hour', '--contact', 'me@example.org'], env);
    expect(reg.stdout).toContain('status pending');

    await mkdir(join(dir, 'empty'));
    const none = await runCli(['submit', join(dir, 'empty'), '--site', url], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no result files .* or their subfolders\. Run a suite first/);

    const run = await runCli(['run', 'tiny@1', '--out', join(dir, 'runs', 'tiny'), '--jobs', '1'], env, 300_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/: 8 cells \(0 already done, 8 to run in \d+ probe groups?\)/);

    const sent = await runCli(['submit', join(dir, 'runs'), '--site', url], env);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout.match(/accepted \(key pending: not ranked yet\)/g)).toHaveLength(8);
    expect(sent.stderr).toContain(`note: key ${short} is pending. The site stored 8 results from this key but will not rank them`);
    expect(sent.stderr).toContain(`headprep keys approve ${short} --site ${url}`);
    const firstId = / {2}([0-9a-f]{20}) {2}accepted/.exec(sent.stdout)![1]!;
    const before = (await (await fetch(`${url}/api/results/${firstId}`)).json()) as { result: { trust_tier: string } };
    expect(before.result.trust_tier).toBe('pending');

    const noToken = await runCli(['keys', 'approve', short, '--site', url], env);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('needs the site\'s admin token in the environment');
    const wrong = await runCli(['keys', 'approve', short, '--site', url], { ...env, ADMIN_TOKEN: 'not-the-token' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('the site refused the admin token');
    const unknown = await runCli(['keys', 'approve', 'ffffffffffff', '--site', url], { ...env, ADMIN_TOKEN: ADMIN });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no key on the site starts with ffffffffffff');

    const ok = await runCli(['keys', 'approve', short, '--site', url], { ...env, ADMIN_TOKEN: ADMIN });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`approved key ${keyid} ("first hour")`);
    // the first approved key with this name and contact: a new identity, said so
    expect(ok.stdout).toMatch(/identity: a new identity "first hour" \([0-9a-f]{12}\): its reproductions of other identities' results count as independent/);
    const after = (await (await fetch(`${url}/api/results/${firstId}`)).json()) as { result: { trust_tier: string } };
    expect(after.result.trust_tier).toBe('signed');
    // without an id: your own key, now already approved
    const again = await runCli(['keys', 'approve', '--site', url], { ...env, ADMIN_TOKEN: ADMIN });
    expect(again.stdout).toContain(`key ${short} ("first hour") is already approved`);
  }, 300_000);
});
