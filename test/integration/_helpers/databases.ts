/**
 * The database setups of the integration tier:
 *   PGlite in memory        always;
 *   a Postgres server       node-postgres, only when TEST_DATABASE_URL is set;
 *   @vercel/postgres        the same server through a local WebSocket-to-TCP proxy, likewise.
 * describe-postgres.ts is the one gate on TEST_DATABASE_URL for the tests. `openTestDb` gives each
 * Postgres-backed setup a fresh database, dropped afterwards; `openHardeningDb` uses the
 * TEST_DATABASE_URL database itself (migrated in place, never dropped: those suites create their
 * own keys and results and count only those, so a shared test database needs no reset).
 */
import { createServer as createHttpServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';

/** The Postgres server of the Postgres-backed tests; null: those tests are skipped. */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL || null;

export type DbKind = 'pglite' | 'postgres' | 'vercel-postgres';

// The benchmarks (bench/suites/ingest.bench.ts) also call freshPostgresDatabase; without
// TEST_DATABASE_URL they use the local server. Tests reach it only inside describePostgres.
const SERVER_URL = POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  db: DbHandle;
  /** Connection URL of the fresh database (null for PGlite). */
  url: string | null;
  close(): Promise<void>;
}

/** Creates `headprep_test_<random>` on the server of TEST_DATABASE_URL (or 127.0.0.1:5432). */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `headprep_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(SERVER_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A WebSocket server on 127.0.0.1 that pipes each connection to the Postgres TCP port: what
 * Neon's proxy does in production, so @vercel/postgres (over @neondatabase/serverless) can reach
 * a local server.
 */
export async function startWsProxy(target = { host: '127.0.0.1', port: 5432 }): Promise<{ port: number; close(): Promise<void> }> {
  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<Socket>();
  const server = createHttpServer();
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const tcp = connect(target.port, target.host);
      sockets.add(tcp);
      const stream = createWebSocketStream(ws);
      stream.pipe(tcp).pipe(stream);
      const end = () => {
        tcp.destroy();
        ws.terminate();
        sockets.delete(tcp);
      };
      tcp.on('error', end);
      stream.on('error', end);
      tcp.on('close', end);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    async close() {
      for (const s of sockets) s.destroy();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Points the neon driver that @vercel/postgres imports (its own nested copy) at the proxy. */
export async function configureNeonForProxy(proxyPort: number): Promise<void> {
  // The SAME module instance @vercel/postgres resolves (dual-package hazard): its nested copy, ESM entry.
  const { neonConfig } = await import('../../../node_modules/@vercel/postgres/node_modules/@neondatabase/serverless/index.mjs');
  const { WebSocket } = await import('ws');
  neonConfig.webSocketConstructor = WebSocket;
  neonConfig.wsProxy = () => `127.0.0.1:${proxyPort}/`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
}

export async function openTestDb(kind: DbKind): Promise<TestDb> {
  if (kind === 'pglite') {
    const db = await createDb({ HEADPREP_DATA_DIR: 'memory://' });
    return { db, url: null, close: () => db.$close() };
  }
  const fresh = await freshPostgresDatabase();
  if (kind === 'postgres') {
    const db = await createDb({ DATABASE_URL: fresh.url, HEADPREP_DB_POOL_MAX: '10' });
    return {
      db,
      url: fresh.url,
      async close() {
        await db.$close();
        await fresh.drop();
      },
    };
  }
  const server = new URL(fresh.url);
  const proxy = await startWsProxy({ host: server.hostname, port: Number(server.port || 5432) });
  await configureNeonForProxy(proxy.port);
  // @vercel/postgres accepts a local URL only with hostname exactly "localhost" and a password.
  const u = new URL(fresh.url);
  u.hostname = 'localhost';
  u.password = u.password || 'unused-with-trust-auth';
  const db = await createDb({ POSTGRES_URL: u.toString(), HEADPREP_DB_POOL_MAX: '10' });
  return {
    db,
    url: u.toString(),
    async close() {
      await db.$close();
      await proxy.close();
      await fresh.drop();
    },
  };
}

export type HardeningDb = 'pglite' | 'postgres';

/** PGlite in memory, or the TEST_DATABASE_URL database itself (see the header). */
export async function openHardeningDb(kind: HardeningDb): Promise<DbHandle> {
  if (kind === 'pglite') return createDb({ HEADPREP_DATA_DIR: 'memory://' });
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set');
  return createDb({ DATABASE_URL: POSTGRES_URL, HEADPREP_DB_POOL_MAX: '20' });
}
