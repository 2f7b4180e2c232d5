import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSuiteFiles } from '../../../db/mutations/suites';
import { resultIdOf } from '../../../db/mutations/results';
import { CursorError, decodeCursor, encodeCursor } from '../../../db/queries/results';
import { driverFor } from '../../../db/connect';
import tiny from '../../../db/suites/tiny@1.json';

describe('published suite files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'headprep-suites-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('the committed files parse with the contract', () => {
    const suites = readSuiteFiles(join(process.cwd(), 'db', 'suites'));
    expect(suites.map((s) => `${s.name}@${s.version}`)).toContain('tiny@1');
  });
  it('refuses a file whose name does not match its suite, or an invalid suite, naming the file', async () => {
    await writeFile(join(dir, 'other@1.json'), JSON.stringify(tiny));
    expect(() => readSuiteFiles(dir)).toThrow(/other@1\.json: file name must be tiny@1\.json/);
    await rm(join(dir, 'other@1.json'));
    await writeFile(join(dir, 'tiny@1.json'), JSON.stringify({ ...tiny, grid: { pairs: [] } }));
    expect(() => readSuiteFiles(dir)).toThrow(/tiny@1\.json: .*grid/);
  });
  it('a missing folder is no suites', () => {
    expect(readSuiteFiles(join(dir, 'nope'))).toEqual([]);
  });
});

describe('ids and cursors', () => {
  it('result ids are the payload hash prefix', () => {
    expect(resultIdOf('ab'.repeat(32))).toBe('ab'.repeat(10));
  });
  it('cursors round-trip and malformed ones throw CursorError', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(decodeCursor(null)).toBeNull();
    expect(decodeCursor('')).toBeNull();
    for (const bad of ['42', 's-1', 'sx', 's1e9', `s${'9'.repeat(16)}`]) expect(() => decodeCursor(bad)).toThrow(CursorError);
  });
});

describe('driver choice', () => {
  it('POSTGRES_URL beats DATABASE_URL beats PGlite', () => {
    expect(driverFor({})).toBe('pglite');
    expect(driverFor({ DATABASE_URL: 'postgres://x' })).toBe('node-postgres');
    expect(driverFor({ DATABASE_URL: 'postgres://x', POSTGRES_URL: 'postgres://y' })).toBe('vercel-postgres');
  });
});
