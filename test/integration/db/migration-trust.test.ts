/**
 * db/migrations/0003_trust_identities.sql on a database that already holds keys, results and
 * reproductions: every approved key becomes its own identity, and the stored tiers are re-derived
 * under the new rule (two independent differs refute; one disputes, still ranked).
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { migrateUpTo } from '../_helpers/migrate-around';

it('0003 backfills identities and re-tiers stored results', async () => {
  const { db, rest, close } = await migrateUpTo('CREATE TABLE "identities"');
  await db.execute(sql.raw(`insert into keys (key_id, public_key, name, contact, status) values
    ('o','x','o','o','approved'),('a','x','a','a','approved'),('b','x','b','b','approved'),('c','x','c','c','approved'),('p','x','p','p','pending')`));
  for (const id of ['r1', 'r2', 'r3', 'r4'])
    await db.execute(sql.raw(`insert into results (id, envelope, payload_sha256, bundle, config, fingerprint, suite_name, suite_version, backbone, dataset,
      strategy, strategy_version, tau, seed, key_id, trust_tier, status, backend, runner_version)
      values ('${id}', '\\x00', '${id}', '{}', '{}', 'f', 's', 1, 'b', 'd', 's', 1, 0, 0, 'o', 'disputed', 'ok', 'x', 'x')`));
  const reps = [['1', 'r1', 'a', 'differs'], ['2', 'r1', 'b', 'differs'], ['3', 'r1', 'c', 'exact'], ['4', 'r2', 'a', 'differs'], ['5', 'r3', 'c', 'exact'], ['6', 'r4', 'p', 'differs']];
  for (const [id, r, k, v] of reps)
    await db.execute(sql.raw(`insert into reproductions (id, result_id, key_id, source, envelope, payload_sha256, bundle, verdict, comparison, backend, runner_version)
      values ('${id}', '${r}', '${k}', 'statement', '\\x00', '${id}', '{}', '${v}', '{}', 'x', 'x')`));
  await rest();
  expect((await db.execute(sql.raw(`select id, trust_tier from results order by id`))).rows).toEqual([
    { id: 'r1', trust_tier: 'refuted' },
    { id: 'r2', trust_tier: 'disputed' },
    { id: 'r3', trust_tier: 'reproduced' },
    { id: 'r4', trust_tier: 'signed' },
  ]);
  expect((await db.execute(sql.raw(`select key_id, identity_id from keys order by key_id`))).rows).toEqual([
    { key_id: 'a', identity_id: 'a' },
    { key_id: 'b', identity_id: 'b' },
    { key_id: 'c', identity_id: 'c' },
    { key_id: 'o', identity_id: 'o' },
    { key_id: 'p', identity_id: null },
  ]);
  expect((await db.execute(sql.raw(`select seq from reproductions order by seq`))).rows).toHaveLength(6);
  await close();
});
