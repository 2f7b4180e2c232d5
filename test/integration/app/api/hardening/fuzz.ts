/**
 * A bounded route fuzzer: seeded random requests to every route over 127.0.0.1, stopping after
 * `maxRequests` or `budgetMs`, whichever comes first. Bodies reach deep into the ingest: bundles
 * with one field replaced by a hostile value are *signed by an approved key*, so they pass the
 * signature and exercise parsing, checks and the insert. The property: no client input gets a 5xx,
 * and every 4xx JSON answer is the error envelope.
 */
import { request } from 'node:http';
import { RESULT_PAYLOAD_TYPE, toBase64, utf8, type ResultBundle } from '../../../../../contract';
import { registrationBody, signBytes, type TestKey } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { ROUTES } from '../../../_helpers/route-server';

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_VALUES: unknown[] = [
  '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d', '', ' ', 'x'.repeat(5000), '=HYPERLINK("http://evil")', '<script>alert(1)</script>',
  "'; drop table results; --", '../../etc/passwd', '%', '%25', '١٢٣', '😀', 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, -1, -0, 0.5,
  1e308, -1e308, 5e-324, null, true, false, [], [1, 2], {}, { a: '\u0000' }, '2026-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'a'.repeat(64),
];

/** Raw query/path tokens (already in URL syntax: some are deliberately malformed escapes). */
const RAW_TOKENS = [
  '%', '%25', '%2525', '%00', 'a%00b', '%ED%A0%80', '%C0%80', '%FF', '%ZZ', '99999999999', '2147483648', '-1', '1e308', 'NaN', 'Infinity', '0x10',
  '', '+', '%20', 'digits-mlp@1', 'tiny@1', 'tiny@2147483648', 'tiny@0', 'tiny', 'a'.repeat(300), '0'.repeat(64), 'f'.repeat(64), '0'.repeat(20),
  'abc', '..', '.', '%2e%2e', 'csv', 'json', 'pending', 'approved', 'revoked', 'signed', '1', '1000', '1001', '0', encodeURIComponent('=cmd|calc'),
  encodeURIComponent("' or 1=1 --"), 'eyJ4IjoxfQ', 'MTIz', '%F0%9F%98%80', 'cursor', 'true',
];
const PARAM_NAMES = ['suite', 'backbone', 'dataset', 'strategy', 'key', 'fingerprint', 'tier', 'cursor', 'limit', 'format', 'seed', 'status', 'pending', 'reproduced', 'x', 'suite'];

export interface FuzzContext {
  baseUrl: string;
  approved: TestKey;
  freshKeys: TestKey[];
  adminToken: string;
  /** Ids that exist (results, keys, fingerprints), so some requests hit stored rows. */
  knownIds: string[];
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<number, number>;
  failures: { method: string; path: string; status: number; body: string; why: string }[];
  ms: number;
}

function leafPaths(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => leafPaths(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) leafPaths(x, [...path, k], out);
  out.push(path);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const clone = structuredClone(root) as Record<string | number, unknown>;
  let o = clone;
  for (const p of path.slice(0, -1)) {
    const next = o[p];
    if (!next || typeof next !== 'object') return clone; // an earlier edit replaced this branch
    o = next as Record<string | number, unknown>;
  }
  o[path.at(-1)!] = value;
  return clone;
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

function send(baseUrl: string, r: Req): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, method: r.method, path: r.path, headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.byteLength) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

export async function runFuzz(ctx: FuzzContext, opts: { seed: number; maxRequests: number; budgetMs: number }): Promise<FuzzReport> {
  const rnd = prng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const base = await validBundle(900_000);
  const basePaths = leafPaths(base).filter((p) => p.length > 0);
  const textPaths = [...basePaths.filter((p) => p[0] === 'environment' && p.length === 2), ['error_message']];
  const report: FuzzReport = { requests: 0, byStatus: {}, failures: [], ms: 0 };
  const t0 = Date.now();
  let n = 0;

  const segment = () => (rnd() < 0.35 ? pick(ctx.knownIds) : pick(RAW_TOKENS));
  const query = () => {
    const k = Math.floor(rnd() * 4);
    const parts: string[] = [];
    for (let i = 0; i < k; i++) parts.push(`${pick(PARAM_NAMES)}=${rnd() < 0.2 ? pick(ctx.knownIds) : pick(RAW_TOKENS)}`);
    if (rnd() < 0.1) parts.push(pick(RAW_TOKENS));
    return parts.length ? `?${parts.join('&')}` : '';
  };
  const hostileBundle = async (): Promise<Uint8Array> => {
    let b: unknown = { ...base, config: { ...base.config, seed: 900_000 + n } };
    const edits = 1 + Math.floor(rnd() * 2);
    // Most fields are pinned by the schema or the fingerprint; the free-text ones (environment,
    // error_message) get their own share, as do both copies of the suite version.
    const w = rnd();
    if (w < 0.3) b = setAt(b, pick(textPaths), pick(HOSTILE_VALUES.filter((v) => typeof v === 'string')));
    else if (w < 0.4) {
      const v = pick(HOSTILE_VALUES.filter((x) => typeof x === 'number'));
      b = setAt(setAt(b, ['suite', 'version'], v), ['config', 'suite', 'version'], v);
    } else for (let i = 0; i < edits; i++) b = setAt(b, pick(basePaths), pick(HOSTILE_VALUES));
    if (rnd() < 0.15 && b && typeof b === 'object') (b as Record<string, unknown>)[pick(['x\u0000', '\ud800', 'extra'])] = 1;
    if (rnd() < 0.1 && b && typeof b === 'object') (b as ResultBundle).epochs = Array.from({ length: 3491 }, () => base.epochs[0]!);
    const env = await signBytes(utf8.encode(JSON.stringify(b)), ctx.approved, RESULT_PAYLOAD_TYPE);
    return utf8.encode(JSON.stringify(env));
  };
  const postBody = async (path: string): Promise<Uint8Array> => {
    const r = rnd();
    if (path === '/api/results' && r < 0.6) return hostileBundle();
    if (path === '/api/keys' && r < 0.6) {
      const k = pick(ctx.freshKeys);
      const name = String(pick(HOSTILE_VALUES));
      return utf8.encode(await registrationBody(k, { name, contact: rnd() < 0.5 ? 'x@example.org' : String(pick(HOSTILE_VALUES)) }));
    }
    if (r < 0.75) {
      // envelope-shaped with hostile fields
      const env: Record<string, unknown> = { payload: toBase64(utf8.encode('{}')), payloadType: RESULT_PAYLOAD_TYPE, signatures: [{ keyid: ctx.approved.keyid, sig: 'AA==' }] };
      env[pick(['payload', 'payloadType', 'signatures', 'extra'])] = pick(HOSTILE_VALUES);
      return utf8.encode(JSON.stringify(env));
    }
    if (r < 0.9) return utf8.encode(pick(['', '{', 'null', '[]', '"x"', '{"payload":', '\u0000', JSON.stringify({ a: 1 })]));
    return Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256));
  };

  while (n < opts.maxRequests && Date.now() - t0 < opts.budgetMs) {
    // The ingest and registration take the hostile bodies: weight them up.
    const w = rnd();
    const [method, template] = w < 0.3 ? ROUTES.find((r) => r[0] === 'POST' && r[1] === '/api/results')! : w < 0.4 ? ROUTES.find((r) => r[1] === '/api/keys')! : pick(ROUTES);
    const path = template.replace(/:\w+/g, segment) + query();
    const headers: Record<string, string> = {};
    if (rnd() < 0.85) headers['content-type'] = rnd() < 0.9 ? 'application/json' : pick(['text/plain', 'application/json; charset=latin1', 'multipart/form-data']);
    if (template.startsWith('/api/admin') && rnd() < 0.8) headers.authorization = `Bearer ${rnd() < 0.8 ? ctx.adminToken : 'wrong'}`;
    const body = method === 'POST' ? await postBody(template) : undefined;
    const res = await send(ctx.baseUrl, { method, path, headers, body });
    n++;
    report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
    const isJson = String(res.headers['content-type'] ?? '').includes('json');
    let why = '';
    if (res.status >= 500) why = '5xx on client input';
    else if (res.status >= 400 && isJson) {
      try {
        const e = (JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } }).error;
        if (typeof e?.code !== 'string' || typeof e?.message !== 'string') why = 'a 4xx without the error envelope';
      } catch {
        why = '4xx JSON that does not parse';
      }
    }
    if (why) report.failures.push({ method, path, status: res.status, body: res.body.slice(0, 300), why });
  }
  report.requests = n;
  report.ms = Date.now() - t0;
  return report;
}
