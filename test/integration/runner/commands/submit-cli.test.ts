/**
 * End to end through real HTTP on 127.0.0.1: keys create -> keys register -> admin approve ->
 * run tiny@1 -> submit while the site is down (stops at once, nothing lost, all queued) -> submit once it is up
 * (each delivered once) -> results readable through the API with byte-identical envelopes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { countResults } from '../../../../db/queries/results';
import { runCli } from '../../../fixtures/cli';
import { useCliSite } from '../../_helpers/cli-site';

vi.mock('server-only', () => ({}));

const ADMIN = 'e2e-admin-token';

describe('headprep keys register + submit against a real HTTP site', () => {
  const w = useCliSite({ tmpPrefix: 'headprep-submit-', adminToken: ADMIN, env: { HEADPREP_RETRIES: '2', HEADPREP_RETRY_BASE_MS: '20' } });

  it('delivers everything exactly once across a site outage', async () => {
    const { dir, env, url: siteUrl } = w;
    const created = await runCli(['keys', 'create'], env);
    expect(created.code, created.stderr).toBe(0);
    const keyid = /key id\s+([0-9a-f]{64})/.exec(created.stdout)![1]!;

    // Registration: down -> clear error; up -> pending; again -> idempotent.
    const down = await runCli(['keys', 'register', '--site', siteUrl, '--name', 'e2e lab', '--contact', 'e2e@example.org'], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach/);
    await w.start();
    const reg = await runCli(['keys', 'register', '--site', siteUrl, '--name', 'e2e lab', '--contact', 'e2e@example.org'], env);
    expect(reg.code, reg.stderr).toBe(0);
    expect(reg.stdout).toContain(`registered ${keyid}`);
    expect(reg.stdout).toContain('status pending');
    const approve = await fetch(`${siteUrl}/api/admin/keys/${keyid}/approve`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(approve.status).toBe(200);
    const again = await runCli(['keys', 'register', '--site', siteUrl, '--name', 'e2e lab', '--contact', 'e2e@example.org'], env);
    expect(again.stdout).toContain('already registered');
    expect(again.stdout).toContain('status approved');
    await w.stop();

    // A real run of the CI suite: bundles (and envelopes, since a key exists).
    const out = join(dir, 'runs');
    const run = await runCli(['run', 'tiny@1', '--out', out, '--jobs', '1'], env, 300_000);
    expect(run.code, run.stderr).toBe(0);
    const bundles = (await readdir(out)).filter((f) => f.endsWith('.bundle.json'));
    expect(bundles.length).toBe(8);

    // Site down: nothing lost, everything queued in the outbox; one line, no retries (refused is final).
    const first = await runCli(['submit', out, '--site', siteUrl], env);
    expect(first.code).toBe(1);
    expect(first.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^headprep submit: cannot reach .* \(connection refused\); 8 envelopes kept in the outbox /)]);
    expect(await countResults(w.db)).toBe(0);
    const outboxDirs = await readdir(join(dir, 'config', 'outbox'));
    expect(outboxDirs).toHaveLength(1);
    expect((await readdir(join(dir, 'config', 'outbox', outboxDirs[0]!))).filter((f) => f.endsWith('.envelope.json'))).toHaveLength(8);

    // Site up: the next submit (no files named) sends the outbox, each result once.
    await w.start();
    const second = await runCli(['submit', '--site', siteUrl], env);
    expect(second.code, second.stderr).toBe(0);
    const lines = second.stdout.trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const l of lines) expect(l).toMatch(new RegExp(`  [0-9a-f]{20}  accepted  ${siteUrl}/results/[0-9a-f]{20}$`));
    expect(await countResults(w.db)).toBe(8);
    expect((await readdir(join(dir, 'config', 'outbox', outboxDirs[0]!))).filter((f) => f.endsWith('.envelope.json'))).toHaveLength(0);

    // Submitting the files again is idempotent: same ids, no new rows.
    const third = await runCli(['submit', out, '--site', siteUrl], env);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout.match(/already stored/g)).toHaveLength(8);
    expect(await countResults(w.db)).toBe(8);

    // Readable through the API: each envelope file byte-identical to what the site serves.
    for (const line of third.stdout.trim().split('\n')) {
      const [file, id] = line.split(/\s{2}/) as [string, string];
      const served = await fetch(`${siteUrl}/api/results/${id}/envelope`);
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(await readFile(file))).toBe(true);
      const detail = (await (await fetch(`${siteUrl}/api/results/${id}`)).json()) as { result: { trust_tier: string; suite: string } };
      expect(detail.result).toMatchObject({ trust_tier: 'signed', suite: 'tiny@1' });
    }
  }, 300_000); // a real tiny@1 run and seven CLI processes on a shared 2-core machine
});
