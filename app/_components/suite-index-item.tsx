/** One published suite version in a list of suites (the home page, the 404 page). */
import type { ReactNode } from 'react';
import { suiteSlug } from '../../contract/ids';

/** A suite version's link and how many results it ranks (and holds pending approval), then `children`. */
export function SuiteIndexItem({ suite, children }: { suite: { name: string; version: number; ranked: number; pending: number }; children?: ReactNode }) {
  return (
    <li>
      <a href={`/suites/${suiteSlug(suite)}`}>
        {suite.name}@{suite.version}
      </a>{' '}
      <span className="small muted">
        {suite.ranked} ranked result{suite.ranked === 1 ? '' : 's'}
        {suite.pending ? `, ${suite.pending} pending approval` : ''}
      </span>
      {children}
    </li>
  );
}
