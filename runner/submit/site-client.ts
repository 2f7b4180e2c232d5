/**
 * The runner's one HTTP client of the HeadPrep site (every GET and POST of the CLI goes through
 * `send`), with bounded retries. What can succeed a moment later is retried with exponential
 * backoff (with jitter; a Retry-After header can lengthen a wait, never shorten it): 5xx, 429,
 * timeouts and connections dropped mid-request. A site that cannot be reached at all (connection
 * refused, DNS failure) is not: SiteUnreachableError at once. Answers are parsed with the
 * contract's schemas (contract/api.ts): `siteJson` returns a success parsed with the caller's
 * schema and throws an error answer as contract ApiFailure (parsed with ApiErrorSchema); an answer
 * of another shape is a SiteAnswerError. Nothing here knows about files or the outbox. (Dataset
 * files come from their home URLs, not the site: runner/lib/download.ts.)
 */
import type { z } from 'zod';
import { ApiErrorSchema, ApiFailure, envInt, formatIssues, siteBaseUrl, utf8, type Env } from '../../contract';
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

/** One request to the site. */
export interface SiteRequest {
  method?: 'GET' | 'POST';
  /** A JSON body (POST). */
  body?: string;
  headers?: Record<string, string>;
  /** Default: retryPolicyFromEnv(). */
  policy?: RetryPolicy;
  hooks?: PostHooks;
}

/** The first non-transient answer: status and raw body bytes. */
interface RawAnswer {
  status: number;
  bytes: Uint8Array;
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** POSTs a JSON body, retrying transient failures; returns the first non-transient answer. */
export async function postJson(url: string, body: string, policy: RetryPolicy, hooks: PostHooks = {}): Promise<ApiAnswer> {
  const { status, bytes } = await send(url, { method: 'POST', body, policy, hooks });
  return { status, body: parseJson(utf8.decode(bytes)) };
}

/** The site answered with a shape the contract does not describe. */
export class SiteAnswerError extends Error {
  override name = 'SiteAnswerError';
}

/** An error answer as contract ApiFailure: the error envelope parsed with ApiErrorSchema, else `http_<status>` with the start of the body. */
export function apiFailureOf(url: string, status: number, body: unknown, text = ''): ApiFailure {
  const e = ApiErrorSchema.safeParse(body);
  if (e.success) return new ApiFailure(status, e.data.error.code, e.data.error.message, e.data.error.path);
  return new ApiFailure(status, `http_${status}`, `${url} answered HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`);
}

/** A success answer parsed with `schema` (SiteAnswerError naming the field when it does not fit). */
export function parseAnswer<T>(url: string, answer: ApiAnswer, schema: z.ZodType<T>): T {
  const r = schema.safeParse(answer.body);
  if (!r.success) throw new SiteAnswerError(`${url}: the site's answer does not match the contract (${formatIssues(r.error)}); is the site a HeadPrep site of this version?`);
  return r.data;
}

/** A request whose success is JSON of `schema`; an error answer throws contract ApiFailure. */
export async function siteJson<T>(url: string, schema: z.ZodType<T>, req: SiteRequest = {}): Promise<T> {
  const { status, bytes } = await send(url, req);
  const text = utf8.decode(bytes);
  const answer = { status, body: parseJson(text) };
  if (status < 200 || status > 299) throw apiFailureOf(url, status, answer.body, text);
  return parseAnswer(url, answer, schema);
}

/** A request whose success is the body's bytes (a bundle or a config exactly as stored); an error answer throws contract ApiFailure. */
export async function siteBytes(url: string, req: SiteRequest = {}): Promise<Uint8Array> {
  const { status, bytes } = await send(url, req);
  if (status >= 200 && status <= 299) return bytes;
  const text = utf8.decode(bytes);
  throw apiFailureOf(url, status, parseJson(text), text);
}

/** Sends one request, retrying transient failures; returns the first non-transient answer. */
export async function send(url: string, req: SiteRequest = {}): Promise<RawAnswer> {
  const policy = req.policy ?? retryPolicyFromEnv();
  const hooks = req.hooks ?? {};
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
        method: req.method ?? 'GET',
        headers: { ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), accept: 'application/json', ...req.headers },
        body: req.body,
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
    } catch (e) {
      const unreachable = unreachableReason(e);
      if (unreachable) throw new SiteUnreachableError(`${url}: ${unreachable}`, attempt + 1, unreachable);
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      last = `network error: ${cause?.code ?? cause?.message ?? (e as Error).message}`;
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      last = `connection dropped while reading the answer: ${(e as Error).message}`;
      continue;
    }
    if (res.status >= 500 || res.status === 429) {
      const text = utf8.decode(bytes);
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      last = `${res.status} ${errorText(parseJson(text)) ?? text.slice(0, 200)}`;
      continue;
    }
    return { status: res.status, bytes };
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

/** "code: message (at path)" of an API error envelope (contract ApiErrorSchema), or null. */
export function errorText(body: unknown): string | null {
  const r = ApiErrorSchema.safeParse(body);
  if (!r.success) return null;
  const e = r.data.error;
  return `${e.code}: ${e.message}${e.path ? ` (at ${e.path})` : ''}`;
}

/** "code: message (at path)" of a contract ApiFailure. */
export function failureText(f: ApiFailure): string {
  return `${f.code}: ${f.message}${f.path ? ` (at ${f.path})` : ''}`;
}

/** siteBytes for a command: a failure is a CliError saying what the site answered, or why it could not be reached. */
export async function fetchFromSite(url: string): Promise<Uint8Array> {
  try {
    return await siteBytes(url);
  } catch (e) {
    if (e instanceof ApiFailure) throw new CliError(e.code === `http_${e.status}` ? e.message : `${url}: HTTP ${e.status}: ${failureText(e)}`);
    if (e instanceof SiteUnavailableError) throw new CliError(`could not fetch ${url}: ${e.message}`);
    throw e;
  }
}
