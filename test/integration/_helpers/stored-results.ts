/**
 * Signed results stored with the ingest's own transaction (db/mutations/results insertResult), for
 * the leaderboard tests: a key pair with its id, and one result of a config signed by it.
 */
import { buildLeaderboardView, parseFilters, suiteDigest, type SuiteDigest } from '../../../app/_lib/leaderboard-view';
import { getLeaderboardData, listSuiteVersions } from '../../../db/queries/leaderboard';
import { exportPublicKeyRaw, generateKeyPair, RESULT_PAYLOAD_TYPE, sha256Hex, signEnvelope, utf8, type CellConfig, type KeyPair, type ResultBundle } from '../../../contract';
import type { DbHandle } from '../../../db/types';
import { insertResult } from '../../../db/mutations/results';
import { seedBundle, type SeedCell } from '../../fixtures/bundle';

export type TestKey = KeyPair & { id: string };

/** The tiny@1 cells the leaderboard tests store (fixtures/bundle.ts fixtureConfigs). */
export const TINY_CELLS: SeedCell[] = [
  { backbone: 'mlp-digits', dataset: 'digits-5-9', offset: 0 },
  { backbone: 'mlp-digits', dataset: 'digits-5-9-small', offset: -0.05 },
];

export async function testKey(): Promise<TestKey> {
  const k = await generateKeyPair();
  return { ...k, id: await sha256Hex(await exportPublicKeyRaw(k.publicKey)) };
}

/** Stores config's result (metrics shifted by `offset`) signed by `key`; the tier follows the key's status. */
export async function storeSigned(db: DbHandle, config: CellConfig, offset: number, key: TestKey): Promise<{ id: string; created: boolean; bundle: ResultBundle }> {
  const bundle = await seedBundle(config, { offset });
  const payload = utf8.encode(JSON.stringify(bundle));
  const env = await signEnvelope(payload, RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
  const stored = await insertResult(db, { envelope: utf8.encode(JSON.stringify(env)), payloadSha256: await sha256Hex(payload), bundle, keyId: key.id, trustTier: 'signed' });
  return { ...stored, bundle };
}

/**
 * Every suite version's digest (app/_lib/leaderboard-view.ts SuiteDigest) from its default view
 * built from scratch: what app/_server/read-model.ts caches per suite, recomputed from nothing.
 */
export async function digestsFromScratch(db: DbHandle): Promise<SuiteDigest[]> {
  return Promise.all(
    (await listSuiteVersions(db)).map(async (row) => {
      const data = await getLeaderboardData(db, row, { pending: false });
      return suiteDigest(row, data && buildLeaderboardView({ ...data, filters: parseFilters({}) }));
    }),
  );
}
