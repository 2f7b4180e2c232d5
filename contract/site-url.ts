/**
 * A site's base URL, spelled one way everywhere (the CLI's --site, the site's own HEADPREP_SITE_URL):
 * http or https, origin plus path, no trailing slash, so `${base}/api/...` is always one URL.
 */

/** Normalises `text`; throws naming `field` (e.g. "--site") when it is not an absolute http(s) URL. */
export function siteBaseUrl(text: string, field: string): string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new Error(`${field} must be an absolute URL like https://headprep.example.org, got "${text}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${field} must be http(s), got "${text}"`);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}
