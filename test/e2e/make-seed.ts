/**
 * Writes the e2e seed into <dir> (test/e2e/serve.sh runs it before `next start`):
 *   reference-key.pub.pem   a throwaway "reference" key (its private half is discarded)
 *   envelopes/*.json        signed bundles of real synthetic-linear@1 configs (runner planCells)
 *                           with hand-made metrics (seedBundle, test/fixtures/bundle.ts), loaded by seed/load.ts
 *                           (one envelope per file: the older seed layout, which it still reads)
 *   pending-key.pem         private key of a second, unregistered key (PKCS#8)
 *   pending/*.json          envelopes the spec submits through POST /api/results after
 *                           registering that key through POST /api/keys (so it stays pending)
 *   plan.json               what the spec should expect
 * Usage: tsx test/e2e/make-seed.ts <dir>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exportPrivateKeyPem,
  exportPublicKeyPem,
  exportPublicKeyRaw,
  generateKeyPair,
  keyIdOfRaw,
  RESULT_PAYLOAD_TYPE,
  signEnvelope,
  utf8,
  type CellConfig,
  type KeyPair,
} from '../../contract';
import { planCells } from '../../runner/run/plan';
import { initBackend } from '../../runner/train/backend';
import { getSuite } from '../../runner/protocols/suites/index';
import { PLAN, seedBundle, selectPlanConfigs } from '../fixtures/bundle';

export const E2E_SUITE = 'synthetic-linear@1';

async function writeEnvelope(dir: string, name: string, config: CellConfig, key: KeyPair): Promise<void> {
  const bundle = await seedBundle(config, { offset: 0 });
  const env = await signEnvelope(utf8.encode(JSON.stringify(bundle)), RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(env));
}

async function main(dir: string) {
  mkdirSync(join(dir, 'envelopes'), { recursive: true });
  mkdirSync(join(dir, 'pending'), { recursive: true });
  const all = await planCells(getSuite(E2E_SUITE), { backend: await initBackend('auto') });
  const configs = selectPlanConfigs(all);
  const reference = await generateKeyPair();
  const pending = await generateKeyPair();
  writeFileSync(join(dir, 'reference-key.pub.pem'), await exportPublicKeyPem(reference.publicKey));
  writeFileSync(join(dir, 'pending-key.pem'), await exportPrivateKeyPem(pending.privateKey), { mode: 0o600 });
  for (const c of configs) await writeEnvelope(join(dir, 'envelopes'), `${c.strategy.id}-tau${c.tau}-seed${c.seed}`, c, reference);
  const pendingConfigs = all.filter((c) => c.strategy.id === 'hp-zero' && PLAN.seeds.includes(c.seed));
  for (const c of pendingConfigs) await writeEnvelope(join(dir, 'pending'), `${c.strategy.id}-tau${c.tau}-seed${c.seed}`, c, pending);
  const cell = { backbone: configs[0]!.backbone.id, dataset: configs[0]!.dataset.id };
  const plan = {
    suite: E2E_SUITE,
    cell,
    strategies: [...PLAN.strategies],
    hp_taus: PLAN.hpTaus,
    sweep_taus: PLAN.sweepTaus,
    tau_star: PLAN.tauStar,
    results_per_cell: configs.length,
    pending_strategy: 'hp-zero',
    pending_results: pendingConfigs.length,
    reference_key_id: await keyIdOfRaw(await exportPublicKeyRaw(reference.publicKey)),
    pending_key_id: await keyIdOfRaw(await exportPublicKeyRaw(pending.publicKey)),
    pending_public_key_pem: await exportPublicKeyPem(pending.publicKey),
  };
  if (plan.results_per_cell !== PLAN.resultsPerCell)
    throw new Error(`make-seed: ${E2E_SUITE} yields ${plan.results_per_cell} plan configs, expected ${PLAN.resultsPerCell}`);
  writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
  console.error(`make-seed: ${configs.length} reference envelopes, ${pendingConfigs.length} pending ones -> ${dir}`);
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx test/e2e/make-seed.ts <dir>');
  process.exit(2);
}
await main(dir);
