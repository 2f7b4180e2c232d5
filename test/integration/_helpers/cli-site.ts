/**
 * The world of a test that drives the headprep CLI against the site over real HTTP on 127.0.0.1
 * (test/integration/runner/commands): a fresh PGlite database behind every route handler, the
 * site's ADMIN_TOKEN when given, and a temporary folder for the CLI's config and cache (`env`, for
 * runCli). The site listens on `port` from start() to stop(); the file's afterAll undoes it all.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { setDb } from '../../../db/connect';
import { openTestDb, type TestDb } from './databases';
import { freePort, startRouteServer, type RouteServer } from './route-server';

export interface CliSite {
  db: TestDb['db'];
  /** The temporary folder; the CLI's config and cache are its config/ and cache/. */
  dir: string;
  /** The CLI's environment: HEADPREP_CONFIG_DIR and HEADPREP_CACHE_DIR in `dir`, then the test's own. */
  env: Record<string, string>;
  port: number;
  /** http://127.0.0.1:<port>, whether the site is up or not. */
  url: string;
  start(): Promise<RouteServer>;
  stop(): Promise<void>;
}

/** Opens the world in a beforeAll of the calling describe block; read its fields inside hooks and tests. */
export function useCliSite(opts: { tmpPrefix: string; adminToken?: string; env?: Record<string, string> }): CliSite {
  let t: TestDb | undefined;
  let site: RouteServer | null = null;
  const savedAdmin = process.env.ADMIN_TOKEN;
  const w: CliSite = {
    db: undefined as unknown as TestDb['db'],
    dir: '',
    env: {},
    port: 0,
    url: '',
    async start() {
      site = await startRouteServer(w.port);
      return site;
    },
    async stop() {
      await site?.close();
      site = null;
    },
  };
  beforeAll(async () => {
    t = await openTestDb('pglite');
    w.db = t.db;
    setDb(t.db);
    if (opts.adminToken !== undefined) process.env.ADMIN_TOKEN = opts.adminToken;
    w.dir = await mkdtemp(join(tmpdir(), opts.tmpPrefix));
    w.env = { HEADPREP_CONFIG_DIR: join(w.dir, 'config'), HEADPREP_CACHE_DIR: join(w.dir, 'cache'), ...opts.env };
    w.port = await freePort();
    w.url = `http://127.0.0.1:${w.port}`;
  });
  afterAll(async () => {
    await w.stop();
    setDb(null);
    if (opts.adminToken !== undefined) process.env.ADMIN_TOKEN = savedAdmin;
    await t?.close();
    if (w.dir) await rm(w.dir, { recursive: true, force: true });
  });
  return w;
}
