/**
 * The site's admin API as the CLI uses it (`headprep keys approve`): list keys and approve one,
 * with `Authorization: Bearer $ADMIN_TOKEN`. One attempt per request, no retries: these are
 * interactive commands and a wrong token must not be sent five times.
 */
import { idPreview, KEY_PREFIX_RE, MIN_KEY_PREFIX, SHORT_ID_LENGTH } from '../../contract';

export interface AdminKey {
  key_id: string;
  name: string;
  status: string;
  created_at: string;
}

export class AdminApiError extends Error {
  override name = 'AdminApiError';
}

async function call(url: string, token: string, method: 'GET' | 'POST'): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    throw new AdminApiError(`cannot reach ${new URL(url).origin}: ${cause?.code ?? (e as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (res.ok) return body;
  const why = body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
  if (res.status === 401) throw new AdminApiError(`the site refused the admin token (${why}); use the ADMIN_TOKEN the site was started with`);
  if (res.status === 503) throw new AdminApiError(`${why}. Start the site with ADMIN_TOKEN=<a long random string> in its environment, then pass the same token here`);
  throw new AdminApiError(why);
}

export async function listAdminKeys(site: string, token: string): Promise<AdminKey[]> {
  const body = (await call(`${site}/api/admin/keys`, token, 'GET')) as { keys?: AdminKey[] } | null;
  return body?.keys ?? [];
}

/** The identity an approved key joined, and why (the site's answer; contract IdentityDecision). */
export interface AdminIdentityDecision {
  id: string;
  name: string;
  decision: 'new' | 'matched' | 'chosen';
  matched_on: string[];
}

/** Approves a key (into the site's default identity: the one with the same name or contact, else a new one). */
export async function approveAdminKey(site: string, token: string, keyId: string): Promise<AdminKey & { identity?: AdminIdentityDecision | null }> {
  const body = (await call(`${site}/api/admin/keys/${keyId}/approve`, token, 'POST')) as { key: AdminKey; identity?: AdminIdentityDecision | null };
  return { ...body.key, identity: body.identity ?? null };
}

/**
 * The one key whose id is `idOrPrefix` or starts with it (at least MIN_KEY_PREFIX hex digits, as on
 * the site; the short id the CLI prints is enough); an error names the candidates when the prefix
 * is ambiguous and says so when none match.
 */
export function matchKey(keys: AdminKey[], idOrPrefix: string): AdminKey {
  const p = idOrPrefix.toLowerCase();
  if (!KEY_PREFIX_RE.test(p)) throw new AdminApiError(`key id: expected ${MIN_KEY_PREFIX} to 64 hex digits (the ${SHORT_ID_LENGTH}-character short id is enough), got "${idOrPrefix}"`);
  const hits = keys.filter((k) => k.key_id.startsWith(p));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new AdminApiError(`no key on the site starts with ${p}; "headprep keys register --site <url>" registers yours`);
  throw new AdminApiError(`${hits.length} keys start with ${p} (${hits.map((k) => `${idPreview(k.key_id)} "${k.name}"`).join(', ')}); give more digits`);
}
