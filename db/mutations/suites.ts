import { eq, and } from 'drizzle-orm';
import { canonicalize, PUBLISHED_SUITES, suiteSlug, type Suite } from '../../contract';
import type { Db } from '../types';
import { suites } from '../schema';

export type SuiteWrite = 'inserted' | 'unchanged' | 'refused';

/**
 * Stores a published suite version. A version the database already has is never changed: when
 * the stored definition differs from `suite` (its file was edited after publication), the write is
 * refused and the stored definition stays, so results already ranked under it keep their meaning.
 * A change that can move a score is a new version (contract/suites/README.md).
 */
export async function insertSuite(db: Db, suite: Suite, card: string | null = null): Promise<SuiteWrite> {
  const rows = await db
    .insert(suites)
    .values({ name: suite.name, version: suite.version, description: suite.description, definition: suite, card })
    .onConflictDoNothing({ target: [suites.name, suites.version] })
    .returning({ name: suites.name });
  if (rows.length > 0) return 'inserted';
  const [stored] = await db
    .select({ definition: suites.definition })
    .from(suites)
    .where(and(eq(suites.name, suite.name), eq(suites.version, suite.version)));
  return stored && canonicalize(stored.definition) === canonicalize(suite) ? 'unchanged' : 'refused';
}

/**
 * Loads the published suites (contract/suites) into the suites table: new versions are inserted;
 * a stored version whose published file changed is refused and reported (see insertSuite).
 */
export async function seedPublishedSuites(
  db: Db,
  published: readonly Suite[] = PUBLISHED_SUITES,
  warn: (line: string) => void = (l) => console.error(l),
): Promise<{ inserted: number; refused: string[] }> {
  let inserted = 0;
  const refused: string[] = [];
  for (const s of published) {
    const r = await insertSuite(db, s);
    if (r === 'inserted') inserted++;
    if (r === 'refused') {
      refused.push(suiteSlug(s));
      warn(
        `headprep: the stored definition of ${suiteSlug(s)} differs from contract/suites/${suiteSlug(s)}.json; published versions never change, so the stored one stays. Publish the change as a new version.`,
      );
    }
  }
  return { inserted, refused };
}
