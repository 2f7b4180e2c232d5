/**
 * Writes the files generated from the contract: the suite registry (scripts/suite-index.ts:
 * contract/suites/index.generated.ts and the sha256 pins in contract/suites/published.sha256), and
 * JSON Schema files generated from the contract's zod schemas into contract/json-schema/.
 * `--check` fails (exit 1) when a committed file is stale, and prints the command that fixes it.
 * A problem no regeneration fixes (an edited published suite file, a missing card) fails both.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../contract/json-schema';
import { planSuiteIndex } from './suite-index';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');

const suites = planSuiteIndex(root);
if (suites.problems.length) {
  for (const p of suites.problems) console.error(p);
  console.error(`${suites.problems.length} problem(s) with the suite files; nothing written`);
  process.exit(1);
}
const wanted = new Map(suites.writes);
const dir = join('contract', 'json-schema');
mkdirSync(join(root, dir), { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const file = join(dir, `${name}.schema.json`);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  let current = '';
  try {
    current = readFileSync(join(root, file), 'utf8');
  } catch {
    /* missing */
  }
  if (current !== text) wanted.set(file, text);
}
for (const [file, text] of wanted) {
  if (check) {
    console.error(`stale: ${file}`);
  } else {
    writeFileSync(join(root, file), text);
    console.log(`wrote ${file}`);
  }
}
if (check && wanted.size) {
  console.error(`${wanted.size} generated file(s) are stale; regenerate them with: npm run schemas`);
  process.exit(1);
}
if (check) console.log('generated files are up to date');
