import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeModel, writeSavedModel } from '../../../runner/backbones/io';
import { instantiateBackbone, layersModelBackbone } from '../../../runner/backbones/index';
import { initBackend } from '../../../runner/train/backend';
import { tf } from '../../../runner/train/tf';
import { runCli } from '../../fixtures/cli';

const env = { HEADPREP_CACHE_DIR: join(tmpdir(), 'headprep-test-cache') };

describe('signing, verifying and reporting real runs', () => {
  it('with a key, run writes envelopes that verify; sign signs unsigned bundles; report summarises', async () => {
    const cfg = mkdtempSync(join(tmpdir(), 'headprep-keys-'));
    const e = { ...env, HEADPREP_CONFIG_DIR: cfg };
    const unsigned = mkdtempSync(join(tmpdir(), 'headprep-unsigned-'));
    expect((await runCli(['run', 'tiny@1', '--jobs', '1', '--out', unsigned], e)).code).toBe(0);
    expect(readdirSync(unsigned).filter((f) => f.endsWith('.envelope.json'))).toHaveLength(0);
    expect((await runCli(['keys', 'create'], e)).code).toBe(0);
    const signed = mkdtempSync(join(tmpdir(), 'headprep-signed-'));
    const r = await runCli(['run', 'tiny@1', '--jobs', '1', '--out', signed], e);
    expect(r.code, r.stderr).toBe(0);
    const envs = readdirSync(signed).filter((f) => f.endsWith('.envelope.json'));
    expect(envs).toHaveLength(8);
    const s = await runCli(['sign', unsigned], e);
    expect(s.stdout).toMatch(/signed 8 bundle/);
    const later = readdirSync(unsigned).filter((f) => f.endsWith('.envelope.json'));
    const v = await runCli(['verify', ...envs.map((f) => join(signed, f)), ...later.map((f) => join(unsigned, f))], e);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout.split('\n').filter((l) => l.includes(': OK '))).toHaveLength(16);
    const rep = await runCli(['report', signed], e);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toMatch(/=== tiny@1\n\n== linear \/ synthetic-linear/);
    // one row per strategy with its tau and n = 1 seed (rank first, then the strategy)
    for (const id of ['lp', 'ft', 'lp-ft', 'hp-tau', 'hp-ls', 'hp-mlp', 'hp-zero', 'hp-temp'])
      expect(rep.stdout).toMatch(new RegExp(`\\n\\d+\\s+${id}\\*?\\s+\\d+\\s+1\\s`));
    expect(rep.stdout).toMatch(/Pre-registered claims on the whole sweep of this cell/);
    expect(rep.stdout).toMatch(/\(iii-a\) \[[A-Z ]+\][\s\S]*\(iii-b\) \[[A-Z ]+\][\s\S]*\(v\) \[[A-Z ]+\][\s\S]*\(vi\) \[[A-Z ]+\]/);
    // one seed per strategy: nothing is testable, and the report says so
    expect(rep.stdout).toMatch(/Nothing is testable/);
    const json = JSON.parse((await runCli(['report', signed, '--json'], e)).stdout) as {
      cells: { rows: { ties_leader: boolean }[]; test: { method: string; permutations: number }; claims: { id: string; power: string }[] }[];
    }[];
    expect(json[0]!.cells[0]!.rows).toHaveLength(8);
    expect(json[0]!.cells[0]!.test).toMatchObject({ method: 'within-seed permutation max-T', permutations: 4999 });
    expect(json[0]!.cells[0]!.rows.every((r) => r.ties_leader)).toBe(true);
    expect(json[0]!.cells[0]!.claims).toHaveLength(7);
    const empty = await runCli(['report', mkdtempSync(join(tmpdir(), 'headprep-empty-'))], e);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no valid bundles/);
  }, 120_000);

  it('list commands and --help work', async () => {
    const s = await runCli(['suites'], env);
    for (const ref of ['tiny@1', 'synthetic-linear@1', 'digits-mlp@1']) expect(s.stdout).toContain(`${ref}\n`);
    expect((await runCli(['datasets'], env)).stdout).toMatch(/digits-5-9\s+K=5 input \[28,28,1\]/);
    const bad = await runCli(['backbones', 'pretrain', 'mlp-digitz'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Did you mean "mlp-digits"/);
    expect((await runCli(['report', '--help'], env)).stdout).toMatch(/tau\* is chosen once per cell on mean\s+VALIDATION/);
    const tfb = await runCli(['run', 'tiny@1', '--backend', 'tensorflow'], env);
    expect(tfb.code).toBe(2);
    expect(tfb.stderr).toMatch(/npm install @tensorflow\/tfjs-node-gpu/);
  }, 120_000);
});

describe('LayersModel backbones from a file or a URL', () => {
  it('loads model.json + weights, cuts at the named feature layer, and checks the sha256', { timeout: 120_000 }, async () => {
    await initBackend('cpu');
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 6, inputShape: [3], name: 'hidden', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }));
    m.add(tf.layers.dense({ units: 2, name: 'logits', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
    const saved = await serializeModel(m);
    const dir = mkdtempSync(join(tmpdir(), 'headprep-lm-'));
    await writeSavedModel(dir, saved);
    const fromFile = layersModelBackbone({ id: 'test-lm', source: join(dir, 'model.json'), featureLayer: 'hidden', inputShape: [3], sha256: saved.sha256 });
    const a = await fromFile.resolve();
    expect(a.sha256).toBe(saved.sha256);
    const bb = await instantiateBackbone(a, 'hidden');
    expect(bb.featDim).toBe(6);
    const x = tf.tensor2d([[1, -2, 3]]);
    const want = tf.relu(tf.add(tf.matMul(x, m.getLayer('hidden').getWeights()[0]!), m.getLayer('hidden').getWeights()[1]!));
    expect(Array.from((bb.model.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(want.dataSync()));
    await expect(instantiateBackbone(a, 'nope')).rejects.toThrow(/no layer "nope" \(layers: .*hidden/);
    await expect(layersModelBackbone({ id: 't2', source: join(dir, 'model.json'), featureLayer: 'hidden', inputShape: [3], sha256: '0'.repeat(64) }).resolve()).rejects.toThrow(
      /does not match the expected/,
    );
    const server = createServer(async (req, res) => {
      try {
        res.end(await readFile(join(dir, (req.url ?? '/').slice(1))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      process.env.HEADPREP_CACHE_DIR = mkdtempSync(join(tmpdir(), 'headprep-lmcache-'));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`;
      const b = await layersModelBackbone({ id: 'test-lm-url', source: url, featureLayer: 'hidden', inputShape: [3] }).resolve();
      expect(b.sha256).toBe(saved.sha256);
      expect(readdirSync(join(process.env.HEADPREP_CACHE_DIR, 'backbones', 'test-lm-url')).sort()).toEqual(['model.json', 'weights.bin']);
    } finally {
      server.close();
    }
    // the CLI registers it for later runs in <config dir>/backbones.json
    const cfgDir = mkdtempSync(join(tmpdir(), 'headprep-ucfg-'));
    const add = await runCli(['backbones', 'add', 'my-net', join(dir, 'model.json'), '--feature-layer', 'hidden', '--input-shape', '3'], { ...env, HEADPREP_CONFIG_DIR: cfgDir });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain(`weights sha256 ${saved.sha256}`);
    const listed = await runCli(['backbones'], { ...env, HEADPREP_CONFIG_DIR: cfgDir });
    expect(listed.stdout).toMatch(/my-net\s+feature layer "hidden", input \[3\]/);
    expect(listed.stdout).toMatch(/mlp-digits\s+feature layer "features"/);
    const wrongLayer = await runCli(['backbones', 'add', 'x', join(dir, 'model.json'), '--feature-layer', 'nope', '--input-shape', '3'], { ...env, HEADPREP_CONFIG_DIR: cfgDir });
    expect(wrongLayer.code).toBe(2);
    expect(wrongLayer.stderr).toMatch(/no layer "nope"/);
    writeFileSync(join(cfgDir, 'backbones.json'), '[{"id": "Bad Id"}]');
    const broken = await runCli(['backbones'], { ...env, HEADPREP_CONFIG_DIR: cfgDir });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain(join(cfgDir, 'backbones.json'));
    writeFileSync(join(dir, 'broken.json'), '{"format":"x"}');
    await expect(layersModelBackbone({ id: 't3', source: join(dir, 'broken.json'), featureLayer: 'hidden', inputShape: [3] }).resolve()).rejects.toThrow(
      /not a tfjs LayersModel/,
    );
  });
});
