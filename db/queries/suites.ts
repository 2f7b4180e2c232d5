import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../types';
import { suites, type SuiteRow } from '../schema';

export async function getSuite(db: Db | Tx, name: string, version: number): Promise<SuiteRow | null> {
  const [row] = await db
    .select()
    .from(suites)
    .where(and(eq(suites.name, name), eq(suites.version, version)))
    .limit(1);
  return row ?? null;
}

export async function listSuites(db: Db): Promise<SuiteRow[]> {
  return db.select().from(suites).orderBy(asc(suites.name), asc(suites.version));
}
