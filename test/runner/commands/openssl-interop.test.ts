import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';
import { runCli } from '../../fixtures/cli';

const script = new URL('../../../docs/examples/sign-with-openssl.sh', import.meta.url).pathname;
const hasOpenssl = (() => {
  try {
    return execFileSync('openssl', ['version']).toString().startsWith('OpenSSL 3');
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('docs/signing.md worked example (openssl 3 + base64)', () => {
  it('produces an envelope that headprep verify accepts, and rejects it under another key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'headprep-openssl-'));
    const config = makeConfig();
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(makeBundle(config, await fingerprint(config)), null, 2));
    const envelope = execFileSync('bash', [script, 'bundle.json', 'key.pem'], { cwd: dir }).toString();
    writeFileSync(join(dir, 'envelope.json'), envelope);
    const pub = execFileSync('openssl', ['pkey', '-in', 'key.pem', '-pubout'], { cwd: dir }).toString();
    writeFileSync(join(dir, 'pub.pem'), pub);
    const ok = await runCli(['verify', join(dir, 'envelope.json'), '--key', join(dir, 'pub.pem')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('OK tiny@1');

    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', 'other.pem'], { cwd: dir });
    const other = execFileSync('openssl', ['pkey', '-in', 'other.pem', '-pubout'], { cwd: dir }).toString();
    writeFileSync(join(dir, 'other.pub.pem'), other);
    const bad = await runCli(['verify', join(dir, 'envelope.json'), '--key', join(dir, 'other.pub.pem')]);
    expect(bad.code).toBe(1);
  });
});
