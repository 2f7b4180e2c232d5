/**
 * Adding a suite version touches exactly its JSON file and its card: in a temporary copy of the
 * suite files and cards, a throwaway version is added and scripts/suite-index.ts (what
 * `npm run schemas` runs) writes the import list and the pin, with no other edit; the generated
 * module imports and resolves the new version. An edited published file, a missing card or a
 * card without the version's section stays a problem that regenerating does not hide.
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSuiteFiles, suiteSlug } from '../../../contract';
import { CARDS_DIR, INDEX_FILE, parsePins, PIN_FILE, planSuiteIndex, SUITES_DIR } from '../../../scripts/suite-index';

const repo = process.cwd();
let root = '';

/** Every file under the copied folders, path -> content. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of [SUITES_DIR, CARDS_DIR])
    for (const f of readdirSync(join(dir, sub), { recursive: true, encoding: 'utf8' }).sort())
      if (/\.(json|ts|md|sha256)$/.test(f)) out.set(`${sub}/${f}`, readFileSync(join(dir, sub, f), 'utf8'));
  return out;
}

function regenerate(): ReturnType<typeof planSuiteIndex> {
  const plan = planSuiteIndex(root);
  if (!plan.problems.length) for (const [path, text] of plan.writes) writeFileSync(join(root, path), text);
  return plan;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'headprep-suite-index-'));
  for (const sub of [SUITES_DIR, CARDS_DIR]) cpSync(join(repo, sub), join(root, sub), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/suite-index.ts', () => {
  it('finds the committed registry current', () => {
    expect(planSuiteIndex(repo)).toEqual({ writes: new Map(), problems: [] });
  });

  it('accepts a new version from its JSON file and its card alone', async () => {
    const before = snapshot(root);
    writeFileSync(join(root, SUITES_DIR, 'tiny@99.json'), `${JSON.stringify({ name: 'tiny', version: 99, extends: 'tiny@1', description: 'throwaway' })}\n`);
    appendFileSync(join(root, CARDS_DIR, 'tiny.md'), '\n## tiny@99\n\nA throwaway version.\n');

    const plan = regenerate();
    expect(plan.problems).toEqual([]);
    expect([...plan.writes.keys()].sort()).toEqual([INDEX_FILE, PIN_FILE].sort());
    expect(planSuiteIndex(root)).toEqual({ writes: new Map(), problems: [] });

    const after = snapshot(root);
    const changed = [...after.keys()].filter((p) => after.get(p) !== before.get(p)).sort();
    expect(changed).toEqual([`${CARDS_DIR}/tiny.md`, INDEX_FILE, PIN_FILE, `${SUITES_DIR}/tiny@99.json`].sort());
    const oldPins = parsePins(before.get(PIN_FILE)!);
    const newPins = parsePins(after.get(PIN_FILE)!);
    expect([...newPins].filter(([f]) => oldPins.has(f))).toEqual([...oldPins]);
    expect(newPins.get('tiny@99.json')).toMatch(/^[0-9a-f]{64}$/);

    const { SUITE_FILES } = (await import(pathToFileURL(join(root, INDEX_FILE)).href)) as { SUITE_FILES: Record<string, unknown> };
    const tiny99 = resolveSuiteFiles(SUITE_FILES).find((s) => suiteSlug(s) === 'tiny@99');
    expect(tiny99?.description).toBe('throwaway');
    expect(tiny99?.grid).toBeDefined();
  });

  it('refuses an edited published file and never rewrites its pin', () => {
    const pins = readFileSync(join(root, PIN_FILE), 'utf8');
    appendFileSync(join(root, SUITES_DIR, 'tiny@1.json'), ' ');
    const plan = regenerate();
    expect(plan.problems).toEqual([expect.stringMatching(/contract\/suites\/tiny@1\.json changed after publication/)]);
    expect(readFileSync(join(root, PIN_FILE), 'utf8')).toBe(pins);
  });

  it('refuses a removed published file', () => {
    rmSync(join(root, SUITES_DIR, 'tiny@1.json'));
    expect(regenerate().problems).toEqual([expect.stringMatching(/tiny@1\.json was published and is gone/)]);
  });

  it('refuses a version without its card section, or without a card', () => {
    writeFileSync(join(root, SUITES_DIR, 'tiny@99.json'), JSON.stringify({ name: 'tiny', version: 99, extends: 'tiny@1' }));
    expect(regenerate().problems).toEqual([expect.stringMatching(/docs\/suites\/tiny\.md has no section naming tiny@99/)]);
    writeFileSync(join(root, SUITES_DIR, 'newsuite@1.json'), JSON.stringify({ name: 'newsuite', version: 1, extends: 'tiny@1' }));
    expect(regenerate().problems).toContainEqual(expect.stringMatching(/docs\/suites\/newsuite\.md is missing/));
  });

  it('refuses an invalid suite, naming the file and the field', () => {
    writeFileSync(join(root, SUITES_DIR, 'tiny@99.json'), JSON.stringify({ name: 'tiny', version: 99, extends: 'tiny@1', grid: { pairs: [] } }));
    appendFileSync(join(root, CARDS_DIR, 'tiny.md'), '\n## tiny@99\n');
    const plan = regenerate();
    expect(plan.problems).toEqual([expect.stringMatching(/tiny@99\.json \(extends tiny@1\): .*grid/)]);
    expect(readFileSync(join(root, INDEX_FILE), 'utf8')).not.toContain('tiny@99');
  });
});
