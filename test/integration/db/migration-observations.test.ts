/**
 * db/migrations/0005_leaderboard_observations.sql on a database that already holds results: the
 * migration backfills the observation table and the stamps from the stored rows (one row per
 * (fingerprint, seed) and view, the visibility rule of db/queries/leaderboard.ts), and from then on
 * the trigger keeps them.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { migrateUpTo } from '../_helpers/migrate-around';

it('0005 backfills leaderboard_observations and leaderboard_stamps from stored results', async () => {
  const { db, rest, close } = await migrateUpTo('CREATE TABLE "leaderboard_observations"');
  await db.execute(sql.raw(`insert into keys (key_id, public_key, name, contact, status) values ('o','x','o','o','approved'), ('p','x','p','p','pending')`));
  // [id, fingerprint, seed, tier, status, hidden, test_acc]
  const rows: [string, string, number, string, string, boolean, number | null][] = [
    ['r1', 'f1', 0, 'pending', 'ok', false, 0.5], // received first, but pending: an approved copy comes first
    ['r2', 'f1', 0, 'signed', 'ok', false, 0.6],
    ['r3', 'f1', 0, 'reproduced', 'ok', false, 0.7],
    ['r4', 'f1', 1, 'pending', 'ok', false, 0.8], // only a pending copy
    ['r5', 'f1', 2, 'signed', 'ok', true, 0.9], // hidden
    ['r6', 'f1', 3, 'signed', 'error', false, null], // failed run
    ['r7', 'f2', 0, 'revoked', 'ok', false, 0.4],
    ['r8', 'f2', 0, 'disputed', 'ok', false, 0.3],
  ];
  for (const [id, fp, seed, tier, status, hidden, acc] of rows)
    await db.execute(sql.raw(`insert into results (id, envelope, payload_sha256, bundle, config, fingerprint, suite_name, suite_version, backbone, dataset,
      strategy, strategy_version, tau, seed, key_id, trust_tier, status, hidden, test_acc, backend, runner_version)
      values ('${id}', '\\x00', '${id}', '{}', '{"eta": 0.5}', '${fp}', 's', 1, 'b', 'd', 'ft', 1, 0, ${seed}, '${tier === 'pending' ? 'p' : 'o'}', '${tier}', '${status}', ${hidden}, ${acc ?? 'null'}, 'x', 'x')`));
  await rest();
  const obs = (await db.execute(sql.raw(`select fingerprint, seed, view, result_id, trust_tier, test_acc, eta, copies, copies_ranked from leaderboard_observations order by fingerprint, seed, view`))).rows;
  expect(obs).toEqual([
    { fingerprint: 'f1', seed: 0, view: 'ranked', result_id: 'r2', trust_tier: 'signed', test_acc: 0.6, eta: 0.5, copies: 3, copies_ranked: 2 },
    { fingerprint: 'f1', seed: 0, view: 'reproduced', result_id: 'r3', trust_tier: 'reproduced', test_acc: 0.7, eta: 0.5, copies: 1, copies_ranked: 1 },
    { fingerprint: 'f1', seed: 1, view: 'ranked', result_id: 'r4', trust_tier: 'pending', test_acc: 0.8, eta: 0.5, copies: 1, copies_ranked: 0 },
    { fingerprint: 'f2', seed: 0, view: 'ranked', result_id: 'r8', trust_tier: 'disputed', test_acc: 0.3, eta: 0.5, copies: 1, copies_ranked: 1 },
  ]);
  expect((await db.execute(sql.raw(`select suite_name, suite_version, results from leaderboard_stamps`))).rows).toEqual([{ suite_name: 's', suite_version: 1, results: 8 }]);
  // From now on the trigger keeps it: showing r5 adds seed 2.
  await db.execute(sql.raw(`update results set hidden = false where id = 'r5'`));
  expect((await db.execute(sql.raw(`select result_id from leaderboard_observations where fingerprint = 'f1' and seed = 2`))).rows).toEqual([{ result_id: 'r5' }]);
  await close();
});
