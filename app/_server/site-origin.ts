import 'server-only';
import { headers } from 'next/headers';
import { originFromHeaders } from '../_server/request-context';

/**
 * The site's public origin for copy-paste commands: the same rule as the API's absolute URLs
 * (app/_server/request-context.ts): HEADPREP_SITE_URL, else a trusted proxy's forwarded host
 * (HEADPREP_TRUST_PROXY=1), else the request's Host header.
 */
export async function siteOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('host') ?? '127.0.0.1:3000';
  const proto = /^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https';
  return originFromHeaders(h, `${proto}://${host}/`);
}
