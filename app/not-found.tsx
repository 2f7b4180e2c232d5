import { connection } from 'next/server';
import { loadSuiteIndex } from './_server/read-model';
import { NotFoundHint } from './_components/not-found-hint';
import { SuiteIndexItem } from './_components/suite-index-item';
import type { SuiteIndexRow } from '../db/queries/suite-index';
import { suiteSlug } from '../contract';

export const metadata = { title: 'Not found — HeadPrep' };

/** The 404 page for every route: what may have gone wrong, and every published suite to go to instead. */
export default async function NotFound() {
  // Rendered per request: the suite list is the database's now, and `next build` never opens it.
  await connection();
  let suites: SuiteIndexRow[] = [];
  try {
    suites = await loadSuiteIndex();
  } catch {
    /* a 404 page must render even when the database does not answer */
  }
  return (
    <>
      <h1>Page not found</h1>
      <NotFoundHint suites={suites.map((s) => ({ name: s.name, version: s.version }))} />
      <h2>Suites</h2>
      {suites.length ? (
        <ul className="suite-index" data-testid="not-found-suites">
          {suites.map((s) => (
            <SuiteIndexItem key={suiteSlug(s)} suite={s} />
          ))}
        </ul>
      ) : (
        <p className="muted">No suites are published on this site yet.</p>
      )}
      <p>
        Or go to the <a href="/">leaderboards</a>, the <a href="/configs">reference configs</a> or{' '}
        <a href="/submit">how to submit</a>.
      </p>
    </>
  );
}
