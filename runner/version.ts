import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const RUNNER_VERSION: string = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;

let sha: string | null | undefined;
/** Git commit of the checkout the runner runs from, or null outside a checkout. */
export function gitSha(): string | null {
  if (sha !== undefined) return sha;
  try {
    sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    sha = null;
  }
  return sha;
}
