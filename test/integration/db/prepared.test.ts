/**
 * db/prepared.ts on the Postgres server: the ingest's statements are server-side named prepared
 * statements by default (parsed once per connection), unnamed with HEADPREP_DB_NAMED_STATEMENTS=0,
 * and both give the same rows.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex, utf8 } from '../../../contract';
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';
import { upsertApprovedKey } from '../../../db/mutations/keys';
import { insertResult } from '../../../db/mutations/results';
import { getSignersAndReplay } from '../../../db/queries/ingest';
import { newKey } from '../../fixtures/api';
import { validBundle } from '../../fixtures/bundle';
import { freshPostgresDatabase } from '../_helpers/databases';
import { describePostgres } from '../_helpers/describe-postgres';

const opened: { db: DbHandle; drop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const o of opened) {
    await o.db.$close();
    await o.drop();
  }
});

async function open(named: boolean) {
  const fresh = await freshPostgresDatabase();
  // one connection, so pg_prepared_statements (per session) shows what the ingest prepared
  const db = await createDb({ DATABASE_URL: fresh.url, HEADPREP_DB_POOL_MAX: '1', HEADPREP_DB_NAMED_STATEMENTS: named ? '1' : '0' });
  opened.push({ db, drop: fresh.drop });
  return db;
}

const prepared = async (db: DbHandle) =>
  (await db.execute<{ name: string }>(sql`select name from pg_prepared_statements order by name`)).rows.map((r) => r.name);

describePostgres('db/prepared.ts on a Postgres server', () => {
  describe.each([true, false])('ingest statements on Postgres, named = %s', (named) => {
    it('stores, finds the replay and the signer, and names the statements only when enabled', async () => {
      const db = await open(named);
      const key = await newKey();
      await upsertApprovedKey(db, key.raw, 'k', 'k@example.org');
      const bundle = await validBundle(3);
      const payloadSha256 = await sha256Hex(utf8.encode(JSON.stringify(bundle)));

      const before = await getSignersAndReplay(db, [key.keyid, 'f'.repeat(64)], payloadSha256);
      expect([...before.keys.keys()]).toEqual([key.keyid]);
      expect(before.keys.get(key.keyid)).toMatchObject({ keyId: key.keyid, status: 'approved' });
      expect(before.existing).toBeNull();

      const first = await insertResult(db, { envelope: utf8.encode('{}'), payloadSha256, bundle, keyId: key.keyid, trustTier: 'signed' });
      const again = await insertResult(db, { envelope: utf8.encode('{}'), payloadSha256, bundle, keyId: key.keyid, trustTier: 'signed' });
      expect(first.created).toBe(true);
      expect(again).toEqual({ id: first.id, created: false, keyId: key.keyid });
      expect((await getSignersAndReplay(db, [key.keyid], payloadSha256)).existing?.id).toBe(first.id);

      const stored = await db.execute<{ epochs: string | number; seed: number; bundle: unknown }>(
        sql`select (select count(*) from result_epochs where result_id = ${first.id}) as epochs, seed, bundle from results where id = ${first.id}`,
      );
      expect(Number(stored.rows[0]!.epochs)).toBe(bundle.epochs.length);
      expect(stored.rows[0]!.seed).toBe(bundle.config.seed);
      expect(stored.rows[0]!.bundle).toEqual(JSON.parse(JSON.stringify(bundle)));

      const names = await prepared(db);
      if (named) expect(names).toEqual(expect.arrayContaining(['headprep_insert_result', 'headprep_signers_and_replay']));
      else expect(names.filter((n) => n.startsWith('headprep_'))).toEqual([]);
    });
  });
});
