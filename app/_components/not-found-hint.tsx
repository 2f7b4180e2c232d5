'use client';
/**
 * The part of the 404 page that depends on the mistyped URL (not-found pages get no params, so the
 * path is read in the browser): an unknown version of a known suite names its latest version; an
 * unknown result or key id says what may have happened.
 */
import { usePathname } from 'next/navigation';

export interface SuiteRef {
  name: string;
  version: number;
}

export function NotFoundHint({ suites }: { suites: SuiteRef[] }) {
  const raw = usePathname() ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    /* not valid percent-encoding (proxy.ts sends such paths here): match the raw path */
  }
  const suite = /^\/suites\/([^/@]+)(?:@([^/]*))?\/?$/.exec(path);
  if (suite) {
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
