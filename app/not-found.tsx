import { NotFoundHint } from './_components/not-found-hint';

export const metadata = { title: 'Not found — HeadPrep' };

/**
 * The 404 page for every route: what may have gone wrong, and every published suite to go to
 * instead. Next renders this component into the payload of every page of the site (it is the root
 * layout's not-found boundary), so it reads nothing on the server: the suite list comes from
 * GET /api/suites in the browser (app/_components/not-found-hint.tsx), and a page's cost stays
 * independent of how many suites and results the site holds.
 */
export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <NotFoundHint />
      <p>
        Or go to the <a href="/">leaderboards</a> (every published suite is listed there), the <a href="/configs">reference configs</a>{' '}
        or <a href="/submit">how to submit</a>.
      </p>
    </>
  );
}
