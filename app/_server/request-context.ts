import 'server-only';
import { serverConfig, type ServerConfig } from './config';

/** host[:port] as a client may send it: a DNS name, IPv4 or a bracketed IPv6 literal. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

const first = (v: string | null) => (v ? v.split(',')[0]!.trim() : null);

/**
 * The site's public origin for absolute URLs in API answers (url, api_url, next, Link, Location,
 * envelope_url, OpenAPI servers) and copy-paste commands on pages:
 *   1. HEADPREP_SITE_URL when set;
 *   2. with HEADPREP_TRUST_PROXY=1 only, the proxy's X-Forwarded-Host / X-Forwarded-Proto;
 *   3. else the request's Host header (the scheme the server was reached with).
 * Never a hard-coded host: Next's own request URL says localhost:<port> whatever the client used.
 * Header values that are not a plain host[:port] are ignored (no injection into Link headers).
 */
export function originFromHeaders(headers: Headers, fallbackUrl: string, cfg: Pick<ServerConfig, 'siteUrl' | 'trustProxy'> = serverConfig()): string {
  if (cfg.siteUrl) return cfg.siteUrl;
  const fallback = new URL(fallbackUrl);
  if (cfg.trustProxy) {
    const host = first(headers.get('x-forwarded-host'));
    const proto = first(headers.get('x-forwarded-proto'));
    if (host && HOST.test(host)) return `${proto === 'http' || proto === 'https' ? proto : fallback.protocol.slice(0, -1)}://${host}`;
  }
  const host = headers.get('host');
  if (host && HOST.test(host)) return `${fallback.protocol}//${host}`;
  return fallback.origin;
}

export function publicOrigin(req: Request, cfg?: Pick<ServerConfig, 'siteUrl' | 'trustProxy'>): string {
  return originFromHeaders(req.headers, req.url, cfg);
}

/**
 * The client's address for per-address limits: the first X-Forwarded-For entry when a trusted
 * proxy sets it (HEADPREP_TRUST_PROXY=1), else null (route handlers do not see the socket; all
 * such clients then share one bucket).
 */
export function clientAddress(req: Request, cfg: Pick<ServerConfig, 'trustProxy'> = serverConfig()): string | null {
  if (!cfg.trustProxy) return null;
  const a = first(req.headers.get('x-forwarded-for')) ?? req.headers.get('x-real-ip')?.trim() ?? null;
  return a && /^[0-9A-Fa-f:.]{2,45}$/.test(a) ? a : null;
}
