/**
 * A tiny node:http server that runs the real route handlers (Web Request/Response adapted to
 * node's), so CLI tests talk HTTP to 127.0.0.1 without `next start`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as keysRoute from '../../../app/api/keys/route';
import * as keyRoute from '../../../app/api/keys/[id]/route';
import * as resultsRoute from '../../../app/api/results/route';
import * as resultRoute from '../../../app/api/results/[id]/route';
import * as envelopeRoute from '../../../app/api/results/[id]/envelope/route';
import * as approveRoute from '../../../app/api/admin/keys/[id]/approve/route';
import * as adminKeysRoute from '../../../app/api/admin/keys/route';
import * as reproductionsRoute from '../../../app/api/reproductions/route';
import * as reproductionRoute from '../../../app/api/reproductions/[id]/route';
import * as bundleDownload from '../../../app/results/[id]/bundle.json/route';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;
const ROUTES: [string, RegExp, Handler][] = [
  ['POST', /^\/api\/keys$/, keysRoute.POST as Handler],
  ['GET', /^\/api\/keys\/(?<id>[^/]+)$/, keyRoute.GET as Handler],
  ['POST', /^\/api\/results$/, resultsRoute.POST as Handler],
  ['GET', /^\/api\/results$/, resultsRoute.GET as Handler],
  ['GET', /^\/api\/results\/(?<id>[^/]+)$/, resultRoute.GET as Handler],
  ['GET', /^\/api\/results\/(?<id>[^/]+)\/envelope$/, envelopeRoute.GET as Handler],
  ['POST', /^\/api\/admin\/keys\/(?<id>[^/]+)\/approve$/, approveRoute.POST as Handler],
  ['GET', /^\/api\/admin\/keys$/, adminKeysRoute.GET as Handler],
  ['POST', /^\/api\/reproductions$/, reproductionsRoute.POST as Handler],
  ['GET', /^\/api\/reproductions$/, reproductionsRoute.GET as Handler],
  ['GET', /^\/api\/reproductions\/(?<id>[^/]+)$/, reproductionRoute.GET as Handler],
  ['GET', /^\/results\/(?<id>[^/]+)\/bundle\.json$/, bundleDownload.GET as Handler],
];

async function dispatch(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const url = new URL(req.url ?? '/', origin);
  const route = ROUTES.find(([m, re]) => m === req.method && re.test(url.pathname));
  let response: Response;
  if (!route) response = Response.json({ error: { code: 'not_found', message: `no route ${req.method} ${url.pathname}` } }, { status: 404 });
  else {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit);
    const params = route[1].exec(url.pathname)!.groups ?? {};
    response = await route[2](request, { params: Promise.resolve(params) });
  }
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface TestSite {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the API on 127.0.0.1:`port` (0 = any free port). */
export async function startSite(port = 0): Promise<TestSite> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    dispatch(req, res, origin).catch((e) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((r, j) => server.once('error', j).listen(port, '127.0.0.1', () => r()));
  const p = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${p}`;
  return {
    url: origin,
    port: p,
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
