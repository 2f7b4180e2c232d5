/**
 * Postgres goes away in the middle of a submit and comes back: the site reaches its database through
 * a TCP relay that the test cuts (every open connection dropped, new ones refused, as while a server
 * restarts) and restores 1.5 s later. The runner's client rides it out (503 + Retry-After, then a
 * retry), every result is stored exactly once, and the server's log stays short: a line or two per
 * failed request, none longer than 500 characters, none carrying the request's envelope or the
 * query's parameters (app/_server/failure-log.ts).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { setDb } from '../../../../../db/connect';
import { postJson } from '../../../../../runner/submit/site-client';
import { newKey, registrationBody, signBundle, type TestKey } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { describePostgres } from '../../../_helpers/describe-postgres';
import { freshPostgresDatabase, POSTGRES_URL } from '../../../_helpers/databases';
import { freePort, startRouteServer, type RouteServer } from '../../../_helpers/route-server';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

const ADMIN = 'db-restart-admin-token-0123456789';
const RESULTS = 24;
const CUT_AFTER = 8;

/** A TCP relay to the Postgres server that can be cut (all connections dropped, the port closed) and restored on the same port. */
async function startRelay(target: { host: string; port: number }, port: number) {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const up = createConnection(target);
        for (const s of [client, up]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            up.destroy();
          });
        }
        client.pipe(up).pipe(client);
      });
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  return {
    async cut() {
      const s = server;
      server = null;
      for (const c of sockets) c.destroy();
      await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    },
    restore: listen,
    close: async () => {
      for (const c of sockets) c.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
  };
}

describePostgres('Postgres restarts during a submit', () => {
  let site: RouteServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let fresh: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let key: TestKey;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    fresh = await freshPostgresDatabase();
    const target = new URL(POSTGRES_URL!);
    const port = await freePort();
    relay = await startRelay({ host: target.hostname, port: Number(target.port || 5432) }, port);
    const viaRelay = new URL(fresh.url);
    viaRelay.host = `127.0.0.1:${port}`;
    setDb(null);
    process.env.DATABASE_URL = viaRelay.toString();
    process.env.HEADPREP_SEED = '0';
    process.env.HEADPREP_RATE_LIMIT = '0';
    process.env.ADMIN_TOKEN = ADMIN;
    site = await startRouteServer();
    key = await newKey();
    expect((await fetch(`${site.url}/api/keys`, { method: 'POST', body: await registrationBody(key), headers: { 'content-type': 'application/json' } })).status).toBe(201);
    const approved = await fetch(`${site.url}/api/admin/keys/${key.keyid}/approve`, { method: 'POST', body: '{}', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' } });
    expect(approved.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await site?.close();
    setDb(null);
    await relay?.close();
    process.env = savedEnv;
    await fresh?.drop();
  });

  it('stores every result once and logs a few short lines per failed request, without parameters', async () => {
    const bodies = await Promise.all(Array.from({ length: RESULTS }, async (_, i) => signBundle(await validBundle(100 + i), key)));
    const lines: string[] = [];
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    const spies = (['error', 'warn', 'log', 'info'] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture));
    const failedAttempts: number[] = [];
    let restored: Promise<void> | null = null;
    try {
      for (let i = 0; i < RESULTS; i++) {
        if (i === CUT_AFTER) {
          await relay.cut();
          restored = new Promise((r) => setTimeout(r, 1500)).then(() => relay.restore());
        }
        const answer = await postJson(`${site.url}/api/results`, bodies[i]!, { retries: 6, baseDelayMs: 100, maxDelayMs: 2000, timeoutMs: 20_000 }, {
          onRetry: (_reason, attempt) => void failedAttempts.push(attempt),
        });
        expect(answer.status, `result ${i}`).toBe(201);
      }
      await restored;
    } finally {
      for (const s of spies) s.mockRestore();
    }
    // The outage was seen (at least one request failed and was retried) and survived.
    expect(failedAttempts.length).toBeGreaterThan(0);
    expect(site.thrown).toEqual([]);
    const list = (await (await fetch(`${site.url}/api/results?limit=1000`)).json()) as { items: { seed: number }[] };
    expect(list.items.map((r) => r.seed).sort((a, b) => a - b)).toEqual(Array.from({ length: RESULTS }, (_, i) => 100 + i));
    // The log: short lines, no envelope, no parameters, at most a few per failed request.
    const signature = (JSON.parse(bodies[CUT_AFTER]!) as { signatures: { sig: string }[] }).signatures[0]!.sig;
    for (const l of lines) {
      expect(l.length, l.slice(0, 200)).toBeLessThanOrEqual(500);
      expect(l).not.toContain('params:');
      expect(l).not.toContain(signature.slice(0, 24));
      expect(l).not.toContain('"payload"');
    }
    expect(lines.length).toBeLessThanOrEqual(3 * failedAttempts.length + 2);
  }, 120_000);
});
