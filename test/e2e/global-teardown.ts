/** Removes the e2e site's embedded database (playwright.config.ts made it under the OS temp dir). */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';

export default function globalTeardown(): void {
  const dir = process.env.HEADPREP_E2E_DATA_DIR;
  // Only a directory this config created: never a path someone exported by hand elsewhere.
  if (dir && dirname(dir) === tmpdir() && basename(dir).startsWith('headprep-e2e-')) rmSync(dir, { recursive: true, force: true });
}
