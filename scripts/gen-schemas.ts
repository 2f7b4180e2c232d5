/**
 * Writes JSON Schema files generated from the contract's zod schemas into contract/json-schema/.
 * `--check` fails (exit 1) when a committed file is stale, and prints the command that fixes it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemas } from '../contract/json-schema';

const dir = join(import.meta.dirname, '..', 'contract', 'json-schema');
const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const file = join(dir, `${name}.schema.json`);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing */
  }
  if (current === text) continue;
  if (check) {
    console.error(`stale: ${file}`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
if (stale) {
  console.error(`${stale} JSON Schema file(s) are stale; regenerate them with: npm run schemas`);
  process.exit(1);
}
if (check) console.log('JSON Schema files are up to date');
