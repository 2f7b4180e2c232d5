import 'server-only';

/** Server limits, all from the environment (documented in .env.example). */
export interface ServerConfig {
  /** Largest accepted request body, bytes (HEADPREP_MAX_BODY_BYTES, default 2 MiB). */
  maxBodyBytes: number;
  /** Requests per key per window on POST /api/results (HEADPREP_RATE_LIMIT, default 600; 0 = off). */
  rateLimit: number;
  /** Rate-limit window, seconds (HEADPREP_RATE_LIMIT_WINDOW_S, default 60). */
  rateWindowS: number;
  /** Replays of stored results per client address per window (HEADPREP_REPLAY_LIMIT, default 600; 0 = off). */
  replayLimit: number;
  /** Bytes of stored envelopes a pending (unapproved) key may hold (HEADPREP_PENDING_KEY_QUOTA_BYTES, default 20 MiB; 0 = off). */
  pendingKeyQuotaBytes: number;
  /** Trust X-Forwarded-For/-Host/-Proto (HEADPREP_TRUST_PROXY=1): only behind a proxy that sets them. */
  trustProxy: boolean;
  /** The site's public origin for absolute URLs (HEADPREP_SITE_URL), or null: from the request. */
  siteUrl: string | null;
  /** How far issued_at of a key registration may be from the server clock, seconds (default 600). */
  registrationWindowS: number;
  /** New keys accepted site-wide per window (HEADPREP_KEY_REGISTRATION_LIMIT, default 100; 0 = off). */
  newKeyLimit: number;
  /** Its window, seconds (HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S, default 3600). */
  newKeyWindowS: number;
  /** Bearer token of the admin endpoints (ADMIN_TOKEN); null disables them. */
  adminToken: string | null;
}

function int(env: Record<string, string | undefined>, name: string, dflt: number): number {
  const v = env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function siteUrlFrom(v: string | undefined): string | null {
  if (!v) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`HEADPREP_SITE_URL must be an absolute URL like https://headprep.example.org, got "${v}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`HEADPREP_SITE_URL must be http(s), got "${v}"`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

export function serverConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  return {
    maxBodyBytes: int(env, 'HEADPREP_MAX_BODY_BYTES', 2 * 1024 * 1024),
    rateLimit: int(env, 'HEADPREP_RATE_LIMIT', 600),
    rateWindowS: Math.max(1, int(env, 'HEADPREP_RATE_LIMIT_WINDOW_S', 60)),
    replayLimit: int(env, 'HEADPREP_REPLAY_LIMIT', 600),
    pendingKeyQuotaBytes: int(env, 'HEADPREP_PENDING_KEY_QUOTA_BYTES', 20 * 1024 * 1024),
    trustProxy: env.HEADPREP_TRUST_PROXY === '1',
    siteUrl: siteUrlFrom(env.HEADPREP_SITE_URL),
    registrationWindowS: int(env, 'HEADPREP_KEY_REGISTRATION_WINDOW_S', 600),
    newKeyLimit: int(env, 'HEADPREP_KEY_REGISTRATION_LIMIT', 100),
    newKeyWindowS: Math.max(1, int(env, 'HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S', 3600)),
    adminToken: env.ADMIN_TOKEN ? env.ADMIN_TOKEN : null,
  };
}
