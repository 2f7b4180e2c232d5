/**
 * Leaderboard latency at realistic and extreme scale, over HTTP against `next start` (the
 * production build in .next/, which must exist: `npx next build`).
 *
 * 1. One suite on PGlite (on disk), sizes BENCH_LEADERBOARD_SIZES (default 10k and 100k results):
 *    signed synthetic-linear@1 results (real suite cells: 15 strategy/tau variants x many seeds, the
 *    suite's own configs, hand-made consistent metrics from fixtures/bundle.ts seedBundle). The
 *    first BENCH_LEADERBOARD_INGEST_FILL (default 1500) go through the real ingest pipeline
 *    (ingestEnvelope: DSSE verify against the keys table, schema, named checks, one transaction,
 *    the observation trigger), the rest in bulk as on Postgres below (row by row, 100k take over an
 *    hour here). All in ONE suite version: the worst case for that suite's view.
 * 2. Postgres (127.0.0.1:5432, or the server of TEST_DATABASE_URL; a fresh database, dropped after),
 *    BENCH_LEADERBOARD_PG results in all (default 1M; 0 skips): BENCH_LEADERBOARD_PG_TARGET (default
 *    100k) in synthetic-linear@1, the rest a community mix (suites of the same 15-variant cells with
 *    20-50 seeds each). Filled in bulk: one real result per variant through insertResult, then
 *    INSERT ... SELECT generate_series copies of it per seed with the observation trigger disabled,
 *    then headprep_rebuild_observations() (db/migrations/0005_leaderboard_observations.sql). The
 *    copies carry the leaderboard columns and the variant's config, with an empty bundle and a
 *    one-byte envelope (no leaderboard read touches either; their result pages are not meaningful).
 *
 * Metrics per setup (the measured suite): page_p50_ms / page_p95_ms (GET /suites/<suite>: server
 * render, full HTML received), api_p50_ms / api_p95_ms (GET /api/leaderboard?format=json), warm,
 * sequential. page_uncached_ms / api_uncached_ms: the first request of each in a fresh server
 * process (no view yet: the whole view is computed before answering). page_after_submit_ms /
 * api_after_submit_ms: the first request of each after one more result was POSTed to /api/results
 * (the previous view, flagged stale, unless the new one is ready within HEADPREP_VIEW_WAIT_MS);
 * view_refresh_ms: from that POST until the API serves the new view. ingest_per_sec_while_reading:
 * INGEST_WHILE_READING signed results POSTed (2 at a time) while a reader GETs the page in a loop,
 * whose p95 is page_p95_while_ingesting_ms. server_rss_mb / server_peak_rss_mb: the server
 * process's memory after the measurements (VmRSS, VmHWM). client_js_kb / client_js_gzip_kb: every
 * <script src> the page loads. Targets: page p95 < 150 ms, api p95 < 50 ms, first page after a
 * submission < 500 ms, client JS < 300 KB (gzip). home_*: the home page (/) the same way (every suite
 * version's digest, app/_server/read-model.ts), for the cost of a page that lists every suite.
 *
 * ingest imports 'server-only' (resolves only under the "react-server" condition, as in Next), so
 * the work runs in a child process: node --conditions=react-server --import tsx <this file> --worker.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { get as httpGet } from 'node:http';
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


/** GET with no time limit (fetch gives up after 300 s without headers: a first view at 1M can take longer on a loaded machine). */
function getWithoutTimeout(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpGet(url, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`GET ${url}: ${res.statusCode}`))));
    }).on('error', reject);
  });
}

async function timeGets(url: string): Promise<{ p50: number; p95: number; bytes: number; first: number }> {
  let bytes = 0;
  // The first request misses the read cache (db/queries/read-cache.ts): the full aggregate.
  const tf = performance.now();
  await getWithoutTimeout(url);
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

type Contract = typeof import('../../contract');
type Templates = Awaited<ReturnType<typeof import('../../runner/run/plan').planCells>>;
interface Signer {
  c: Contract;
  key: Awaited<ReturnType<Contract['generateKeyPair']>>;
  templates: Templates;
  /** Seeds above every stored one, for the envelopes POSTed while measuring. */
  nextSeed: number;
}

/** Signed envelopes of new results (seeds after every stored one), ready to POST. */
async function freshEnvelopes(s: Signer, count: number): Promise<string[]> {
  const { seedBundle } = await import('../../fixtures/bundle');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = s.templates[i % s.templates.length]!;
    const bundle = await seedBundle({ ...t, seed: s.nextSeed + Math.floor(i / s.templates.length) }, { offset: 0 });
    const env = await s.c.signEnvelope(s.c.utf8.encode(JSON.stringify(bundle)), s.c.RESULT_PAYLOAD_TYPE, s.key.privateKey, s.key.publicKey);
    out.push(JSON.stringify(env));
  }
  s.nextSeed += Math.ceil(count / s.templates.length);
  return out;
}

async function post(base: string, body: string): Promise<void> {
  const res = await fetch(`${base}/api/results`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  if (res.status !== 201) throw new Error(`POST /api/results: ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/** VmRSS and VmHWM of a process and its children, in MB. */
function rssMb(pid: number): { rss: number; peak: number } {
  const pids = [pid];
  try {
    pids.push(...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {}
  let rss = 0;
  let peak = 0;
  for (const p of pids) {
    try {
      const st = readFileSync(`/proc/${p}/status`, 'utf8');
      rss += Number(/VmRSS:\s+(\d+)/.exec(st)?.[1] ?? 0) / 1024;
      peak += Number(/VmHWM:\s+(\d+)/.exec(st)?.[1] ?? 0) / 1024;
    } catch {}
  }
  return { rss, peak };
}


type Db = import('../../db/types').DbHandle;
type SQL = import('drizzle-orm').SQL;

/**
 * Bulk copies of the seed-0 result of every variant of `suiteRef`: per (suite, seed) one row per
 * variant, with per-seed metrics (the variant's value, a shared per-seed effect and per-result
 * noise; hashint4 keeps it deterministic), an empty bundle and a one-byte envelope. `suite` and
 * `fingerprint` are SQL over t (the source row) and the optional `extra.from` relation; `seeds` a
 * set-returning expression. The caller disables the results triggers and rebuilds the observations.
 */
async function bulkCopy(db: Db, suiteRef: string, suite: SQL, fingerprint: SQL, seeds: SQL, extra?: { with: SQL; from: SQL }): Promise<void> {
  const { sql } = await import('drizzle-orm');
  const [sname, sver] = suiteRef.split('@') as [string, string];
  await db.execute(sql`
    ${extra?.with ?? sql``}
    insert into results (id, envelope, payload_sha256, bundle, config, fingerprint, suite_name, suite_version, backbone, dataset, strategy, strategy_version,
                         tau, seed, key_id, trust_tier, status, test_acc, best_val_acc, last_test_acc, lp_test_acc, ood_test_acc, best_epoch, aie,
                         feat_l2_dist, feat_cos_dist, feat_cos_sim, feat_dot, feat_norm, wall_time_s, samples_per_sec, backend, runner_version)
    select left(h, 20), decode('00', 'hex'), h, '{}'::jsonb, t.config, ${fingerprint}, ${suite}, ${Number(sver)}, t.backbone, t.dataset, t.strategy, t.strategy_version,
           t.tau, g.seed, t.key_id, 'signed', 'ok',
           least(1, greatest(0, t.test_acc + 0.02 * (hashint4(g.seed) % 1000) / 1000.0 + 0.01 * (hashint4(g.seed * 31 + t.tau) % 1000) / 1000.0)),
           least(1, greatest(0, t.best_val_acc + 0.02 * (hashint4(g.seed) % 1000) / 1000.0 + 0.01 * (hashint4(g.seed * 17 + t.tau) % 1000) / 1000.0)),
           t.last_test_acc, t.lp_test_acc, t.ood_test_acc, t.best_epoch, t.aie * (1 + 0.05 * (hashint4(g.seed * 13) % 1000) / 1000.0),
           t.feat_l2_dist, t.feat_cos_dist, t.feat_cos_sim, t.feat_dot, t.feat_norm, t.wall_time_s, t.samples_per_sec, t.backend, t.runner_version
      from results t ${extra?.from ?? sql``}
     cross join lateral (select gs as seed, md5((${suite}) || t.fingerprint || ':' || gs) as h from ${seeds} as gs) g
     where t.suite_name = ${sname} and t.suite_version = ${Number(sver)} and t.seed = 0`);
}

/** Runs fill() with the results triggers off, then derives the observation table and stamps from the rows (one statement each). */
async function withTriggersOff(db: Db, fill: () => Promise<void>): Promise<void> {
  const { sql } = await import('drizzle-orm');
  await db.execute(sql`alter table results disable trigger user`);
  try {
    await fill();
    await db.execute(sql`select headprep_rebuild_observations()`);
  } finally {
    await db.execute(sql`alter table results enable trigger user`);
  }
  await db.execute(sql`analyze`);
}

const INGEST_WHILE_READING = Number(process.env.BENCH_LEADERBOARD_INGEST ?? 100);

/** Every measurement of one suite on a started server (see the header). */
async function measure(base: string, pid: number, suiteRef: string, signer: Signer): Promise<Record<string, number>> {
  await (await fetch(`${base}/api/health`)).arrayBuffer(); // opens the database (migrations, PGlite start) without building a view
  const load0 = loadavg()[0]!;
  const pageUrl = `${base}/suites/${suiteRef}`;
  const apiUrl = `${base}/api/leaderboard?suite=${suiteRef}&format=json`;
  const page = await timeGets(pageUrl);
  const api = await timeGets(apiUrl);
  const home = await timeGets(`${base}/`);
  const js = await clientJs(base, `/suites/${suiteRef}`);
  // BENCH_LEADERBOARD_HTML_DIR: keep the warm page's HTML, to see what its bytes are.
  if (process.env.BENCH_LEADERBOARD_HTML_DIR) writeFileSync(join(process.env.BENCH_LEADERBOARD_HTML_DIR, `${suiteRef}-${Date.now()}.html`), await (await fetch(pageUrl)).text());
  // One more result, then the first page and API reads after it (warm process, the view one change behind).
  const [extra] = await freshEnvelopes(signer, 1);
  await post(base, extra!);
  const posted = performance.now();
  const once = async (url: string): Promise<{ ms: number; stale: boolean }> => {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    return { ms: performance.now() - t0, stale: res.headers.get('x-headprep-view') === 'stale' || body.includes('data-testid="stale-view-note"') };
  };
  const pageAfter = await once(pageUrl);
  const apiAfter = await once(apiUrl);
  const homeAfter = await once(`${base}/`);
  let refreshMs = NaN;
  for (let i = 0; i < 6000; i++) {
    const r = await once(apiUrl);
    if (!r.stale) {
      refreshMs = performance.now() - posted;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Ingest while a reader reads the page.
  const bodies = await freshEnvelopes(signer, INGEST_WHILE_READING);
  let reading = true;
  const readMs: number[] = [];
  const reader = (async () => {
    while (reading) {
      const t0 = performance.now();
      await (await fetch(pageUrl)).arrayBuffer();
      readMs.push(performance.now() - t0);
    }
  })();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < bodies.length) await post(base, bodies[next++]!);
    }),
  );
  const ingestS = (performance.now() - t0) / 1000;
  reading = false;
  await reader;
  readMs.sort((a, b) => a - b);
  const mem = rssMb(pid);
  return {
    page_uncached_ms: page.first,
    api_uncached_ms: api.first,
    page_after_submit_ms: pageAfter.ms,
    page_after_submit_stale: pageAfter.stale ? 1 : 0,
    api_after_submit_ms: apiAfter.ms,
    home_uncached_ms: home.first,
    home_p50_ms: home.p50,
    home_p95_ms: home.p95,
    home_html_kb: home.bytes / 1024,
    home_after_submit_ms: homeAfter.ms,
    view_refresh_ms: refreshMs,
    page_p50_ms: page.p50,
    page_p95_ms: page.p95,
    page_html_kb: page.bytes / 1024,
    api_p50_ms: api.p50,
    api_p95_ms: api.p95,
    ingest_per_sec_while_reading: bodies.length / ingestS,
    page_p50_while_ingesting_ms: quantile(readMs, 0.5),
    page_p95_while_ingesting_ms: quantile(readMs, 0.95),
    server_rss_mb: mem.rss,
    server_peak_rss_mb: mem.peak,
    client_js_kb: js.raw / 1024,
    client_js_gzip_kb: js.gzip / 1024,
    client_js_files: js.files,
    load_avg_1m_start: load0,
    load_avg_1m_end: loadavg()[0]!,
  };
}

const TARGETS = {
  page_p95_ms: { op: '<=', value: 150 },
  api_p95_ms: { op: '<=', value: 50 },
  page_after_submit_ms: { op: '<=', value: 500 },
  client_js_gzip_kb: { op: '<=', value: 300 },
} as const;

async function worker(): Promise<BenchResult[]> {
  const c = await import('../../contract');
  const { planCells } = await import('../../runner/run/plan');
  const { getSuite } = await import('../../runner/protocols/suites/index');
  const { initBackend } = await import('../../runner/train/backend');
  const suiteRef = 'synthetic-linear@1';
  // The suite's own cells, unchanged: the site refuses a config that differs from its suite cell
  // (check suite_cell), so a shortened FT would not even be stored.
  const templates = await planCells(getSuite(suiteRef), { backend: await initBackend('auto'), seeds: [0] });
  const key = await c.generateKeyPair();
  const out: BenchResult[] = [];
  // Each setup reports its own failure, so one cannot hide the other's numbers.
  const failed = (db: string, e: unknown): BenchResult => {
    const error = String((e as Error)?.cause ?? (e as Error)?.message ?? e).slice(0, 300);
    process.stderr.write(`[leaderboard bench] ${db} failed: ${error}\n`);
    return { name: 'leaderboard', params: { db, error }, metrics: { failed: 1 } };
  };
  if (SIZES.some((n) => n > 0)) out.push(...(await pgliteOneSuite(c, key, templates, suiteRef).catch((e: unknown) => [failed('pglite', e)])));
  const pgTotal = Number(process.env.BENCH_LEADERBOARD_PG ?? 1_000_000);
  if (pgTotal > 0)
    out.push(...(await postgresMix(c, key, templates, suiteRef, pgTotal, Number(process.env.BENCH_LEADERBOARD_PG_TARGET ?? 100_000)).catch((e: unknown) => [failed('postgres', e)])));
  return out;
}

async function pgliteOneSuite(c: Contract, key: Signer['key'], templates: Templates, suiteRef: string): Promise<BenchResult[]> {
  const { createDb } = await import('../../db/connect');
  const { upsertApprovedKey } = await import('../../db/mutations/keys');
  const { ingestEnvelope } = await import('../../app/_server/ingest');
  const { seedBundle } = await import('../../fixtures/bundle');
  const dir = mkdtempSync(join(tmpdir(), 'headprep-bench-lb-'));
  const raw = await c.exportPublicKeyRaw(key.publicKey);
  let db = await createDb({ HEADPREP_DATA_DIR: dir });
  await upsertApprovedKey(db, raw, 'bench', 'bench@example.org');
  const { sql } = await import('drizzle-orm');
  // The first INGEST_FILL through the whole ingest pipeline, the rest in bulk (see the header):
  // row by row, 100k results take over an hour on this 2-core machine.
  const INGEST_FILL = Number(process.env.BENCH_LEADERBOARD_INGEST_FILL ?? 1500);
  const v = templates.length;
  let stored = 0;
  const out: BenchResult[] = [];
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      const before = stored;
      while (stored < Math.min(size, INGEST_FILL) || stored % v !== 0) {
        const t = templates[stored % v]!;
        const bundle = await seedBundle({ ...t, seed: Math.floor(stored / v) }, { offset: 0 });
        const env = await c.signEnvelope(c.utf8.encode(JSON.stringify(bundle)), c.RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
        const r = await ingestEnvelope(db, c.utf8.encode(JSON.stringify(env)), { rateLimit: 0 });
        if (!r.created) throw new Error(`ingest refused result ${stored}: ${JSON.stringify(r)}`);
        stored++;
      }
      const ingested = stored - before;
      const ingestMs = performance.now() - t0;
      if (stored < size) {
        const from = stored / v;
        const to = Math.ceil(size / v) - 1;
        await withTriggersOff(db, () => bulkCopy(db, suiteRef, sql`${suiteRef.split('@')[0]!}::text`, sql`t.fingerprint`, sql`generate_series(${from}::int, ${to}::int)`));
        stored = (to + 1) * v;
      }
      const fillMs = performance.now() - t0;
      await db.$close();
      const signer: Signer = { c, key, templates, nextSeed: Math.ceil(stored / templates.length) + 1 };
      const { base, proc, stop } = await startNextServer({ HEADPREP_DATA_DIR: dir, HEADPREP_SEED: '0', DATABASE_URL: '', POSTGRES_URL: '', HEADPREP_RATE_LIMIT: '0' });
      try {
        const metrics = await measure(base, proc.pid!, suiteRef, signer);
        const measured = stored;
        stored = (signer.nextSeed + 1) * v;
        out.push({
          name: 'leaderboard',
          params: { db: 'pglite', layout: 'one suite', stored_results: measured, requests: REQUESTS, fill: `ingestEnvelope ${ingested} + bulk ${measured - before - ingested}` },
          metrics: { ...metrics, fill_ms: fillMs, ingest_envelope_per_sec: ingested / (ingestMs / 1000) },
          targets: TARGETS,
        });
        process.stderr.write(`[leaderboard bench] pglite ${measured}: ${JSON.stringify(out.at(-1)!.metrics)}\n`);
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

/** `total` results on Postgres: `target` in suiteRef, the rest in community suites of 20-50 seeds (see the header). */
async function postgresMix(c: Contract, key: Signer['key'], templates: Templates, suiteRef: string, total: number, target: number): Promise<BenchResult[]> {
  const { sql } = await import('drizzle-orm');
  const { createDb } = await import('../../db/connect');
  const { upsertApprovedKey } = await import('../../db/mutations/keys');
  const { insertResult } = await import('../../db/mutations/results');
  const { seedBundle } = await import('../../fixtures/bundle');
  const { freshPostgresDatabase } = await import('../../fixtures/postgres');
  const fresh = await freshPostgresDatabase();
  const out: BenchResult[] = [];
  try {
    const db = await createDb({ DATABASE_URL: fresh.url });
    const raw = await c.exportPublicKeyRaw(key.publicKey);
    const keyId = await c.keyIdOfRaw(raw);
    await upsertApprovedKey(db, raw, 'bench', 'bench@example.org');
    const t0 = performance.now();
    // One real result per variant (seed 0): the source rows of the bulk copies.
    for (const t of templates) {
      const bundle = await seedBundle({ ...t, seed: 0 }, { offset: 0 });
      const payload = c.utf8.encode(JSON.stringify(bundle));
      const env = await c.signEnvelope(payload, c.RESULT_PAYLOAD_TYPE, key.privateKey, key.publicKey);
      await insertResult(db, { envelope: c.utf8.encode(JSON.stringify(env)), payloadSha256: await c.sha256Hex(payload), bundle, keyId, trustTier: 'signed' });
    }
    const v = templates.length;
    const targetSeeds = Math.max(1, Math.ceil(target / v));
    // Community suites: suite i has 20 + (i * 7) % 31 seeds per variant.
    const communityRows: number[] = [];
    let rest = total - targetSeeds * v;
    for (let i = 0; rest > 0; i++) {
      const n = Math.min(rest, (20 + ((i * 7) % 31)) * v);
      communityRows.push(Math.ceil(n / v));
      rest -= Math.ceil(n / v) * v;
    }
    await withTriggersOff(db, async () => {
      await bulkCopy(db, suiteRef, sql`${suiteRef.split('@')[0]!}::text`, sql`t.fingerprint`, sql`generate_series(1, ${targetSeeds - 1}::int)`);
      process.stderr.write(`[leaderboard bench] postgres: ${suiteRef} holds ${targetSeeds * v}\n`);
      for (let i = 0; i < communityRows.length; i += 50) {
        const batch = communityRows.slice(i, i + 50);
        // Suite "community-<i>": its own fingerprints (md5 of the suite and the variant's fingerprint).
        const name = sql`'community-' || lpad(s.i::text, 4, '0')`;
        await bulkCopy(db, suiteRef, name, sql`md5(${name} || t.fingerprint)`, sql`generate_series(0, s.seeds - 1)`, {
          with: sql`with s(i, seeds) as (select * from unnest(${`{${batch.map((_, j) => i + j).join(',')}}`}::int[], ${`{${batch.join(',')}}`}::int[]))`,
          from: sql`cross join s`,
        });
        process.stderr.write(`[leaderboard bench] postgres: community suites ${i + batch.length}/${communityRows.length}\n`);
      }
    });
    const stored = Number((await db.execute<{ n: number }>(sql`select count(*)::int as n from results`)).rows[0]!.n);
    const fillMs = performance.now() - t0;
    await db.$close();
    const signer: Signer = { c, key, templates, nextSeed: targetSeeds + 1 };
    const { base, proc, stop } = await startNextServer({ DATABASE_URL: fresh.url, HEADPREP_DATA_DIR: '', HEADPREP_SEED: '0', HEADPREP_RATE_LIMIT: '0' });
    try {
      const metrics = await measure(base, proc.pid!, suiteRef, signer);
      const community = await timeGets(`${base}/suites/community-0000@1`);
      const communityApi = await timeGets(`${base}/api/leaderboard?suite=community-0000@1&format=json`);
      out.push({
        name: 'leaderboard',
        params: { db: 'postgres', layout: `${suiteRef} + ${communityRows.length} community suites`, stored_results: stored, target_suite_results: targetSeeds * v, requests: REQUESTS, fill: 'insertResult per variant + INSERT ... SELECT generate_series' },
        metrics: {
          ...metrics,
          community_page_p50_ms: community.p50,
          community_page_p95_ms: community.p95,
          community_api_p95_ms: communityApi.p95,
          community_page_uncached_ms: community.first,
          fill_results_per_sec: stored / (fillMs / 1000),
        },
        targets: TARGETS,
      });
      process.stderr.write(`[leaderboard bench] postgres ${stored}: ${JSON.stringify(out.at(-1)!.metrics)}\n`);
    } finally {
      await stop();
    }
  } finally {
    await fresh.drop();
  }
  return out;
}

serveChildWorker('--worker', () => worker());
