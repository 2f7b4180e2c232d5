/**
 * What the CLI tells users about their own data, through real HTTP on 127.0.0.1 (PGlite):
 * `submit` of a rerun of a stored (fingerprint, seed) says it was recorded as a reproduction of
 * that result, with links; a bundle edited after signing is caught by submit, verify and report,
 * naming the file and what to do; `verify` finds the signer of a site envelope (--site) or of a
 * reference envelope (seed/) and says which key it used.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { insertPendingKey, setKeyStatus } from '../../../../db/mutations/keys';
import { utf8 } from '../../../../contract';
import { newKey, signBundle } from '../../../fixtures/api';
import { validBundle } from '../../../fixtures/bundle';
import { runCli } from '../../../fixtures/cli';
import { useCliSite } from '../../_helpers/cli-site';

vi.mock('server-only', () => ({}));

describe('the CLI says what happened to your data', () => {
  const w = useCliSite({ tmpPrefix: 'headprep-trust-cli-', env: { HEADPREP_RETRIES: '1', HEADPREP_RETRY_BASE_MS: '20' } });
  let ownerResultId: string;

  beforeAll(async () => {
    const { db, env, url } = w;
    await w.start();
    // the owner's result, stored first
    const owner = await newKey();
    await insertPendingKey(db, { publicKeyRaw: owner.raw, name: 'owner lab', contact: 'owner@example.org' });
    await setKeyStatus(db, owner.keyid, 'approved');
    const r = await fetch(`${url}/api/results`, { method: 'POST', body: await signBundle(await validBundle(7), owner), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
    ownerResultId = ((await r.json()) as { id: string }).id;
    // the user's key, approved
    expect((await runCli(['keys', 'create'], env)).code).toBe(0);
    const reg = await runCli(['keys', 'register', '--site', url, '--name', 'rerun lab', '--contact', 'rerun@example.org'], env);
    expect(reg.code, reg.stderr).toBe(0);
    const keyid = /[0-9a-f]{64}/.exec((await runCli(['keys', 'show'], env)).stdout)![0];
    await setKeyStatus(db, keyid, 'approved');
  }, 120_000);

  it('submit of a rerun of a stored pair: "recorded as an exact reproduction of <id>" with links', async () => {
    const { dir, env, url } = w;
    const runs = join(dir, 'runs');
    await mkdir(runs, { recursive: true });
    const b = await validBundle(7);
    b.started_at = new Date(Date.parse(b.started_at) + 3_600_000).toISOString();
    b.finished_at = new Date(Date.parse(b.finished_at) + 3_600_000).toISOString();
    b.summary!.wall_time_s += 0.5;
    await writeFile(join(runs, 'rerun.bundle.json'), JSON.stringify(b, null, 2));
    const r = await runCli(['submit', runs, '--site', url], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`recorded as an exact reproduction of ${ownerResultId}  ${url}/results/${ownerResultId}#reproductions  (reproduction ${url}/api/reproductions/`);
  }, 60_000);

  it('a bundle edited after signing: submit skips it, verify and report say which file and what to do', async () => {
    const { dir, env, url } = w;
    const runs = join(dir, 'runs');
    const file = join(runs, 'rerun.bundle.json');
    const b = JSON.parse(await readFile(file, 'utf8')) as { summary: { test_acc: number } };
    b.summary.test_acc = 0.99;
    await writeFile(file, JSON.stringify(b, null, 2));
    const s = await runCli(['submit', runs, '--site', url], env);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/skipped .*rerun\.bundle\.json no longer matches the bundle signed in .*rerun\.envelope\.json .*delete rerun\.envelope\.json and sign again/);
    const v = await runCli(['verify', join(runs, 'rerun.envelope.json')], env);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/signature OK, but .*rerun\.bundle\.json no longer matches/);
    const rep = await runCli(['report', runs], env);
    expect(rep.stderr).toMatch(/warning: .*rerun\.bundle\.json no longer matches .*this report shows the edited file's numbers/);
  }, 60_000);

  it("verify of a site envelope finds the signer with --site and says so; without it, names the key and the options", async () => {
    const { dir, env, url } = w;
    const file = join(dir, 'site.envelope.json');
    await writeFile(file, utf8.decode(new Uint8Array(await (await fetch(`${url}/api/results/${ownerResultId}/envelope`)).arrayBuffer())));
    const without = await runCli(['verify', file], env);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/INVALID unknown_key: signed by key [0-9a-f]{12}, which is not the key checked\. Pass the signer's public key \(--key <pub\.pem>\), or --site <url>/);
    const withSite = await runCli(['verify', file, '--site', url], env);
    expect(withSite.code, withSite.stderr).toBe(0);
    expect(withSite.stdout).toMatch(/: OK tiny@1 .* \(key "owner lab" \(approved\) from http:\/\/127\.0\.0\.1:\d+\/api\/keys\/[0-9a-f]{12}…\)/);
  }, 60_000);

  it('verify of a reference envelope names the reference key file it used', async () => {
    const { env } = w;
    // the committed reference envelopes are gzipped JSON lines (seed/README.md): verify the first
    // line of one, written out as the envelope file a user would download
    const seedDir = join(process.cwd(), 'seed', 'envelopes');
    const packed = (await readdir(seedDir)).filter((f) => f.endsWith('.jsonl.gz')).sort()[0]!;
    const line = gunzipSync(await readFile(join(seedDir, packed))).toString('utf8').split('\n')[0]!;
    const dir = await mkdtemp(join(tmpdir(), 'headprep-verify-ref-'));
    const file = join(dir, 'reference.envelope.json');
    await writeFile(file, line);
    const r = await runCli(['verify', file], env);
    await rm(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: OK .*\(the project's reference key .*seed\/reference-key(-\d+)?\.pub\.pem\)/);
  }, 60_000);
});
