import 'server-only';
import { headers } from 'next/headers';

/**
 * The site's public origin for copy-paste commands: HEADPREP_SITE_URL when set (deployments behind
 * proxies), else the request's forwarded or Host header.
 */
export async function siteOrigin(): Promise<string> {
  const configured = process.env.HEADPREP_SITE_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? '127.0.0.1:3000';
  const proto = h.get('x-forwarded-proto') ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
}
