/**
 * A migration on a database that already holds data: an in-memory PGlite migrated up to (not
 * including) the first migration whose SQL contains `marker`; `rest()` applies that one and the
 * ones after it.
 */
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';

export async function migrateUpTo(marker: string): Promise<{ db: ReturnType<typeof drizzle>; rest(): Promise<void>; close(): Promise<void> }> {
  const client = await PGlite.create('memory://');
  const db = drizzle({ client });
  const ms = readMigrationFiles({ migrationsFolder: 'db/migrations' });
  const at = ms.findIndex((m) => m.sql.some((s) => s.includes(marker)));
  if (at < 1) throw new Error(`no migration after the first contains ${JSON.stringify(marker)}`);
  const run = async (m: (typeof ms)[number]) => {
    for (const s of m.sql) if (s.trim()) await db.execute(sql.raw(s));
  };
  for (const m of ms.slice(0, at)) await run(m);
  return {
    db,
    async rest() {
      for (const m of ms.slice(at)) await run(m);
    },
    close: () => client.close(),
  };
}
