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
import { WebSocketServer, createWebSocketStream } from 'ws';
import { createDb } from '../../../db/connect';
import type { DbHandle } from '../../../db/types';
import { freshPostgresDatabase, POSTGRES_URL } from '../../../fixtures/postgres';

// Tests reach freshPostgresDatabase only inside describePostgres (describe-postgres.ts).
export { freshPostgresDatabase, POSTGRES_URL };

export type DbKind = 'pglite' | 'postgres' | 'vercel-postgres';

export interface TestDb {
  db: DbHandle;
  /** Connection URL of the fresh database (null for PGlite). */
  url: string | null;
  close(): Promise<void>;
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
