/**
 * Named prepared statements for the ingest hot path, on every driver.
 *
 * `db.execute(sql`...`)` and the query builders turn their SQL objects into text on every call
 * (drizzle's sqlToQuery walks every chunk, an `is()` check each); for the two statements that run
 * per submitted envelope that was a large share of the route's CPU. A `PreparedSql` builds its text
 * once with `sql.placeholder(name)` for the values, and prepares it once per database handle
 * through drizzle's session (PgSession.prepareQuery, the same call the query builders' `.prepare()`
 * makes), so node-postgres and @vercel/postgres send it as a named statement: Postgres parses and
 * plans it once per connection. PGlite runs the same text unnamed. A handle opened with
 * HEADPREP_DB_NAMED_STATEMENTS=0 (behind a pooler that cannot keep named statements) runs them
 * unnamed too; only the text building is saved then.
 *
 * Values are bound by placeholder name; a placeholder wrapped in `sql.param(sql.placeholder(n),
 * column)` goes through that column's driver mapping (jsonb -> JSON text, timestamps, ...).
 */
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { PgPreparedQuery, PreparedQueryConfig } from 'drizzle-orm/pg-core';
import type { Db, DbHandle } from './types';

const dialect = new PgDialect();

export interface PreparedSql<Row> {
  /** The statement name sent to the server (unique per statement text). */
  readonly name: string;
  run(db: Db, values: Record<string, unknown>): Promise<{ rows: Row[] }>;
}

/**
 * `build` is called once, on first use. `name` must be unique in the process: a server-side
 * prepared statement is looked up by name on each connection.
 */
export function preparedSql<Row extends Record<string, unknown>>(name: string, build: () => SQL): PreparedSql<Row> {
  let query: ReturnType<PgDialect['sqlToQuery']> | undefined;
  const perDb = new WeakMap<Db, PgPreparedQuery<PreparedQueryConfig>>();
  const built = () => (query ??= dialect.sqlToQuery(build()));
  return {
    name,
    run(db, values) {
      let p = perDb.get(db);
      if (!p) {
        const named = (db as Partial<DbHandle>).$namedStatements !== false;
        p = db._.session.prepareQuery<PreparedQueryConfig>(built(), undefined, named ? name : undefined, false);
        perDb.set(db, p);
      }
      return p.execute(values) as Promise<{ rows: Row[] }>;
    },
  };
}
