/**
 * One suite list (issue 23): the site's suite index (home page "All suites", the 404 page) and the
 * runner's `headprep suites` list the same published suites, and say the same about what a suite
 * needs to run (contract/suites/needs.ts, rendered by app/_components/suite-needs.tsx).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suiteNeeds, suiteNeedsText, suiteSlug } from '../../../contract';
import { createDb } from '../../../db/connect';
import { listSuiteIndex } from '../../../db/queries/suite-index';
import type { DbHandle } from '../../../db/types';
import { isOnDemandSuite, listAllSuites } from '../../../runner/protocols/suites/index';
import { SuiteNeeds } from '../../../app/_components/suite-needs';

let db: DbHandle;
beforeAll(async () => {
  db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
});
afterAll(async () => {
  await db?.$close();
});

describe('the site and the CLI list the same suites', () => {
  it('the same suite versions, cifar10-transfer@1/@2 included', async () => {
    const site = (await listSuiteIndex(db)).map(suiteSlug).sort();
    const cli = listAllSuites().map(suiteSlug).sort();
    expect(site).toEqual(cli);
    expect(cli).toEqual(expect.arrayContaining(['cifar10-transfer@1', 'cifar10-transfer@2', 'tiny@1']));
  });

  it('the same words about what a suite needs; nothing for suites that run on a CPU', () => {
    for (const s of listAllSuites()) {
      const html = renderToStaticMarkup(createElement(SuiteNeeds, { suite: s.name }));
      const text = suiteNeedsText(s.name);
      if (!text) {
        expect(html, s.name).toBe('');
        continue;
      }
      expect(html).toContain('data-testid="suite-needs"');
      expect(html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'")).toContain(text.slice(1));
    }
    expect(suiteNeedsText('cifar10-transfer@2')).toMatch(/^needs a GPU .* and a download: CIFAR-10/);
  });

  it('a suite needs a download exactly when the runner loads its pieces on demand', () => {
    for (const s of listAllSuites()) expect(isOnDemandSuite(s.name), s.name).toBe(Boolean(suiteNeeds(s.name)?.download));
  });
});
