import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { formatIssues, SuiteSchema, type Suite } from '../../contract';
import type { Db } from '../connect';
import { suites } from '../schema';

/**
 * Inserts or refreshes a suite version from its published definition. Published versions are not
 * meant to change (a change that can move a score bumps the version); the committed files are the
 * source of truth, so a row whose definition differs from its file is brought in line (this only
 * happens while a suite is being developed). Returns true when a row was inserted or changed.
 */
export async function upsertSuite(db: Db, suite: Suite, card: string | null = null): Promise<boolean> {
  const rows = await db
    .insert(suites)
    .values({ name: suite.name, version: suite.version, description: suite.description, definition: suite, card })
    .onConflictDoUpdate({
      target: [suites.name, suites.version],
      set: { description: suite.description, definition: suite, card: sql`coalesce(excluded.card, ${suites.card})` },
      setWhere: sql`${suites.definition} is distinct from excluded.definition or ${suites.description} is distinct from excluded.description`,
    })
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

/** Loads the suites of `dir` (new or changed ones); returns how many rows were written. */
export async function seedSuitesFromDir(db: Db, dir: string): Promise<number> {
  let n = 0;
  for (const s of readSuiteFiles(dir)) if (await upsertSuite(db, s)) n++;
  return n;
}
