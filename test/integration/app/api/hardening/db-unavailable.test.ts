/**
 * The database unreachable (a Postgres URL on a loopback port nothing listens on): every route that
 * needs it answers 503 with Retry-After and the error envelope, and the runner's client backs off
 * with growing delays. (A live restart of a private Postgres mid-submit is not done here: the
 * refused connection is the state a restart passes through.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setDb } from '../../../../../db/connect';
import { postJson, SiteUnavailableError } from '../../../../../runner/submit/site-client';
import { newKey, registrationBody, signBundle } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { freePort, startRouteServer, type RouteServer } from '../../../_helpers/route-server';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

describe('database unreachable', () => {
  let site: RouteServer;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    setDb(null);
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await freePort()}/headprep_gone`;
    process.env.HEADPREP_SEED = '0';
    site = await startRouteServer();
  });
  afterAll(async () => {
    await site?.close();
    setDb(null);
    process.env = savedEnv;
  });

  it('answers 503 with Retry-After and the error envelope on every database route', async () => {
    const k = await newKey();
    const requests: [string, string, string?][] = [
      ['POST', '/api/results', await signBundle(await validBundle(1), k)],
      ['POST', '/api/keys', await registrationBody(k)],
      ['GET', '/api/results'],
      ['GET', `/api/results/${'a'.repeat(20)}`],
      ['GET', `/api/keys/${k.keyid}`],
      ['GET', '/api/leaderboard?suite=tiny@1'],
      ['GET', '/api/configs'],
      ['GET', `/api/configs/${'b'.repeat(64)}`],
    ];
    for (const [method, path, body] of requests) {
      const r = await fetch(`${site.url}${path}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
      expect(r.status, path).toBe(503);
      expect(Number(r.headers.get('retry-after')), path).toBeGreaterThan(0);
      expect(((await r.json()) as { error: { code: string } }).error.code, path).toBe('unavailable');
    }
    expect(site.thrown).toEqual([]);
  });

  it("the runner waits at least the site's Retry-After on a 503", async () => {
    const k = await newKey();
    const delays: number[] = [];
    const err = await postJson(`${site.url}/api/results`, await signBundle(await validBundle(2), k), { retries: 1, baseDelayMs: 10, maxDelayMs: 10_000, timeoutMs: 5000 }, {
      onRetry: (reason, _attempt, delayMs) => {
        expect(reason).toMatch(/^503 unavailable/);
        delays.push(delayMs);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiteUnavailableError);
    expect(delays).toEqual([5000]);
  }, 30_000);
});

describe("the runner's backoff on transient failures", () => {
  let server: Server;
  let url: string;
  let retryAfter: string | null = null;
  const hits: number[] = [];
  beforeAll(async () => {
    // what a proxy in front of a restarting site answers: a 5xx, often without Retry-After
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hits.push(performance.now());
        res.writeHead(502, { 'content-type': 'text/plain', ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) });
        res.end('bad gateway');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/results`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  for (const header of [null, '0', 'soon']) {
    it(`delays grow with Retry-After ${header === null ? 'missing' : `"${header}"`}`, async () => {
      retryAfter = header;
      hits.length = 0;
      const delays: number[] = [];
      const err = await postJson(url, '{}', { retries: 4, baseDelayMs: 40, maxDelayMs: 10_000, timeoutMs: 5000 }, { onRetry: (_r, _a, d) => delays.push(d) }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SiteUnavailableError);
      const gaps = hits.slice(1).map((t, i) => Math.round(t - hits[i]!));
      console.log(`Retry-After ${header ?? 'missing'}: planned delays ${delays.join(', ')} ms, measured gaps ${gaps.join(', ')} ms`);
      expect(hits).toHaveLength(5);
      // base 40 ms doubling with +-25% jitter: 30-50, 60-100, 120-200, 240-400 ms
      delays.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(0.75 * 40 * 2 ** i);
        expect(d).toBeLessThanOrEqual(1.25 * 40 * 2 ** i + 1);
        if (i > 0) expect(d).toBeGreaterThan(delays[i - 1]!);
      });
      gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(delays[i]! - 2));
    });
  }
});
