/**
 * The site's admin API as the CLI uses it (`headprep keys approve`): list keys and approve one,
 * with `Authorization: Bearer $ADMIN_TOKEN`. One attempt per request, no retries: these are
 * interactive commands and a wrong token must not be sent five times.
 */
import { z } from 'zod';
import { AdminKeyAnswerSchema, AdminKeyListSchema, ApiFailure, idPreview, KEY_PREFIX_RE, MIN_KEY_PREFIX, SHORT_ID_LENGTH, type IdentityDecision } from '../../contract';
import { failureText, retryPolicyFromEnv, siteJson, SiteUnavailableError } from './site-client';

/** A key as GET /api/admin/keys lists it (contract AdminKeyListSchema). */
export type AdminKey = z.infer<typeof AdminKeyListSchema>['keys'][number];

export class AdminApiError extends Error {
  override name = 'AdminApiError';
}

/** One admin request through the site client, without retries; errors become AdminApiError with what to do. */
async function call<T>(url: string, token: string, method: 'GET' | 'POST', schema: z.ZodType<T>): Promise<T> {
  try {
    return await siteJson(url, schema, { method, headers: { authorization: `Bearer ${token}` }, policy: { ...retryPolicyFromEnv(), retries: 0 } });
  } catch (e) {
    if (e instanceof SiteUnavailableError) throw new AdminApiError(`cannot reach ${new URL(url).origin}: ${e.message}`);
    if (!(e instanceof ApiFailure)) throw e;
    const why = failureText(e);
    if (e.status === 401) throw new AdminApiError(`the site refused the admin token (${why}); use the ADMIN_TOKEN the site was started with`);
    if (e.status === 503) throw new AdminApiError(`${why}. Start the site with ADMIN_TOKEN=<a long random string> in its environment, then pass the same token here`);
    throw new AdminApiError(why);
  }
}

export async function listAdminKeys(site: string, token: string): Promise<AdminKey[]> {
  return (await call(`${site}/api/admin/keys`, token, 'GET', AdminKeyListSchema)).keys;
}

/** Approves a key (into the site's default identity: the one with the same name or contact, else a new one). */
export async function approveAdminKey(site: string, token: string, keyId: string): Promise<z.infer<typeof AdminKeyAnswerSchema>['key'] & { identity: IdentityDecision | null }> {
  const body = await call(`${site}/api/admin/keys/${keyId}/approve`, token, 'POST', AdminKeyAnswerSchema);
  return { ...body.key, identity: body.identity ?? null };
}

/**
 * The one key whose id is `idOrPrefix` or starts with it (at least MIN_KEY_PREFIX hex digits, as on
 * the site; the short id the CLI prints is enough); an error names the candidates when the prefix
 * is ambiguous and says so when none match.
 */
export function matchKey<K extends Pick<AdminKey, 'key_id' | 'name'>>(keys: K[], idOrPrefix: string): K {
  const p = idOrPrefix.toLowerCase();
  if (!KEY_PREFIX_RE.test(p)) throw new AdminApiError(`key id: expected ${MIN_KEY_PREFIX} to 64 hex digits (the ${SHORT_ID_LENGTH}-character short id is enough), got "${idOrPrefix}"`);
  const hits = keys.filter((k) => k.key_id.startsWith(p));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new AdminApiError(`no key on the site starts with ${p}; "headprep keys register --site <url>" registers yours`);
  throw new AdminApiError(`${hits.length} keys start with ${p} (${hits.map((k) => `${idPreview(k.key_id)} "${k.name}"`).join(', ')}); give more digits`);
}
