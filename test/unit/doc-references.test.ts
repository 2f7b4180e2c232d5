/**
 * Code points only at documents inside the repository: every `*.md` a source file names (in a
 * comment or a string) exists, as a path from the repository root when it has a folder, else as
 * the name of some Markdown file in the tree. Design notes kept outside the repository do not
 * count: what a maintainer needs from them lives in docs/ (docs/engineering.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SKIP = new Set(['node_modules', '.git', '.next', '.data', 'runs', 'tmp', 'test-results', 'bench/results']);
// A reference starts at a word boundary that is not inside a longer path or URL.
const MD_REF = /(?<![\w/:.@-])((?:[\w@.-]+\/)*[\w@.-]+\.md)\b/g;

function walk(dir = ''): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (SKIP.has(rel) || SKIP.has(e.name)) return [];
    return e.isDirectory() ? walk(rel) : [rel];
  });
}

describe('references to documents', () => {
  const files = walk();
  const markdown = new Set(files.filter((f) => f.endsWith('.md')));
  const names = new Set([...markdown].map((f) => basename(f)));

  it('name files that are in the repository', () => {
    const missing: string[] = [];
    for (const file of files.filter((f) => /\.(ts|tsx|mjs|js)$/.test(f)))
      for (const [, ref] of readFileSync(join(ROOT, file), 'utf8').matchAll(MD_REF)) {
        const found = ref!.includes('/') ? markdown.has(ref!.replace(/^\.\//, '')) : names.has(ref!);
        if (!found) missing.push(`${file}: ${ref}`);
      }
    expect(missing).toEqual([]);
  });

  it('finds a reference to a document that is not there', () => {
    const md = '.md'; // spelled apart so that this file does not name them itself
    const text = `see style${md} habit 3 and docs/nowhere${md}, not https://x.org/a${md}`;
    expect([...text.matchAll(MD_REF)].map((m) => m[1])).toEqual([`style${md}`, `docs/nowhere${md}`]);
    expect(names.has(`style${md}`) || markdown.has(`docs/nowhere${md}`)).toBe(false);
    expect(names.has(`engineering${md}`) && markdown.has(`docs/engineering${md}`)).toBe(true);
  });
});
