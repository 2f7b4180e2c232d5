/**
 * The incrementally kept observation table (leaderboard_observations, maintained by the results
 * trigger of db/migrations/0005_leaderboard_observations.sql) against a full recomputation from
 * the result rows, on a real database (PGlite in memory; Postgres too when TEST_DATABASE_URL is
 * set). After each change the site makes (a submission, a hide, a key approval, a reproduction
 * that re-tiers a result, a dispute review, a revocation) the leaderboard view built from the table
 * equals the view built from the result rows with the visibility rule applied from scratch, for
 * every filter mode, and the table equals what headprep_rebuild_observations() derives.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBundles, exportPublicKeyRaw, sha256Hex, utf8, type CellConfig, type ResultBundle, type SuiteObservation } from '../../../../contract';
import { createDb } from '../../../../db/connect';
import type { DbHandle } from '../../../../db/types';
import { insertPendingKey, setKeyStatus, upsertApprovedKey } from '../../../../db/mutations/keys';
import { setResultHidden } from '../../../../db/mutations/results';
import { insertReproduction, reviewDispute } from '../../../../db/mutations/reproductions';
import { getLeaderboardData, getSuiteStamp, observationOf, visibleTiers } from '../../../../db/queries/leaderboard';
import { buildLeaderboardView, parseFilters } from '../../../../app/_lib/leaderboard-view';
import { fixtureConfigs, seedBundle } from '../../../fixtures/bundle';
import { freshPostgresDatabase } from '../../_helpers/databases';
import { describePostgres } from '../../_helpers/describe-postgres';
import { storeSigned, testKey, TINY_CELLS, type TestKey } from '../../_helpers/stored-results';

const MODES = ['', 'pending=1', 'reproduced=1', 'pending=1&reproduced=1', 'dataset=digits-5-9&strategy=lp&strategy=hp-tau'];

/**
 * The full recomputation: every result row of the suite version, the visibility rule applied in
 * SQL from scratch (what db/queries/leaderboard.ts did before the observation table existed).
 */
async function recomputed(db: DbHandle, pending: boolean, reproducedOnly: boolean): Promise<{ obs: SuiteObservation[]; reproductions: number; results: number }> {
  const tiers = sql.join(visibleTiers(pending, reproducedOnly).map((t) => sql`${t}`), sql`, `);
  const res = await db.execute<Record<string, unknown>>(sql`
    select distinct on (fingerprint, seed) *, id as result_id, count(*) over (partition by fingerprint, seed) as copies,
           (config->>'eta')::float8 as eta, (config->>'temperature')::float8 as temperature
      from results
     where suite_name = 'tiny' and suite_version = 1 and status = 'ok' and not hidden and test_acc is not null and trust_tier in (${tiers})
     order by fingerprint, seed, (trust_tier = 'pending'), seq`);
  let reproductions = 0;
  const obs = res.rows.map((r) => {
    reproductions += Number(r.copies) - 1;
    return observationOf(r);
  });
  const total = await db.execute<{ c: number }>(sql`select count(*)::int as c from results where suite_name = 'tiny' and suite_version = 1`);
  return { obs, reproductions, results: Number(total.rows[0]!.c) };
}

const tableRows = async (db: DbHandle) =>
  (await db.execute(sql`select * from leaderboard_observations order by fingerprint, seed, view`)).rows;

/** Every filter mode: the view from the table equals the view from the full recomputation; the table equals a rebuild. */
async function expectMatchesRecomputation(db: DbHandle, step: string): Promise<void> {
  for (const mode of MODES) {
    const filters = parseFilters(new URLSearchParams(mode));
    const data = (await getLeaderboardData(db, { name: 'tiny', version: 1 }, filters))!;
    const full = await recomputed(db, filters.pending, filters.reproduced);
    const fromTable = buildLeaderboardView({ ...data, filters });
    const fromResults = buildLeaderboardView({ ...data, observations: full.obs, totals: { results: full.results, reproductions: full.reproductions }, filters });
    expect(fromTable, `${step}, filters "${mode}"`).toEqual(fromResults);
  }
  const kept = await tableRows(db);
  await db.execute(sql`select headprep_rebuild_observations()`);
  expect(await tableRows(db), `${step}: the table equals a rebuild from the result rows`).toEqual(kept);
}

function suiteOf(open: () => Promise<{ db: DbHandle; close(): Promise<void> }>) {
  return () => {
    let db: DbHandle;
    let close: () => Promise<void>;
    let ref: TestKey;
    let newcomer: TestKey;
    let checker: TestKey;
    const store = (config: CellConfig, offset: number, key: TestKey) => storeSigned(db, config, offset, key);

    beforeAll(async () => {
      ({ db, close } = await open());
      ref = await testKey();
      newcomer = await testKey();
      checker = await testKey();
      await upsertApprovedKey(db, await exportPublicKeyRaw(ref.publicKey), 'reference', 'ref@example.org');
      await upsertApprovedKey(db, await exportPublicKeyRaw(checker.publicKey), 'checker', 'check@example.org');
      await insertPendingKey(db, { publicKeyRaw: await exportPublicKeyRaw(newcomer.publicKey), name: 'newcomer', contact: 'n@example.org' });
      for (const { config, cell } of fixtureConfigs(TINY_CELLS)) await store(config, cell.offset, ref);
    });
    afterAll(async () => {
      await close?.();
    });

    it('the trigger derived the table from the rows as they were stored', async () => {
      await expectMatchesRecomputation(db, 'initial');
      expect((await tableRows(db)).length).toBeGreaterThan(0);
    });

    it('after a submission, a hide, an approval, a reproduction, a dispute review and a revocation the view equals a full recomputation', async () => {
      const configs = fixtureConfigs([TINY_CELLS[0]!]);
      const lp0 = configs.find((x) => x.config.strategy.id === 'lp' && x.config.seed === 0)!.config;
      const stamp0 = (await getSuiteStamp(db, 'tiny')).stamp;

      // A submission from a pending key: a new seed, and a rerun of a ranked (fingerprint, seed).
      const fresh = structuredClone(lp0);
      fresh.seed = 41;
      const pendingNew = await store(fresh, 0.02, newcomer);
      const pendingRerun = await store(lp0, 0.03, newcomer);
      expect((await getSuiteStamp(db, 'tiny')).stamp).not.toBe(stamp0);
      await expectMatchesRecomputation(db, 'after a submission');

      // A hide of the ranked result whose pair has a pending rerun: the pending one takes its place in the pending view.
      const ranked = (await db.execute<{ id: string }>(sql`select id from results where fingerprint = ${pendingRerun.bundle.fingerprint} and seed = 0 and key_id = ${ref.id}`)).rows[0]!.id;
      const beforeHide = (await getSuiteStamp(db, 'tiny')).stamp;
      expect(await setResultHidden(db, ranked, true)).toBe(true);
      expect((await getSuiteStamp(db, 'tiny')).stamp).not.toBe(beforeHide);
      await expectMatchesRecomputation(db, 'after a hide');

      // The approval of the pending key re-tiers its results (pending -> signed).
      await setKeyStatus(db, newcomer.id, 'approved');
      await expectMatchesRecomputation(db, 'after an approval');
      await setResultHidden(db, ranked, false);
      await expectMatchesRecomputation(db, 'after showing the result again');

      // Reproductions re-tier a result: one that agrees (reproduced), then one that differs (disputed), then a review.
      const target = await store(configs.find((x) => x.config.strategy.id === 'ft' && x.config.seed === 1)!.config, 0, ref);
      const agree = await seedBundle(target.bundle.config, { offset: 0 });
      const addReproduction = async (bundle: ResultBundle, tag: string) => {
        const body = utf8.encode(JSON.stringify({ tag, bundle }));
        await insertReproduction(db, {
          resultId: target.id,
          keyId: checker.id,
          source: 'result',
          envelope: body,
          payloadSha256: await sha256Hex(body),
          bundle,
          verdict: compareBundles(target.bundle, bundle).verdict,
          claimedVerdict: null,
          comparison: compareBundles(target.bundle, bundle),
        });
      };
      await addReproduction(agree, 'agree');
      expect((await db.execute<{ t: string }>(sql`select trust_tier as t from results where id = ${target.id}`)).rows[0]!.t).toBe('reproduced');
      await expectMatchesRecomputation(db, 'after a reproduction');
      const differs = await seedBundle(target.bundle.config, { offset: 0.2 });
      await addReproduction(differs, 'differs');
      expect((await db.execute<{ t: string }>(sql`select trust_tier as t from results where id = ${target.id}`)).rows[0]!.t).toBe('disputed');
      await expectMatchesRecomputation(db, 'after a dispute');
      await reviewDispute(db, target.id, 'confirmed');
      await expectMatchesRecomputation(db, 'after a confirmed dispute');

      // A revocation takes the key's results off every view.
      await setKeyStatus(db, newcomer.id, 'revoked');
      await expectMatchesRecomputation(db, 'after a revocation');
      const ids = (await tableRows(db)).map((r) => r.result_id);
      expect(ids).not.toContain(pendingNew.id);
    });
  };
}

describe('observation table on PGlite', suiteOf(async () => {
  const db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
  return { db, close: () => db.$close() };
}));

describePostgres('observation table on Postgres', suiteOf(async () => {
  const fresh = await freshPostgresDatabase();
  const db = await createDb({ DATABASE_URL: fresh.url });
  return {
    db,
    close: async () => {
      await db.$close();
      await fresh.drop();
    },
  };
}));
