/**
 * Databases of the hardening suites: PGlite in memory always; Postgres only when TEST_DATABASE_URL
 * is set, and then that database itself (migrated in place, never dropped). The tests create their
 * own keys and results and count only those, so a shared test database needs no reset.
 */
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';

export type HardeningDb = 'pglite' | 'postgres';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL || null;

export async function openHardeningDb(kind: HardeningDb): Promise<DbHandle> {
  if (kind === 'pglite') return createDb({ HEADPREP_DATA_DIR: 'memory://' });
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set');
  return createDb({ DATABASE_URL: POSTGRES_URL, HEADPREP_DB_POOL_MAX: '20' });
}
