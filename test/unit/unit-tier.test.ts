/**
 * The unit tier (and the reference tier, test/reference/) stays pure: no test file here reaches TensorFlow.js or a database driver through
 * its static imports (followed through every relative import, source files included), and the
 * module hook that vitest.config.ts installs for this tier turns any such import at run time,
 * static or dynamic, into an error.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const FORBIDDEN = /^(@tensorflow\/|@electric-sql\/pglite$|@electric-sql\/pglite\/|pg$|pg\/|@vercel\/postgres$|@vercel\/postgres\/)/;
// `import x from '…'`, `import '…'`, `export … from '…'`; not `import type` (erased at compile time)
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const EXTENSIONS = ['', '.ts', '.tsx', '.mjs', '.js', '/index.ts'];

function resolveRelative(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const ext of EXTENSIONS) if (existsSync(base + ext) && statSync(base + ext).isFile()) return base + ext;
  return null;
}

/** Every forbidden package `entry` reaches through static imports, each with the import chain. */
function forbiddenImports(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack: [string, string[]][] = [[resolve(ROOT, entry), []]];
  while (stack.length) {
    const [file, chain] = stack.pop()!;
    if (seen.has(file) || !/\.(ts|tsx|mjs|js)$/.test(file)) continue;
    seen.add(file);
    const here = [...chain, relative(ROOT, file)];
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec!.startsWith('.')) {
        const next = resolveRelative(file, spec!);
        if (next) stack.push([next, here]);
      } else if (FORBIDDEN.test(spec!)) found.push(`${spec} via ${here.join(' -> ')}`);
    }
  }
  return found;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => relative(ROOT, join(dir, f)))
    .sort();
}

describe('the unit tier', () => {
  it('the import walk finds TensorFlow.js and database drivers where they are', () => {
    expect(forbiddenImports('test/runner/train/training.test.ts').join('\n')).toMatch(/^@tensorflow\/tfjs via /m);
    expect(forbiddenImports('test/integration/_helpers/databases.ts').join('\n')).toMatch(/^pg via /m);
  });

  it('no unit test file imports TensorFlow.js, PGlite, pg or @vercel/postgres, directly or transitively', () => {
    const files = [...testFiles(join(ROOT, 'test', 'unit')), ...testFiles(join(ROOT, 'test', 'reference'))];
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(forbiddenImports)).toEqual([]);
  });

  it('imports of them at run time fail in this tier', async () => {
    await expect(import('@tensorflow/tfjs-core')).rejects.toThrow(/UNIT_TIER/);
    await expect(import('@electric-sql/pglite')).rejects.toThrow(/UNIT_TIER/);
    await expect(import('pg')).rejects.toThrow(/UNIT_TIER/);
  });
});
