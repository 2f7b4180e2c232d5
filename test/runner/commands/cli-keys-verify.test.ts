import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  exportPublicKeyRaw,
  generateKeyPair,
  fingerprint,
  fromBase64,
  importPrivateKeyPem,
  publicKeyFromPrivate,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  toBase64,
  utf8,
} from '../../../contract';
import { makeBundle, makeConfig } from '../../fixtures/bundle';
import { runCli } from '../../fixtures/cli';

const dir = mkdtempSync(join(tmpdir(), 'headprep-cli-'));
const env = { HEADPREP_CONFIG_DIR: join(dir, 'config') };

describe('headprep keys / verify', () => {
  let envelopePath = '';
  let publicBase64 = '';

  beforeAll(async () => {
    const created = await runCli(['keys', 'create'], env);
    expect(created.code, created.stderr).toBe(0);
    const keyPath = join(dir, 'config', 'key.pem');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const privateKey = await importPrivateKeyPem(readFileSync(keyPath, 'utf8'));
    const publicKey = await publicKeyFromPrivate(privateKey);
    const config = makeConfig();
    const bundle = makeBundle(config, await fingerprint(config));
    const envelope = await signEnvelope(utf8.encode(JSON.stringify(bundle)), RESULT_PAYLOAD_TYPE, privateKey, publicKey);
    envelopePath = join(dir, 'ok.json');
    writeFileSync(envelopePath, JSON.stringify(envelope));
    publicBase64 = /public key\s+(\S+)/.exec(created.stdout)![1]!;
  });

  it('--help works for the CLI and each command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Commands:[\s\S]*verify/);
    for (const verb of ['keys', 'verify']) {
      const r = await runCli([verb, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`headprep ${verb}`);
    }
  });

  it('keys create refuses to overwrite; keys show prints the id and key', async () => {
    const again = await runCli(['keys', 'create'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    const show = await runCli(['keys', 'show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/key id\s+[0-9a-f]{64}/);
    expect(show.stdout).toContain(publicBase64);
    const pem = await runCli(['keys', 'show', '--pem'], env);
    expect(pem.stdout).toContain('BEGIN PUBLIC KEY');
  });

  it('verify: own key, --key base64 and --key PEM file all accept a valid envelope', async () => {
    const own = await runCli(['verify', envelopePath], env);
    expect(own.code, own.stderr).toBe(0);
    expect(own.stdout).toMatch(/OK tiny@1 mlp-digits\/digits-5-9 hp-tau tau=4 seed=0 status=ok/);
    expect((await runCli(['verify', envelopePath, '--key', publicBase64])).code).toBe(0);
    const pemFile = join(dir, 'pub.pem');
    writeFileSync(pemFile, (await runCli(['keys', 'show', '--pem'], env)).stdout);
    expect((await runCli(['verify', envelopePath, '--key', pemFile])).code).toBe(0);
  });

  it('verify: a tampered payload, a wrong key and a schema-invalid bundle fail with the reason', async () => {
    const envelope = JSON.parse(readFileSync(envelopePath, 'utf8'));
    const bytes = fromBase64(envelope.payload);
    bytes[10]! ^= 1;
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify({ ...envelope, payload: toBase64(bytes) }));
    const r = await runCli(['verify', tampered], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('signature_invalid');

    const stranger = await generateKeyPair();
    const other = await runCli(['verify', envelopePath, '--key', toBase64(await exportPublicKeyRaw(stranger.publicKey))]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('unknown_key');
    // 32 bytes that are no curve point are refused as a key before any verification (RFC 8032 strict)
    const notAPoint = await runCli(['verify', envelopePath, '--key', toBase64(new Uint8Array(32).fill(7))]);
    expect(notAPoint.code).toBe(2);
    expect(notAPoint.stderr).toContain('not a point on the Ed25519 curve');

    // signed correctly, but the bundle breaks the schema
    const keyPem = readFileSync(join(dir, 'config', 'key.pem'), 'utf8');
    const priv = await importPrivateKeyPem(keyPem);
    const bad = { ...makeBundle(), summary: { ...makeBundle().summary, test_acc: 3 } };
    const badEnv = await signEnvelope(utf8.encode(JSON.stringify(bad)), RESULT_PAYLOAD_TYPE, priv, await publicKeyFromPrivate(priv));
    const badPath = join(dir, 'bad.json');
    writeFileSync(badPath, JSON.stringify(badEnv));
    const s = await runCli(['verify', badPath], env);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('summary.test_acc');

    const missing = await runCli(['verify', join(dir, 'nope.json')], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
  });
});
