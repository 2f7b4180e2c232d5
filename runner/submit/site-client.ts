/**
 * HTTP client of the HeadPrep site API: JSON POSTs with bounded retries. What can succeed a moment
 * later is retried with exponential backoff (with jitter; a Retry-After header can lengthen a
 * wait, never shorten it): 5xx, 429, timeouts and connections dropped mid-request. A site that
 * cannot be reached at all (connection refused, DNS failure) is not: SiteUnreachableError at once.
 * Any other status is an answer and returned as is. Nothing here knows about files or the outbox.
 */
import { envInt, siteBaseUrl, type Env } from '../../contract';
import { CliError } from '../lib/cli-error';

export interface RetryPolicy {
  /** Retries after the first attempt (HEADPREP_RETRIES, default 4). */
  retries: number;
  /** First backoff delay, ms (HEADPREP_RETRY_BASE_MS, default 500); doubles per retry. */
  baseDelayMs: number;
  /** Largest delay between attempts, ms (default 15 s). */
  maxDelayMs: number;
  /** Per-request timeout, ms (default 30 s). */
  timeoutMs: number;
}

/** The retry policy from the environment; a bad value is a CliError naming the variable (contract envInt). */
export function retryPolicyFromEnv(env: Env = process.env): RetryPolicy {
  try {
    return {
      retries: envInt(env, 'HEADPREP_RETRIES', 4),
      baseDelayMs: envInt(env, 'HEADPREP_RETRY_BASE_MS', 500),
      maxDelayMs: envInt(env, 'HEADPREP_RETRY_MAX_MS', 15_000),
      timeoutMs: envInt(env, 'HEADPREP_HTTP_TIMEOUT_MS', 30_000),
    };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export interface ApiAnswer {
  status: number;
  /** Parsed JSON body, or null when the body was not JSON. */
  body: unknown;
}

/** The site could not be reached or kept failing (network error, 5xx, 429) through every retry. */
export class SiteUnavailableError extends Error {
  override name = 'SiteUnavailableError';
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/**
 * The site cannot be reached at all: the connection was refused, or its host name does not resolve
 * (DNS), or fetch refuses the port. Retrying within seconds cannot help, so postJson throws this at
 * the first such failure instead of backing off; callers stop there (the outbox keeps what is queued).
 */
export class SiteUnreachableError extends SiteUnavailableError {
  override name = 'SiteUnreachableError';
  constructor(
    message: string,
    attempts: number,
    /** "connection refused", "DNS: no such host", ... */
    readonly reason: string,
  ) {
    super(message, attempts);
  }
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'DNS: no such host',
  EAI_AGAIN: 'DNS: no answer from a name server, EAI_AGAIN',
  EAI_FAIL: 'DNS: lookup failed, EAI_FAIL',
  EAI_NONAME: 'DNS: no such host, EAI_NONAME',
};

/** Why a fetch failed for good ("connection refused", a DNS failure), or null when a retry may succeed (reset, timeout, ...). */
export function unreachableReason(e: unknown): string | null {
  const cause = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
  const codes = [cause?.code, ...(cause?.errors ?? []).map((x) => x.code)].filter((c): c is string => typeof c === 'string');
  for (const c of codes) if (UNREACHABLE[c]) return UNREACHABLE[c];
  if (cause?.message === 'bad port') return 'a port fetch refuses to use, bad port';
  return null;
}

/** Normalises the --site URL (contract siteBaseUrl: http(s), no trailing slash). */
export function siteBase(site: string): string {
  return siteBaseUrl(site, '--site');
}

/** The site a command talks to: `--site`, else $HEADPREP_SITE, normalised; null when neither is set. */
export function siteOption(value: string | undefined, env: Record<string, string | undefined> = process.env): string | null {
  const raw = value ?? env.HEADPREP_SITE;
  if (!raw) return null;
  try {
    return siteBase(raw);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delay before retry `attempt` (1-based): base * 2^(attempt-1), capped, with +-25% jitter. */
export function backoffMs(attempt: number, p: RetryPolicy): number {
  const d = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(d * (0.75 + Math.random() * 0.5));
}

export interface PostHooks {
  /** Called before each retry with the reason and the delay. */
  onRetry?(reason: string, attempt: number, delayMs: number): void;
}

/** POSTs a JSON body, retrying transient failures; returns the first non-transient answer. */
export async function postJson(url: string, body: string, policy: RetryPolicy, hooks: PostHooks = {}): Promise<ApiAnswer> {
  let last = '';
  let retryAfterMs: number | null = null;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    if (attempt > 0) {
      // The exponential backoff applies to every transient failure; a server's Retry-After can
      // only lengthen the wait (never shorten it to 0, or every client hammers a recovering site).
      const delay = Math.max(backoffMs(attempt, policy), retryAfterMs === null ? 0 : Math.min(retryAfterMs, 60_000));
      hooks.onRetry?.(last, attempt, delay);
      await sleep(delay);
    }
    retryAfterMs = null;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
    } catch (e) {
      const unreachable = unreachableReason(e);
      if (unreachable) throw new SiteUnreachableError(`${url}: ${unreachable}`, attempt + 1, unreachable);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      last = `network error: ${cause?.code ?? cause?.message ?? (e as Error).message}`;
      continue;
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {}
    if (res.status >= 500 || res.status === 429) {
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      last = `${res.status} ${errorText(parsed) ?? text.slice(0, 200)}`;
      continue;
    }
    return { status: res.status, body: parsed };
  }
  throw new SiteUnavailableError(`${url}: ${last} (after ${policy.retries + 1} attempts)`, policy.retries + 1);
}

/**
 * Retry-After (RFC 9110 10.2.3) in ms: delay-seconds or an HTTP-date; null when the header is
 * missing or unreadable (Number(null) is 0, which must not mean "retry at once").
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return /[a-z]/i.test(v) && Number.isFinite(t) ? Math.max(0, t - now) : null;
}

/** "code: message" of an API error envelope, or null. */
export function errorText(body: unknown): string | null {
  const e = (body as { error?: { code?: unknown; message?: unknown; path?: unknown } } | null)?.error;
  if (!e || typeof e.code !== 'string') return null;
  return `${e.code}: ${String(e.message)}${typeof e.path === 'string' ? ` (at ${e.path})` : ''}`;
}
