/**
 * Every route handler of the site (app/api and the result downloads), served over node:http on
 * 127.0.0.1 the way Next would call them: a handler that throws becomes an empty 500, as in
 * production. Page routes (server components) need a Next build and are covered by e2e.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as adminKeys from '../../../app/api/admin/keys/route';
import * as approve from '../../../app/api/admin/keys/[id]/approve/route';
import * as revoke from '../../../app/api/admin/keys/[id]/revoke/route';
import * as hide from '../../../app/api/admin/results/[id]/hide/route';
import * as unhide from '../../../app/api/admin/results/[id]/unhide/route';
import * as dispute from '../../../app/api/admin/results/[id]/dispute/route';
import * as config from '../../../app/api/configs/[id]/route';
import * as configs from '../../../app/api/configs/route';
import * as suites from '../../../app/api/suites/route';
import * as health from '../../../app/api/health/route';
import * as key from '../../../app/api/keys/[id]/route';
import * as keys from '../../../app/api/keys/route';
import * as leaderboard from '../../../app/api/leaderboard/route';
import * as openapi from '../../../app/api/openapi.json/route';
import * as envelope from '../../../app/api/results/[id]/envelope/route';
import * as result from '../../../app/api/results/[id]/route';
import * as results from '../../../app/api/results/route';
import * as schema from '../../../app/api/schema/[name]/route';
import * as reproductions from '../../../app/api/reproductions/route';
import * as reproduction from '../../../app/api/reproductions/[id]/route';
import * as bundleJson from '../../../app/results/[id]/bundle.json/route';
import * as configJson from '../../../app/results/[id]/config.json/route';
import * as envelopeJson from '../../../app/results/[id]/envelope.json/route';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;
const h = (f: unknown) => f as Handler;

/** [method, path template (":x" = one segment), handler]. */
export const ROUTES: readonly [string, string, Handler][] = [
  ['GET', '/api/admin/keys', h(adminKeys.GET)],
  ['POST', '/api/admin/keys/:id/approve', h(approve.POST)],
  ['POST', '/api/admin/keys/:id/revoke', h(revoke.POST)],
  ['POST', '/api/admin/results/:id/hide', h(hide.POST)],
  ['POST', '/api/admin/results/:id/unhide', h(unhide.POST)],
  ['POST', '/api/admin/results/:id/dispute', h(dispute.POST)],
  ['GET', '/api/configs/:id', h(config.GET)],
  ['GET', '/api/configs', h(configs.GET)],
  ['GET', '/api/suites', h(suites.GET)],
  ['GET', '/api/health', h(health.GET)],
  ['GET', '/api/keys/:id', h(key.GET)],
  ['POST', '/api/keys', h(keys.POST)],
  ['GET', '/api/leaderboard', h(leaderboard.GET)],
  ['GET', '/api/openapi.json', h(openapi.GET)],
  ['GET', '/api/results/:id/envelope', h(envelope.GET)],
  ['GET', '/api/results/:id', h(result.GET)],
  ['GET', '/api/results', h(results.GET)],
  ['POST', '/api/results', h(results.POST)],
  ['GET', '/api/schema/:name', h(schema.GET)],
  ['GET', '/api/reproductions/:id', h(reproduction.GET)],
  ['GET', '/api/reproductions', h(reproductions.GET)],
  ['POST', '/api/reproductions', h(reproductions.POST)],
  ['GET', '/results/:id/bundle.json', h(bundleJson.GET)],
  ['GET', '/results/:id/config.json', h(configJson.GET)],
  ['GET', '/results/:id/envelope.json', h(envelopeJson.GET)],
];

const MATCHERS = ROUTES.map(([m, path, f]) => {
  const names: string[] = [];
  const re = new RegExp(
    `^${path.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}$`,
  );
  return { m, re, names, f };
});

async function dispatch(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const url = new URL(req.url ?? '/', origin);
  let response: Response;
  const route = MATCHERS.find((r) => r.m === req.method && r.re.test(url.pathname));
  if (!route) response = Response.json({ error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}` } }, { status: 404 });
  else {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit);
    const m = route.re.exec(url.pathname)!;
    // Next hands route params percent-decoded; an undecodable segment is its 400, never the handler's.
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      response = Response.json({ error: { code: 'bad_request', message: 'malformed path' } }, { status: 400 });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
      return;
    }
    response = await route.f(request, { params: Promise.resolve(params) });
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface RouteServer {
  url: string;
  port: number;
  /** Handler exceptions seen (each answered as an empty 500). */
  thrown: unknown[];
  close(): Promise<void>;
}

/** Serves every route on 127.0.0.1:`port` (0 = any free port). */
export async function startRouteServer(port = 0): Promise<RouteServer> {
  let origin = '';
  const thrown: unknown[] = [];
  const server: Server = createServer((req, res) => {
    dispatch(req, res, origin).catch((e: unknown) => {
      thrown.push(e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((r, j) => server.once('error', j).listen(port, '127.0.0.1', () => r()));
  const bound = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${bound}`;
  return {
    url: origin,
    port: bound,
    thrown,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
