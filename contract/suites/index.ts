/**
 * The published suite versions: one JSON file each, `<name>@<version>.json` beside this module,
 * the ONE source both the runner (what it runs) and the site (what it accepts and ranks) read.
 * A file may `extends` an earlier version ("name@version") and override fields: objects merge
 * key by key, arrays and scalars replace (resolve.ts). A published file never changes: a change
 * that can move a score is a new version (published.sha256 pins every file's sha256).
 *
 * Adding a version: write the JSON file and a card section in docs/suites/<name>.md, then
 * `npm run schemas` (it regenerates index.generated.ts and pins the new file; contract/suites/README.md).
 */
import { suiteSlug } from '../ids';
import type { Suite } from '../schemas/config';
import { SUITE_FILES } from './index.generated';
import { resolveSuiteFiles } from './resolve';

export { SUITE_FILES };
export { mergeSuiteFields, resolveSuiteFiles, SuiteFileSchema } from './resolve';

/** Every published suite version, resolved and validated, sorted by name@version. */
export const PUBLISHED_SUITES: readonly Suite[] = resolveSuiteFiles(SUITE_FILES);

/** A published suite by "name@version", or null. */
export function publishedSuite(ref: string): Suite | null {
  return PUBLISHED_SUITES.find((s) => suiteSlug(s) === ref) ?? null;
}
