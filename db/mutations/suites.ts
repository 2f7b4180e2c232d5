import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssues, SuiteSchema, type Suite } from '../../contract';
import type { Db } from '../connect';
import { suites } from '../schema';

/**
 * Inserts a suite version. A published version never changes (a change that can move a score
 * bumps the version), so an existing name@version is left as it is.
 */
export async function upsertSuite(db: Db, suite: Suite, card: string | null = null): Promise<boolean> {
  const rows = await db
    .insert(suites)
    .values({ name: suite.name, version: suite.version, description: suite.description, definition: suite, card })
    .onConflictDoNothing()
    .returning({ name: suites.name });
  return rows.length > 0;
}

/**
 * Reads every `<name>@<version>.json` (a contract Suite) in `dir`. They are exported from the
 * runner's registry (the site cannot import the runner); see db/suites/README.md.
 */
export function readSuiteFiles(dir: string): Suite[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^[a-z0-9][a-z0-9._-]*@\d+\.json$/.test(f));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return files.sort().map((f) => {
    const parsed = SuiteSchema.safeParse(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    if (!parsed.success) throw new Error(`${join(dir, f)}: ${formatIssues(parsed.error)}`);
    if (`${parsed.data.name}@${parsed.data.version}.json` !== f)
      throw new Error(`${join(dir, f)}: file name must be ${parsed.data.name}@${parsed.data.version}.json`);
    return parsed.data;
  });
}

/** Inserts the suites of `dir` that the database does not know yet; returns how many were new. */
export async function seedSuitesFromDir(db: Db, dir: string): Promise<number> {
  let n = 0;
  for (const s of readSuiteFiles(dir)) if (await upsertSuite(db, s)) n++;
  return n;
}
