/**
 * No import circle between the project's modules: every relative import (static, `export ... from`,
 * `import type` and dynamic `import()`) of the .ts/.tsx files under the source folders is an edge,
 * and the graph has no cycle. Plain fs + regex: specifiers are resolved the way the bundler does
 * (extension-less, `.js` written for `.ts`, folder index files).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const FOLDERS = ['app', 'contract', 'db', 'runner', 'lib', 'seed', 'scripts'];
const SOURCE = /\.(ts|tsx)$/;
// `import x from '...'`, `import type {...} from '...'`, `export * from '...'`, `import '...'`, `import('...')`
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The file a relative or `@/` specifier names, or null for a package (or a non-source file such as .json). */
export function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? join(ROOT, spec.slice(2)) : spec.startsWith('.') ? resolve(dirname(from), spec) : null;
  if (base === null) return null;
  const stem = base.replace(/\.(js|mjs|jsx)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Each file's imports of other source files (comments removed first so that examples in them do not count). */
export function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const targets = [...text.matchAll(IMPORT)].map((m) => resolveImport(file, m[1]!)).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle found by a depth-first search, each as the files around it (first file repeated at the end). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('import graph', () => {
  it('finds a cycle and names its files', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(findCycles(g)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('resolves extension-less, .js and folder-index specifiers to source files', () => {
    const from = join(ROOT, 'contract', 'index.ts');
    expect(resolveImport(from, './catalog')).toBe(join(ROOT, 'contract', 'catalog.ts'));
    expect(resolveImport(from, './ranking/index')).toBe(join(ROOT, 'contract', 'ranking', 'index.ts'));
    expect(resolveImport(join(ROOT, 'app', 'page.tsx'), '../contract')).toBe(join(ROOT, 'contract', 'index.ts'));
    expect(resolveImport(from, 'zod')).toBeNull();
  });

  it('has no import circle between the modules of app, contract, db, runner, lib, seed and scripts', () => {
    const files = FOLDERS.flatMap((f) => sourceFiles(join(ROOT, f)));
    expect(files.length).toBeGreaterThan(200);
    const graph = importGraph(files);
    expect([...graph.values()].flat().length).toBeGreaterThan(500);
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' -> '));
    expect(cycles).toEqual([]);
  });
});
