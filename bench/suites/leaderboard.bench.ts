/**
 * Leaderboard latency with 10k and 100k stored results, over HTTP against `next start`
 * (the production build in .next/, which must exist: `npx next build`) on an embedded PGlite
 * database on disk.
 *
 * Data: signed synthetic-linear@1 results (real suite cells: 15 strategy/tau variants x many seeds,
 * the suite's own configs with 10 FT epochs, hand-made consistent metrics from
 * fixtures/bundle.ts seedBundle). The first 10k go through the real ingest pipeline (ingestEnvelope: DSSE
 * verify against the keys table, schema, named checks, one transaction); the next 90k through the ingest's
 * transaction function (db/mutations/results insertResult), because the full pipeline would take
 * several minutes longer on this machine. All of them land in ONE suite version: the worst case
 * for the page, whose query aggregates every row of the suite version.
 *
 * Metrics per size: page_p50_ms / page_p95_ms (GET /suites/<suite>: server render, full HTML
 * received), api_p50_ms / api_p95_ms (GET /api/leaderboard?format=json), after warm-up, sequential
 * requests, with the site's per-process read cache warm (db/queries/read-cache.ts: reused while
 * no result arrived and no key changed). page_uncached_ms / api_uncached_ms: the first request of
 * each in a fresh server process (route code loaded and the full aggregation run).
 * page_after_submit_ms / api_after_submit_ms: the first request of each after one more result was
 * POSTed to /api/results (warm process, stale cache: the full aggregation). client_js_kb /
 * client_js_gzip_kb: every <script src> the leaderboard page's HTML loads.
 * Targets: page p95 < 150 ms, api p95 < 50 ms, client JS < 300 KB (gzip, what is transferred).
 *
 * ingest imports 'server-only' (resolves only under the "react-server" condition, as in Next), so
 * the work runs in a child process: node --conditions=react-server --import tsx <this file> --worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { quantile, runChildWorker, serveChildWorker } from '../child-worker';
import { hasProductionBuild, ROOT, startNextServer } from '../next-server';
import type { BenchResult, BenchSuite } from '../types';

const SIZES = (process.env.BENCH_LEADERBOARD_SIZES ?? '10000,100000').split(',').map(Number);
const REQUESTS = 60;
const WARMUP = 8;

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    if (!hasProductionBuild())
      return [{ name: 'leaderboard', params: { error: 'no production build: run `npx next build` first' }, metrics: { failed: 1 } }];
    try {
      return await runChildWorker<BenchResult[]>(import.meta.url, ['--worker'], 'leaderboard worker', { cwd: ROOT });
    } catch (e) {
      return [{ name: 'leaderboard', params: { error: String((e as Error).message).slice(0, 300) }, metrics: { failed: 1 } }];
    }
  },
};
export default suite;

// ---- worker (child process) ----


async function timeGets(url: string): Promise<{ p50: number; p95: number; bytes: number; first: number }> {
  let bytes = 0;
  // The first request misses the read cache (db/queries/read-cache.ts): the full aggregate.
  const tf = performance.now();
  await (await fetch(url)).arrayBuffer();
  const first = performance.now() - tf;
  for (let i = 0; i < WARMUP; i++) await (await fetch(url)).arrayBuffer();
  const ms: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    ms.push(performance.now() - t0);
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    bytes = body.byteLength;
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), bytes, first };
}

async function clientJs(base: string, path: string): Promise<{ raw: number; gzip: number; files: number }> {
  const html = await (await fetch(base + path)).text();
  const srcs = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!))];
  let raw = 0;
  let gzip = 0;
  for (const src of srcs) {
    const buf = new Uint8Array(await (await fetch(new URL(src.replace(/&amp;/g, '&'), base))).arrayBuffer());
    raw += buf.byteLength;
    gzip += gzipSync(buf).byteLength;
  }
  return { raw, gzip, files: srcs.length };
}

async function worker(): Promise<BenchResult[]> {
  const { createDb } = await import('../../db/connect');
  const { upsertApprovedKey } = await import('../../db/mutations/keys');
  const { insertResult } = await import('../../db/mutations/results');
  const { ingestEnvelope } = await import('../../app/_server/ingest');
  const c = await import('../../contract');
  const { planCells } = await import('../../runner/run/plan');
  const { getSuite } = await import('../../runner/protocols/suites/index');
  const { seedBundle } = await import('../../fixtures/bundle');

  const suiteRef = 'synthetic-linear@1';
  // The suite's own cells, unchanged: the site refuses a config that differs from its suite cell
  // (check suite_cell), so a shortened FT would not even be stored.
  const { initBackend } = await import('../../runner/train/backend');
  const templates = await planCells(getSuite(suiteRef), { backend: await initBackend('auto'), seeds: [0] });
  const dir = mkdtempSync(join(tmpdir(), 'headprep-bench-lb-'));
  const key = await c.generateKeyPair();
  const raw = await c.exportPublicKeyRaw(key.publicKey);
  const keyId = await c.keyIdOfRaw(raw);
  let db = await createDb({ HEADPREP_DATA_DIR: dir });
  await upsertApprovedKey(db, raw, 'bench', 'bench@example.org');

  const INGEST_MAX = 10_000;
  let stored = 0;
  const out: BenchResult[] = [];
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      const before = stored;
      while (stored < size) {
        const t = templates[stored % templates.length]!;
        const config = { ...t, seed: Math.floor(stored / templates.length) };
        const bundle = await seedBundle(config, { offset: 0 });
        const payload = c.utf8.encode(JSON.stringify(bundle));
        if (stored < INGEST_MAX) {
          const env = await c.signEnvelope(payload, c.RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
          const r = await ingestEnvelope(db, c.utf8.encode(JSON.stringify(env)), { rateLimit: 0 });
          if (!r.created) throw new Error(`ingest refused result ${stored}: ${JSON.stringify(r)}`);
        } else {
          // The ingest's final transaction without the per-envelope signing/verification work.
          const env = { payload: c.toBase64(payload), payloadType: c.RESULT_PAYLOAD_TYPE, signatures: [{ keyid: keyId, sig: c.toBase64(new Uint8Array(64)) }] };
          await insertResult(db, { envelope: c.utf8.encode(JSON.stringify(env)), payloadSha256: await c.sha256Hex(payload), bundle, keyId, trustTier: 'signed' });
        }
        stored++;
        if (stored % 5000 === 0) process.stderr.write(`[leaderboard bench] stored ${stored}/${size}\n`);
      }
      const fillMs = performance.now() - t0;
      await db.$close();
      const { base, stop } = await startNextServer({ HEADPREP_DATA_DIR: dir, HEADPREP_SEED: '0', DATABASE_URL: '', POSTGRES_URL: '' });
      try {
        await (await fetch(`${base}/configs`)).arrayBuffer(); // opens the database (migrations, PGlite start)
        const page = await timeGets(`${base}/suites/${suiteRef}`);
        const api = await timeGets(`${base}/api/leaderboard?suite=${suiteRef}&format=json`);
        const js = await clientJs(base, `/suites/${suiteRef}`);
        // One more result through POST /api/results, then the first page and API reads after it:
        // the process is warm but every cached view is stale (what a visitor right after a
        // submission waits for).
        const t = templates[stored % templates.length]!;
        const extra = await seedBundle({ ...t, seed: Math.floor(stored / templates.length) }, { offset: 0 });
        const extraEnv = await c.signEnvelope(c.utf8.encode(JSON.stringify(extra)), c.RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
        const posted = await fetch(`${base}/api/results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(extraEnv) });
        if (posted.status !== 201) throw new Error(`POST /api/results: ${posted.status} ${await posted.text()}`);
        stored++;
        const afterSubmit = async (url: string): Promise<number> => {
          const t0 = performance.now();
          await (await fetch(url)).arrayBuffer();
          return performance.now() - t0;
        };
        const pageAfterSubmit = await afterSubmit(`${base}/suites/${suiteRef}`);
        const apiAfterSubmit = await afterSubmit(`${base}/api/leaderboard?suite=${suiteRef}&format=json`);
        out.push({
          name: 'leaderboard',
          params: { stored_results: size, requests: REQUESTS, fill: size <= INGEST_MAX ? 'ingestEnvelope' : `ingestEnvelope ${INGEST_MAX} + insertResult ${size - INGEST_MAX}` },
          metrics: {
            page_uncached_ms: page.first,
            api_uncached_ms: api.first,
            page_after_submit_ms: pageAfterSubmit,
            api_after_submit_ms: apiAfterSubmit,
            page_p50_ms: page.p50,
            page_p95_ms: page.p95,
            page_html_kb: page.bytes / 1024,
            api_p50_ms: api.p50,
            api_p95_ms: api.p95,
            client_js_kb: js.raw / 1024,
            client_js_gzip_kb: js.gzip / 1024,
            client_js_files: js.files,
            fill_results_per_sec: (stored - before) / (fillMs / 1000),
          },
          targets: {
            page_p95_ms: { op: '<=', value: 150 },
            api_p95_ms: { op: '<=', value: 50 },
            client_js_gzip_kb: { op: '<=', value: 300 },
          },
        });
        process.stderr.write(`[leaderboard bench] ${size}: ${JSON.stringify(out.at(-1)!.metrics)}\n`);
      } finally {
        await stop();
      }
      db = await createDb({ HEADPREP_DATA_DIR: dir });
    }
  } finally {
    await db.$close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

serveChildWorker('--worker', () => worker());
