/**
 * The site accepts results for the suites in db/suites/*.json, exported from the runner's registry
 * (the site cannot import the runner). If they drift in what decides acceptance (name@version,
 * pairs, strategies, taus), the runner's own results are refused: regenerate with the command in
 * db/suites/README.md.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Suite } from '../../../contract';
import { readSuiteFiles } from '../../../db/mutations/suites';
import { getSuite, listSuites } from '../../../runner/protocols/suites/index';

const acceptance = (s: Suite) => ({
  ref: `${s.name}@${s.version}`,
  pairs: s.grid.pairs,
  strategies: s.grid.strategies.map((x) => ({ strategy: x.strategy, taus: x.taus })),
});

describe('published suites match the runner registry', () => {
  const published = new Map(readSuiteFiles(join(process.cwd(), 'db', 'suites')).map((s) => [`${s.name}@${s.version}`, s]));
  for (const s of listSuites())
    it(`${s.name}@${s.version}`, () => {
      const p = published.get(`${s.name}@${s.version}`);
      expect(p, `db/suites/${s.name}@${s.version}.json is missing: regenerate (db/suites/README.md)`).toBeDefined();
      expect(acceptance(p!)).toEqual(acceptance(s));
    });
  it('every published suite exists in the runner', () => {
    for (const ref of published.keys()) expect(() => getSuite(ref)).not.toThrow();
  });
});
