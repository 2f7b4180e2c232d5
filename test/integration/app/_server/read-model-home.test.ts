/**
 * The home page and the reference configs as the site serves them (app/_server/read-model.ts): each
 * suite version's digest is read off its cached default leaderboard view, recomputed when that
 * suite's stamp moves. After a submission, a hide and a key approval, what is served equals the
 * same composition computed from scratch from the result rows.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportPublicKeyRaw } from '../../../../contract';
import { getDb, setDb } from '../../../../db/connect';
import { insertPendingKey, setKeyStatus, upsertApprovedKey } from '../../../../db/mutations/keys';
import { setResultHidden } from '../../../../db/mutations/results';
import { getActivity } from '../../../../db/queries/leaderboard';
import type { DbHandle } from '../../../../db/types';
import { homeFromDigests, referenceListsFromDigests } from '../../../../app/_lib/leaderboard-view';
import { fixtureConfigs } from '../../../fixtures/bundle';
import { digestsFromScratch, storeSigned, testKey, TINY_CELLS, type TestKey } from '../../_helpers/stored-results';

vi.mock('server-only', () => ({}));

const saved = { ...process.env };
let db: DbHandle;
let readModel: typeof import('../../../../app/_server/read-model');
let approved: TestKey;
let newcomer: TestKey;

beforeAll(async () => {
  setDb(null);
  delete process.env.DATABASE_URL;
  delete process.env.POSTGRES_URL;
  process.env.HEADPREP_DATA_DIR = 'memory://';
  process.env.HEADPREP_SEED = '0';
  // views built inline (no worker under vitest), and a reader waits for the recomputation: this
  // test is about what is served once current, read-cache.test.ts about staleness
  process.env.HEADPREP_VIEW_WORKER = '0';
  process.env.HEADPREP_VIEW_WAIT_MS = '60000';
  readModel = await import('../../../../app/_server/read-model');
  db = await getDb();
  approved = await testKey();
  newcomer = await testKey();
  await upsertApprovedKey(db, await exportPublicKeyRaw(approved.publicKey), 'reference', 'ref@example.org');
  await insertPendingKey(db, { publicKeyRaw: await exportPublicKeyRaw(newcomer.publicKey), name: 'newcomer', contact: 'n@example.org' });
  const configs = fixtureConfigs(TINY_CELLS);
  for (const { config, cell } of configs.slice(0, configs.length - 6)) await storeSigned(db, config, cell.offset, approved);
});

afterAll(async () => {
  await db?.$close();
  setDb(null);
  process.env = saved;
});

/** What the site serves now, and the same computed from scratch. */
async function servedAndScratch() {
  const [home, references] = await Promise.all([readModel.loadHomeView(), readModel.loadReferenceLists()]);
  const scratch = await digestsFromScratch(db);
  return {
    served: { home, references },
    scratch: { home: homeFromDigests(scratch, await getActivity(db)), references: referenceListsFromDigests(scratch) },
  };
}

describe('home page and reference configs from cached per-suite views', () => {
  it('equal a full recomputation after a submission, a hide and an approval', async () => {
    const first = await servedAndScratch();
    expect(first.served).toEqual(first.scratch);
    expect(first.served.home.suites.map((s) => s.name)).toContain('tiny');
    const tinyResults = () => first.served.home.suites.find((s) => s.name === 'tiny')!.results;
    const before = tinyResults();

    const configs = fixtureConfigs(TINY_CELLS);
    const rest = configs.slice(configs.length - 6);
    // a submission (approved key): the suite's stamp moves, its digest is recomputed
    const { id } = await storeSigned(db, rest[0]!.config, rest[0]!.cell.offset, approved);
    const afterSubmit = await servedAndScratch();
    expect(afterSubmit.served).toEqual(afterSubmit.scratch);
    expect(afterSubmit.served.home.suites.find((s) => s.name === 'tiny')!.results).toBe(before + 1);

    // a hide takes the result out again
    expect(await setResultHidden(db, id, true)).toBe(true);
    const afterHide = await servedAndScratch();
    expect(afterHide.served).toEqual(afterHide.scratch);

    // the newcomer's results count once its key is approved
    for (const { config, cell } of rest.slice(1)) await storeSigned(db, config, cell.offset, newcomer);
    const pending = await servedAndScratch();
    expect(pending.served).toEqual(pending.scratch);
    await setKeyStatus(db, newcomer.id, 'approved');
    const afterApproval = await servedAndScratch();
    expect(afterApproval.served).toEqual(afterApproval.scratch);
    expect(afterApproval.served.home.suites).not.toEqual(pending.served.home.suites);
  });
});
