'use client';
/**
 * The part of the 404 page that depends on the mistyped URL and on the published suites, both read
 * in the browser (not-found pages get no params, and app/not-found.tsx reads nothing on the server:
 * see there): an unknown version of a known suite names its latest version; an unknown result or
 * key id says what may have happened; under it, every published suite (GET /api/suites).
 */
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { suiteSlug } from '../../contract/ids';
import { SuiteIndexItem } from './suite-index-item';
import type { SuiteIndexRow } from '../../contract';

export interface SuiteRef {
  name: string;
  version: number;
}

export function NotFoundHint() {
  const [suites, setSuites] = useState<SuiteIndexRow[] | null>(null);
  useEffect(() => {
    let live = true;
    fetch('/api/suites')
      .then((r) => (r.ok ? (r.json() as Promise<{ suites: SuiteIndexRow[] }>) : { suites: [] }))
      .then((b) => live && setSuites(b.suites), () => live && setSuites([]));
    return () => {
      live = false;
    };
  }, []);
  return (
    <>
      <PathHint suites={suites} />
      <SuiteList suites={suites} />
    </>
  );
}

function SuiteList({ suites }: { suites: SuiteIndexRow[] | null }) {
  if (suites === null) return null;
  return (
    <>
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
    </>
  );
}

/** What the mistyped path may have meant; a suite path waits for the suite list (null: not loaded yet). */
function PathHint({ suites }: { suites: SuiteRef[] | null }) {
  const raw = usePathname() ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    /* not valid percent-encoding (proxy.ts sends such paths here): match the raw path */
  }
  const suite = /^\/suites\/([^/@]+)(?:@([^/]*))?\/?$/.exec(path);
  if (suite) {
    if (suites === null) return null;
    const [, name, version] = suite as unknown as [string, string, string | undefined];
    const versions = suites.filter((s) => s.name === name).map((s) => s.version);
    if (versions.length) {
      const latest = Math.max(...versions);
      return (
        <p data-testid="not-found-hint">
          {name} has no version {version ? `@${version}` : 'given'}: the latest is{' '}
          <a href={`/suites/${name}@${latest}`}>
            {name}@{latest}
          </a>
          {versions.length > 1 ? ` (published: ${versions.sort((a, b) => a - b).map((v) => `@${v}`).join(', ')})` : ''}.
        </p>
      );
    }
    return <p data-testid="not-found-hint">There is no suite named &ldquo;{name}&rdquo;. The published suites are listed below.</p>;
  }
  const result = /^\/results\/([^/]+)/.exec(path);
  if (result)
    return (
      <p data-testid="not-found-hint">
        No result has the id <span className="mono">{result[1]}</span>: the id may be mistyped or cut short, or a maintainer
        hid the result. Result ids are 20 hexadecimal digits, as <code>headprep submit</code> prints them.
      </p>
    );
  const key = /^\/keys\/([^/]+)/.exec(path);
  if (key)
    return (
      <p data-testid="not-found-hint">
        No key starting with <span className="mono">{key[1]}</span> is registered here. Use the full key id or the
        12-character short id that <code>headprep keys show</code> prints.
      </p>
    );
  return null;
}
