/** The runner's site client and outbox against a real local HTTP server that misbehaves on cue. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../../../runner/submit/outbox';
import { CliError } from '../../../../runner/lib/cli-error';
import { ApiFailure, KeyAnswerSchema } from '../../../../contract';
import {
  backoffMs,
  postJson,
  retryPolicyFromEnv,
  siteBase,
  siteJson,
  SiteAnswerError,
  siteOption,
  SiteUnavailableError,
  SiteUnreachableError,
  unreachableReason,
  type RetryPolicy,
} from '../../../../runner/submit/site-client';

const policy: RetryPolicy = { retries: 3, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5000 };

describe('site client', () => {
  let server: Server;
  let url: string;
  let script: number[] = [];
  let hits = 0;
  let bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        hits++;
        bodies.push(body);
        const status = script.shift() ?? 201;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (status === 429) headers['retry-after'] = '0';
        res.writeHead(status, headers);
        res.end(JSON.stringify(status < 300 ? { id: 'abc' } : { error: { code: `e${status}`, message: 'scripted' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const reset = (s: number[]) => {
    script = s;
    hits = 0;
    bodies = [];
  };

  it('retries 5xx and 429 with backoff, then returns the answer; the body is sent unchanged each time', async () => {
    reset([503, 500, 429]);
    const retries: string[] = [];
    const ans = await postJson(`${url}/api/results`, '{"x": 1}', policy, { onRetry: (r) => retries.push(r) });
    expect(ans).toEqual({ status: 201, body: { id: 'abc' } });
    expect(hits).toBe(4);
    expect(new Set(bodies)).toEqual(new Set(['{"x": 1}']));
    expect(retries.map((r) => r.slice(0, 3))).toEqual(['503', '500', '429']);
  });

  it('does not retry a definite answer (4xx)', async () => {
    reset([422]);
    const ans = await postJson(`${url}/api/results`, '{}', policy);
    expect(ans.status).toBe(422);
    expect(hits).toBe(1);
  });

  it('gives up after the bounded number of attempts', async () => {
    reset([502, 502, 502, 502, 502]);
    await expect(postJson(`${url}/api/results`, '{}', policy)).rejects.toBeInstanceOf(SiteUnavailableError);
    expect(hits).toBe(4);
  });

  it('stops at a refused connection: no retry, no wait (SiteUnreachableError, still a SiteUnavailableError)', async () => {
    const closed = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => r(port));
      });
    });
    const slow = { ...policy, retries: 4, baseDelayMs: 5000 }; // any retry would take seconds
    const t0 = performance.now();
    const e = await postJson(`http://127.0.0.1:${closed}/api/results`, '{}', slow).catch((x: unknown) => x);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(e).toBeInstanceOf(SiteUnreachableError);
    expect(e).toBeInstanceOf(SiteUnavailableError);
    expect(e).toMatchObject({ reason: 'connection refused', attempts: 1 });
  });

  it('stops at a DNS failure too', async () => {
    const e = await postJson('http://headprep.invalid/api/results', '{}', { ...policy, baseDelayMs: 5000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SiteUnreachableError);
    expect((e as SiteUnreachableError).reason).toMatch(/^DNS: /);
  });

  it('retries what can succeed later: a connection dropped mid-request', async () => {
    const dropping = createServer((req, res) => {
      drops++;
      if (drops === 1) req.socket.destroy();
      else res.writeHead(201, { 'content-type': 'application/json' }).end('{"id":"abc"}');
    });
    let drops = 0;
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', () => r()));
    try {
      const retries: string[] = [];
      const ans = await postJson(`http://127.0.0.1:${(dropping.address() as AddressInfo).port}/api/results`, '{}', policy, { onRetry: (r) => retries.push(r) });
      expect(ans.status).toBe(201);
      expect(drops).toBe(2);
      expect(retries).toEqual([expect.stringMatching(/^network error: /)]);
    } finally {
      await new Promise<void>((r) => dropping.close(() => r()));
    }
  });

  it('unreachableReason: only refusals and DNS failures are final', () => {
    const err = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
    expect(unreachableReason(err('ECONNREFUSED'))).toBe('connection refused');
    expect(unreachableReason(err('ENOTFOUND'))).toMatch(/^DNS/);
    expect(unreachableReason(err('EAI_AGAIN'))).toMatch(/^DNS/);
    expect(unreachableReason(err('ECONNRESET'))).toBeNull();
    expect(unreachableReason(err('UND_ERR_CONNECT_TIMEOUT'))).toBeNull();
    expect(unreachableReason(Object.assign(new TypeError('fetch failed'), { cause: { errors: [{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }] } }))).toBe('connection refused');
  });

  it('backoff doubles and is capped', () => {
    const p = { ...policy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(1, p)).toBeGreaterThanOrEqual(75);
    expect(backoffMs(1, p)).toBeLessThanOrEqual(125);
    expect(backoffMs(3, p)).toBeGreaterThanOrEqual(300);
    expect(backoffMs(20, p)).toBeLessThanOrEqual(1250);
  });

  it('normalises site URLs and refuses others', () => {
    expect(siteBase('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(() => siteBase('ftp://x')).toThrow(/http/);
    expect(() => siteBase('not a url')).toThrow(/--site/);
  });

  it('takes --site, else HEADPREP_SITE; a bad one is a CliError', () => {
    expect(siteOption('https://a.example.org/', {})).toBe('https://a.example.org');
    expect(siteOption(undefined, { HEADPREP_SITE: 'http://b.example.org//' })).toBe('http://b.example.org');
    expect(siteOption(undefined, {})).toBeNull();
    expect(() => siteOption('ftp://x', {})).toThrow(CliError);
  });

  it('reads the retry policy from the environment and refuses a bad value by name', () => {
    expect(retryPolicyFromEnv({})).toEqual({ retries: 4, baseDelayMs: 500, maxDelayMs: 15_000, timeoutMs: 30_000 });
    expect(retryPolicyFromEnv({ HEADPREP_RETRIES: '0', HEADPREP_RETRY_BASE_MS: '20' })).toMatchObject({ retries: 0, baseDelayMs: 20 });
    expect(() => retryPolicyFromEnv({ HEADPREP_RETRIES: 'lots' })).toThrow(new CliError('HEADPREP_RETRIES must be a non-negative integer, got "lots"'));
  });
});

describe('outbox', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'headprep-outbox-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('keeps one file per payload per site, forgets accepted ones and parks refused ones with the reason', async () => {
    const a = new Outbox('http://127.0.0.1:3000', root);
    const b = new Outbox('https://headprep.example.org', root);
    const sha = (c: string) => c.repeat(64);
    await a.put(sha('a'), '{"a":1}');
    await a.put(sha('a'), '{"a":1}');
    await a.put(sha('b'), '{"b":1}');
    await b.put(sha('c'), '{"c":1}');
    expect((await a.list()).map((e) => e.body)).toEqual(['{"a":1}', '{"b":1}']);
    expect((await b.list()).map((e) => e.payloadSha256)).toEqual([sha('c')]);
    const [ea, eb] = await a.list();
    await a.done(ea!);
    const parked = await a.reject(eb!, '422 check_failed.fingerprint: mismatch');
    expect(await a.list()).toEqual([]);
    expect(await readFile(`${parked}.reason.txt`, 'utf8')).toContain('check_failed.fingerprint');
    expect(await readdir(a.rejectedDir)).toHaveLength(2);
  });
});

describe('siteJson: answers parsed with the contract', () => {
  let server: Server;
  let url: string;
  const answers: Record<string, [number, string]> = {
    '/ok': [200, JSON.stringify({ key: { key_id: 'a'.repeat(64), public_key: 'AA==', name: 'lab', status: 'approved', created_at: '2026-12-01T00:00:00Z', approved_at: null, revoked_at: null } })],
    '/renamed': [200, JSON.stringify({ key: { keyId: 'a'.repeat(64) } })],
    '/refused': [404, JSON.stringify({ error: { code: 'not_found', message: 'no key', path: 'id' } })],
    '/proxy': [404, '<html>not here</html>'],
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, body] = answers[req.url ?? ''] ?? [500, ''];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('returns a success of the schema, and refuses an answer of another shape naming the field', async () => {
    expect((await siteJson(`${url}/ok`, KeyAnswerSchema, { policy })).key.name).toBe('lab');
    const renamed = siteJson(`${url}/renamed`, KeyAnswerSchema, { policy });
    await expect(renamed).rejects.toThrow(SiteAnswerError);
    await expect(renamed).rejects.toThrow(/does not match the contract \(key\.key_id: /);
  });

  it('throws an error answer as contract ApiFailure with its status, code and path; a body that is not the envelope is http_<status>', async () => {
    const refused = await siteJson(`${url}/refused`, KeyAnswerSchema, { policy }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiFailure);
    expect(refused).toMatchObject({ status: 404, code: 'not_found', message: 'no key', path: 'id' });
    const proxy = await siteJson(`${url}/proxy`, KeyAnswerSchema, { policy }).catch((e: unknown) => e);
    expect(proxy).toMatchObject({ status: 404, code: 'http_404' });
    expect((proxy as Error).message).toContain('<html>not here</html>');
  });
});
