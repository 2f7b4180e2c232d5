import { describe, expect, it, vi } from 'vitest';
import { requireAdmin } from '../../../../app/_server/admin';
import { serverConfig } from '../../../../app/_server/config';
import { ApiFailure, toErrorResponse } from '../../../../app/_server/errors';
import { isJsonContentType, readBodyLimited, readJsonBody } from '../../../../app/_server/http';
import { parseResultListRequest, resultsCsv } from '../../../../app/_server/results-query';

vi.mock('server-only', () => ({}));

const req = (headers: Record<string, string>, body?: BodyInit) => new Request('http://x/api', { method: 'POST', headers, body });
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as ApiFailure;
  }
  throw new Error('expected a failure');
};

describe('admin auth', () => {
  it('503 without a configured token, 401 for a missing or wrong one, passes the right one', () => {
    expect(failure(() => requireAdmin(req({ authorization: 'Bearer x' }), null))).toMatchObject({ status: 503, code: 'admin_disabled' });
    expect(failure(() => requireAdmin(req({}), 'secret'))).toMatchObject({ status: 401 });
    expect(failure(() => requireAdmin(req({ authorization: 'Bearer secreT' }), 'secret'))).toMatchObject({ status: 401 });
    expect(failure(() => requireAdmin(req({ authorization: 'Basic secret' }), 'secret'))).toMatchObject({ status: 401 });
    expect(() => requireAdmin(req({ authorization: 'Bearer secret' }), 'secret')).not.toThrow();
    expect(() => requireAdmin(req({ authorization: 'bearer   secret' }), 'secret')).not.toThrow();
  });
});

describe('request bodies', () => {
  it('reads bodies up to the limit and refuses one byte more (413)', async () => {
    expect(await readBodyLimited(req({}, new Uint8Array(10)), 10)).toHaveLength(10);
    await expect(readBodyLimited(req({}, new Uint8Array(11)), 10)).rejects.toMatchObject({ status: 413, code: 'body_too_large' });
  });
  it('refuses a declared Content-Length over the limit before reading', async () => {
    const r = new Request('http://x', { method: 'POST', body: 'tiny', headers: { 'content-length': '999999' } });
    await expect(readBodyLimited(r, 100)).rejects.toMatchObject({ status: 413 });
  });
  it('readJsonBody checks the content type before the size, and keeps no byte of a refused body', async () => {
    // Over the limit and the wrong type: the answer is 415, not 413 (the type is looked at first).
    await expect(readJsonBody(req({ 'content-type': 'text/plain' }, new Uint8Array(50)), 10)).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type' });
    await expect(readJsonBody(req({}, '{}'), 10)).rejects.toMatchObject({ status: 415 });
    // A refused body is drained only up to the limit, then cancelled: a body that never ends still gets its 415.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(1024));
      },
    });
    const r = new Request('http://x', { method: 'POST', body: endless, headers: { 'content-type': 'text/plain' }, duplex: 'half' } as RequestInit);
    await expect(readJsonBody(r, 4096)).rejects.toMatchObject({ status: 415 });
    expect(pulled).toBeLessThan(10);
    // The right type: then the size limit applies.
    await expect(readJsonBody(req({ 'content-type': 'application/json' }, new Uint8Array(11)), 10)).rejects.toMatchObject({ status: 413 });
    expect(await readJsonBody(req({ 'content-type': 'application/json; charset=utf-8' }, '{}'), 10)).toEqual(new TextEncoder().encode('{}'));
  });
  it('accepts application/json with parameters only', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonContentType('text/json')).toBe(false);
    expect(isJsonContentType('application/jsonp')).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});

describe('error envelope', () => {
  it('maps ApiFailure to its status and hides unexpected errors behind 500', async () => {
    const r = toErrorResponse(new ApiFailure(422, 'check_failed.fingerprint', 'mismatch', 'payload.fingerprint'));
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: { code: 'check_failed.fingerprint', message: 'mismatch', path: 'payload.fingerprint' } });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const boom = toErrorResponse(new Error('db password is hunter2'));
    spy.mockRestore();
    expect(boom.status).toBe(500);
    expect(JSON.stringify(await boom.json())).not.toContain('hunter2');
  });
});

describe('config from env', () => {
  it('defaults and validation', () => {
    expect(serverConfig({})).toEqual({
      maxBodyBytes: 2097152, rateLimit: 600, rateWindowS: 60, replayLimit: 600, pendingKeyQuotaBytes: 20 * 1024 * 1024, trustProxy: false, siteUrl: null,
      registrationWindowS: 600, newKeyLimit: 100, newKeyWindowS: 3600, adminToken: null,
    });
    expect(serverConfig({ HEADPREP_PENDING_KEY_QUOTA_BYTES: '0' }).pendingKeyQuotaBytes).toBe(0);
    expect(() => serverConfig({ HEADPREP_PENDING_KEY_QUOTA_BYTES: '1.5' })).toThrow(/HEADPREP_PENDING_KEY_QUOTA_BYTES/);
    expect(serverConfig({ HEADPREP_KEY_REGISTRATION_LIMIT: '0', HEADPREP_KEY_REGISTRATION_LIMIT_WINDOW_S: '60' })).toMatchObject({ newKeyLimit: 0, newKeyWindowS: 60 });
    expect(() => serverConfig({ HEADPREP_KEY_REGISTRATION_LIMIT: '-1' })).toThrow(/HEADPREP_KEY_REGISTRATION_LIMIT/);
    expect(serverConfig({ HEADPREP_RATE_LIMIT: '0', ADMIN_TOKEN: 't' })).toMatchObject({ rateLimit: 0, adminToken: 't' });
    expect(() => serverConfig({ HEADPREP_MAX_BODY_BYTES: '2MB' })).toThrow(/HEADPREP_MAX_BODY_BYTES/);
  });
});

describe('GET /api/results query', () => {
  it('parses filters and defaults', () => {
    const q = parseResultListRequest(new URLSearchParams('suite=tiny@1&backbone=linear&strategy=hp-tau&tier=signed&limit=5&format=csv'));
    expect(q).toEqual({
      filters: { suiteName: 'tiny', suiteVersion: 1, backbone: 'linear', dataset: undefined, strategy: 'hp-tau', trustTier: 'signed' },
      cursor: null,
      limit: 5,
      format: 'csv',
    });
    expect(parseResultListRequest(new URLSearchParams('suite=tiny')).filters).toMatchObject({ suiteName: 'tiny' });
  });
  it.each([
    ['suite=Tiny', 'suite'],
    ['backbone=a b', 'backbone'],
    ['limit=1001', 'limit'],
    ['limit=x', 'limit'],
    ['tier=gold', 'tier'],
    ['fingerprint=abc', 'fingerprint'],
    ['format=xml', 'format'],
  ])('%s -> 400 at %s', (qs, path) => {
    expect(failure(() => parseResultListRequest(new URLSearchParams(qs)))).toMatchObject({ status: 400, path });
  });
  it('CSV quotes what needs quoting', () => {
    const csv = resultsCsv([{ id: 'a', runner_version: '1,2 "x"' } as never]);
    const [header, row] = csv.trim().split('\n');
    expect(header!.split(',')[0]).toBe('id');
    expect(row!.startsWith('a,')).toBe(true);
    expect(row!.endsWith('"1,2 ""x"""')).toBe(true);
  });
});
