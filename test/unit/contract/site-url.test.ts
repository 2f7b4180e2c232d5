import { describe, expect, it } from 'vitest';
import { siteBaseUrl } from '../../../contract';

describe('siteBaseUrl: one spelling of a site URL', () => {
  it('keeps the origin and the path, drops trailing slashes, lowercases the host', () => {
    expect(siteBaseUrl('https://Example.org//', '--site')).toBe('https://example.org');
    expect(siteBaseUrl('http://127.0.0.1:3000/headprep///', '--site')).toBe('http://127.0.0.1:3000/headprep');
    expect(siteBaseUrl('https://example.org:443/a?b=1#c', 'HEADPREP_SITE_URL')).toBe('https://example.org/a');
  });

  it('refuses what is not an absolute http(s) URL, naming the field', () => {
    expect(() => siteBaseUrl('example.org', 'HEADPREP_SITE_URL')).toThrow(/^HEADPREP_SITE_URL must be an absolute URL .*"example\.org"/);
    expect(() => siteBaseUrl('ftp://example.org', '--site')).toThrow(/^--site must be http\(s\), got "ftp:\/\/example\.org"/);
  });
});
