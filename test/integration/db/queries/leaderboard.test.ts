/**
 * Leaderboard queries on a real (in-memory PGlite) database: results stored with the db's own
 * insertResult transaction (the ingest's last step), then read back through getLeaderboardData
 * and the pure view. Checks visibility rules (pending keys, hidden, revoked), replicate seeds,
 * tau* on validation, reference configs and the drill-down reads.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPublicKeyRaw, RESULT_PAYLOAD_TYPE, utf8, type CellConfig } from '../../../../contract';
import { createDb } from '../../../../db/connect';
import type { DbHandle } from '../../../../db/types';
import { insertPendingKey, setKeyStatus, upsertApprovedKey } from '../../../../db/mutations/keys';
import { setResultHidden } from '../../../../db/mutations/results';
import { getConfigByFingerprint } from '../../../../db/queries/configs';
import { getActivity, getLeaderboardData } from '../../../../db/queries/leaderboard';
import { getResultDetail, getResultFiles } from '../../../../db/queries/result-detail';
import { findKeyByIdOrPrefix, listKeyResults } from '../../../../db/queries/key-page';
import { buildLeaderboardView, homeFromDigests, parseFilters, referenceListsFromDigests } from '../../../../app/_lib/leaderboard-view';
import { fixtureConfigs, PLAN, type SeedCell } from '../../../fixtures/bundle';
import { digestsFromScratch, storeSigned, testKey as keyPair, TINY_CELLS as CELLS, type TestKey } from '../../_helpers/stored-results';

let db: DbHandle;
let ref: TestKey;
let other: TestKey;

/** The tier is the key's (pending until approved); `_tier` says which the test expects. */
const store = (config: CellConfig, cell: Pick<SeedCell, 'offset'>, key: TestKey, _tier: 'signed' | 'pending') => storeSigned(db, config, cell.offset, key);

beforeAll(async () => {
  db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
  ref = await keyPair();
  other = await keyPair();
  await upsertApprovedKey(db, await exportPublicKeyRaw(ref.publicKey), 'reference', 'ref@example.org');
  await insertPendingKey(db, { publicKeyRaw: await exportPublicKeyRaw(other.publicKey), name: 'newcomer', contact: 'n@example.org' });
  for (const { config, cell } of fixtureConfigs(CELLS)) await store(config, cell, ref, 'signed');
});

afterAll(async () => {
  await db?.$close();
});

const digests = () => digestsFromScratch(db);

const view = async (query: string) => {
  const filters = parseFilters(new URLSearchParams(query));
  const data = await getLeaderboardData(db, { name: 'tiny', version: null }, filters);
  return data && buildLeaderboardView({ ...data, filters });
};

describe('leaderboard over a real database', () => {
  it('ranks both cells with n = 3 seeds and hp-tau at tau* chosen on validation', async () => {
    const v = (await view(''))!;
    expect(v.suite).toMatchObject({ name: 'tiny', version: 1 });
    expect(v.cells.map((c) => c.dataset)).toEqual(['digits-5-9', 'digits-5-9-small']);
    for (const c of v.cells) {
      expect(c.rows).toHaveLength(PLAN.strategies.length);
      expect(c.rows.every((r) => r.n === 3)).toBe(true);
      const hp = c.rows.find((r) => r.strategy === 'hp-tau')!;
      expect(hp.tau).toBe(PLAN.tauStar);
      // hp-tau at tau 0 is ft (the same computation): not one of hp-tau's candidates
      expect(hp.variants).toBe(PLAN.hpTaus.filter((t) => t !== 0).length);
      expect(c.rows[0]!.strategy).toBe('hp-tau');
    }
    expect(v.chart!.points).toHaveLength(PLAN.resultsPerCell);
    expect(v.chart!.sweep.map((p) => p.tau)).toEqual(PLAN.sweepTaus);
    // the probe-only accuracy reaches the observations (claim (iii-b) needs it)
    const data = (await getLeaderboardData(db, { name: 'tiny', version: null }, parseFilters({})))!;
    expect(data.observations.every((o) => typeof o.lp_test_acc === 'number' && o.lp_test_acc >= 0 && o.lp_test_acc <= 1)).toBe(true);
    expect(v.claims.map((c) => c.label)).toEqual(['(i)', '(ii)', '(iii-a)', '(iii-b)', '(iv)', '(v)', '(vi)']);
    expect(v.totals.results).toBe(PLAN.resultsPerCell * CELLS.length);
  });

  it('returns null for an unknown suite or version', async () => {
    expect(await getLeaderboardData(db, { name: 'nope', version: null }, parseFilters({}))).toBeNull();
    expect(await getLeaderboardData(db, { name: 'tiny', version: 99 }, parseFilters({}))).toBeNull();
  });

  it('pending-key results are stored but ranked only with the toggle; approval ranks them', async () => {
    const { config } = fixtureConfigs([CELLS[0]!]).find((x) => x.config.strategy.id === 'lp')!;
    const extra = structuredClone(config);
    extra.seed = 7;
    extra.strategy = { id: 'hp-zero', version: 1 };
    const { id } = await store(extra, { offset: 0 }, other, 'pending');
    const official = (await view('dataset=digits-5-9'))!;
    expect(official.cells[0]!.rows.some((r) => r.strategy === 'hp-zero')).toBe(false);
    const withPending = (await view('dataset=digits-5-9&pending=1'))!;
    const row = withPending.cells[0]!.rows.find((r) => r.strategy === 'hp-zero')!;
    expect(row).toMatchObject({ n: 1, n_pending: 1 });
    expect(withPending.chart!.points.find((p) => p.id === id)!.pending).toBe(true);
    expect(await findKeyByIdOrPrefix(db, other.id)).toMatchObject({ kind: 'found', key: { status: 'pending' } });
    expect(await listKeyResults(db, other.id)).toHaveLength(1);
    await setKeyStatus(db, other.id, 'approved');
    expect((await view('dataset=digits-5-9'))!.cells[0]!.rows.some((r) => r.strategy === 'hp-zero')).toBe(true);
    await setKeyStatus(db, other.id, 'revoked');
    expect((await view('dataset=digits-5-9&pending=1'))!.cells[0]!.rows.some((r) => r.strategy === 'hp-zero')).toBe(false);
  });

  it('hidden results drop out; a rerun of the same fingerprint and seed by another key is a reproduction, not a seed', async () => {
    const before = (await view('dataset=digits-5-9'))!.cells[0]!.rows.find((r) => r.strategy === 'lp')!;
    const point = (await view('dataset=digits-5-9'))!.chart!.points.find((p) => p.strategy === 'lp' && p.seed === 0)!;
    expect(await setResultHidden(db, point.id, true)).toBe(true);
    const hidden = (await view('dataset=digits-5-9'))!.cells[0]!.rows.find((r) => r.strategy === 'lp')!;
    expect(hidden.n).toBe(before.n - 1);
    await setResultHidden(db, point.id, false);

    // replicate: the same lp config and seed, a slightly different bundle, from a second approved key
    const third = await keyPair();
    await upsertApprovedKey(db, await exportPublicKeyRaw(third.publicKey), 'replicator', 'r@example.org');
    const lp0 = fixtureConfigs([CELLS[0]!]).find((x) => x.config.strategy.id === 'lp' && x.config.seed === 0)!;
    await store(lp0.config, { offset: 0.01 }, third, 'signed');
    const afterView = (await view('dataset=digits-5-9'))!;
    const after = afterView.cells[0]!.rows.find((r) => r.strategy === 'lp')!;
    expect(after.n).toBe(before.n);
    expect(after.mean).toBe(before.mean);
    expect(afterView.totals.reproductions).toBe(1);
  });

  it('reproduced results only: the filter ranks just the results an independent key reproduced, and rows count them', async () => {
    const lp = (await view('dataset=digits-5-9'))!.chart!.points.filter((p) => p.strategy === 'lp').slice(0, 2);
    // the tier an approved reproduction sets (db/mutations/reproductions decides it; tested there)
    for (const p of lp) await db.execute(sql`update results set trust_tier = 'reproduced' where id = ${p.id}`);
    const row = (await view('dataset=digits-5-9'))!.cells[0]!.rows.find((r) => r.strategy === 'lp')!;
    expect(row.n_reproduced).toBe(2);
    const only = (await view('dataset=digits-5-9&reproduced=1'))!;
    expect(only.cells[0]!.rows.map((r) => [r.strategy, r.n])).toEqual([['lp', 2]]);
    for (const p of lp) await db.execute(sql`update results set trust_tier = 'signed' where id = ${p.id}`);
  });

  it('reference configs: best strategy per cell, served as the exact stored CellConfig', async () => {
    const lists = referenceListsFromDigests(await digests());
    const tiny = lists.find((l) => l.suite === 'tiny@1')!;
    expect(tiny.references.map((r) => [r.dataset, r.strategy, r.tau])).toEqual([
      ['digits-5-9', 'hp-tau', 8],
      ['digits-5-9-small', 'hp-tau', 8],
    ]);
    const cfg = await getConfigByFingerprint(db, tiny.references[0]!.id);
    expect(cfg).toMatchObject({ strategy: { id: 'hp-tau' }, tau: 8, seed: 0 });
    expect((await getConfigByFingerprint(db, tiny.references[0]!.id, 2))!.seed).toBe(2);
    expect(await getConfigByFingerprint(db, 'f'.repeat(64))).toBeNull();
  });

  it('home view and drill-down reads', async () => {
    const home = homeFromDigests(await digests(), await getActivity(db));
    const tiny = home.suites.find((s) => s.name === 'tiny')!;
    expect(tiny.cells).toHaveLength(2);
    expect(tiny.cells[0]!.best!.strategy).toBe('hp-tau');
    // recent activity: approved keys only (the revoked newcomer's result is left out), one line per
    // (key, suite version, day), newest first: the replicator's one rerun, then the reference import
    expect(home.activity.map((a) => [a.key_name, a.suite, a.results])).toEqual([
      ['replicator', 'tiny@1', 1],
      ['reference', 'tiny@1', fixtureConfigs(CELLS).length],
    ]);
    expect(home.activity[1]).toMatchObject({ key_id: ref.id, seeds: PLAN.seeds.length, ok: fixtureConfigs(CELLS).length });
    // the claims matrix row of tiny@1: its first cell, as the suite page computes it
    const claimsRow = home.claims.find((r) => r.suite === 'tiny@1')!;
    expect(claimsRow).toMatchObject({ backbone: 'mlp-digits', dataset: 'digits-5-9' });
    expect(claimsRow.claims.length).toBeGreaterThan(0);
    const page = buildLeaderboardView({ ...(await getLeaderboardData(db, { name: 'tiny', version: 1 }, { pending: false }))!, filters: parseFilters({}) });
    expect(claimsRow.claims.map((c) => [c.id, c.verdict])).toEqual(page.claims.map((c) => [c.id, c.verdict]));
    expect(tiny.cells[0]!.best!.tied_with).toEqual(page.cells[0]!.rows.slice(1).filter((r) => r.ties_leader).map((r) => r.strategy));
    const id = (await db.execute<{ id: string }>(sql`select id from results order by seq desc limit 1`)).rows[0]!.id;
    const detail = (await getResultDetail(db, id))!;
    expect(detail.bundle.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const files = (await getResultFiles(db, id))!;
    expect(JSON.parse(utf8.decode(files.bundle))).toEqual(detail.bundle);
    expect(JSON.parse(files.config)).toEqual(detail.bundle.config);
    expect(JSON.parse(utf8.decode(files.envelope)).payloadType).toBe(RESULT_PAYLOAD_TYPE);
    expect(await getResultDetail(db, 'not-an-id')).toBeNull();
  });
});
