/** The database handle's types, shared by connect.ts, every query and every mutation. */
import type { Assume } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

export type Schema = typeof schema;
/** The drizzle handle every query and mutation takes as its first argument. */
export type Db = PgDatabase<DbQueryResultHKT, Schema>;
/** What `db.execute` returns on every driver: at least `{ rows }` (pg, PGlite and neon agree). */
export interface DbQueryResultHKT extends PgQueryResultHKT {
  type: QueryRows<Assume<this['row'], Record<string, unknown>>>;
}
export interface QueryRows<T> {
  rows: T[];
}
export type DbDriver = 'pglite' | 'node-postgres' | 'vercel-postgres';
export type DbHandle = Db & {
  $driver: DbDriver;
  $close(): Promise<void>;
  /** Whether db/prepared.ts statements are sent named (HEADPREP_DB_NAMED_STATEMENTS, default on). */
  $namedStatements?: boolean;
};
/** Anything that can run queries: the handle or a transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
