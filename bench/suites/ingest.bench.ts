/**
 * Ingest throughput: signed envelopes through the real POST /api/results route handler
 * (body read, content type, DSSE verify against the keys table, replay lookup, bundle schema,
 * named checks incl. fingerprint, one transaction) with 16 concurrent clients, on PGlite (in
 * memory) and on the Postgres server at 127.0.0.1:5432 (a fresh database, dropped after).
 * Metrics: envelopes_per_sec (new results, status 201), p50_ms / p99_ms per request, replays_per_sec
 * (the same envelopes again: 200 with the original id). Warm-up excluded; count and time bounded;
 * failures counted, not crashed. Target: >= 500 envelopes/s on Postgres on the 2-core dev machine.
 *
 * ingest_postgres_http (no target; needs `npx next build`): the same over HTTP, 16 keep-alive
 * node:http clients in this process against `next start` in another, both on the same 2 cores as Postgres: what one
 * site process on this machine serves, Next's request handling and the client's own work included.
 * server_cpu_ms_per_envelope is the `next start` process's CPU (from /proc) per new envelope.
 *
 * The route handlers import 'server-only', which only resolves under the "react-server" export
 * condition (as inside Next). So each database runs in a child process started with
 * `node --conditions=react-server --import tsx` (this same file with --ingest-worker).
 */
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { quantile, runChildWorker, serveChildWorker } from '../child-worker';
import { hasProductionBuild, startNextServer } from '../next-server';
import type { BenchResult, BenchSuite } from '../types';

const CLIENTS = 16;
const WARMUP = 64;
const MAX_ENVELOPES = { pglite: 1500, postgres: 4000, 'postgres-http': 3000 } as const;
const TIME_BUDGET_MS = 20_000;
type Driver = keyof typeof MAX_ENVELOPES;

interface WorkerResult {
  metrics: Record<string, number>;
  params: Record<string, string | number>;
}

function runWorker(driver: Driver): Promise<WorkerResult> {
  return runChildWorker(import.meta.url, ['--ingest-worker', driver], `ingest worker (${driver})`, { env: { ...process.env, HEADPREP_RATE_LIMIT: '0' } });
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    for (const driver of ['pglite', 'postgres', 'postgres-http'] as const) {
      if (driver === 'postgres-http' && !hasProductionBuild()) {
        out.push({ name: 'ingest_postgres_http', params: { clients: CLIENTS, error: 'no production build: run `npx next build` first' }, metrics: { failed: 1 } });
        continue;
      }
      try {
        const r = await runWorker(driver);
        out.push({
          name: `ingest_${driver.replace('-', '_')}`,
          params: { clients: CLIENTS, ...r.params },
          metrics: r.metrics,
          targets: driver === 'postgres' ? { envelopes_per_sec: { op: '>=', value: 500 } } : undefined,
        });
      } catch (e) {
        out.push({ name: `ingest_${driver.replace('-', '_')}`, params: { clients: CLIENTS, error: String((e as Error).message).slice(0, 300) }, metrics: { failed: 1 } });
      }
    }
    return out;
  },
};
export default suite;

// ---- worker (child process) ----

/** CPU seconds (user + system) of another process, from /proc; null where /proc is not there. */
function processCpuS(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

async function worker(driver: Driver): Promise<WorkerResult> {
  const { createDb } = await import('../../db/connect');
  const { setDb } = await import('../../db/connect');
  const { upsertApprovedKey } = await import('../../db/mutations/keys');
  const { freshPostgresDatabase } = await import('../../fixtures/postgres');
  const { newKey, signBundle } = await import('../../fixtures/keys');
  const { validBundle } = await import('../../fixtures/bundle');
  const { POST } = await import('../../app/api/results/route');

  const fresh = driver === 'pglite' ? null : await freshPostgresDatabase();
  const db = await createDb(fresh ? { DATABASE_URL: fresh.url, HEADPREP_DB_POOL_MAX: String(CLIENTS) } : { HEADPREP_DATA_DIR: 'memory://' });
  setDb(db);
  let server: Awaited<ReturnType<typeof startNextServer>> | null = null;
  try {
    const key = await newKey();
    await upsertApprovedKey(db, key.raw, 'bench', 'bench@example.org');
    const n = MAX_ENVELOPES[driver];
    const bodies: string[] = [];
    for (let i = 0; i < WARMUP + n; i++) bodies.push(await signBundle(await validBundle(i), key));

    let send: (body: string) => Promise<Response>;
    if (driver === 'postgres-http') {
      server = await startNextServer({
        DATABASE_URL: fresh!.url,
        POSTGRES_URL: '',
        HEADPREP_DB_POOL_MAX: String(CLIENTS),
        HEADPREP_RATE_LIMIT: '0',
        HEADPREP_SEED: '0',
      });
      // node:http with one keep-alive connection per client: a lighter load generator than fetch
      // (undici cost ~2 ms of this process's CPU per request, on the same 2 cores as the server).
      const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
      const url = new URL(`${server.base}/api/results`);
      send = (body) =>
        new Promise<Response>((resolve, reject) => {
          const req = request(
            { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode })));
              res.on('error', reject);
            },
          );
          req.on('error', reject);
          req.end(body);
        });
    } else {
      send = (body) =>
        POST(new Request('http://bench.local/api/results', { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
    }

    async function phase(list: string[], expect: number) {
      const lat: number[] = [];
      let failures = 0;
      let next = 0;
      const deadline = performance.now() + TIME_BUDGET_MS;
      const cpu0 = process.cpuUsage();
      const server0 = processCpuS(server?.proc.pid);
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (next < list.length && performance.now() < deadline) {
            const body = list[next++]!;
            const s = performance.now();
            try {
              const r = await send(body);
              await r.arrayBuffer();
              if (r.status !== expect) failures++;
            } catch {
              failures++;
            }
            lat.push(performance.now() - s);
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const server1 = processCpuS(server?.proc.pid);
      lat.sort((a, b) => a - b);
      const per = Math.max(1, lat.length);
      return {
        done: lat.length,
        seconds,
        failures,
        p50: quantile(lat, 0.5),
        p99: quantile(lat, 0.99),
        cpuMs: (cpu.user + cpu.system) / 1000 / per,
        serverCpuMs: server0 !== null && server1 !== null ? ((server1 - server0) * 1000) / per : null,
      };
    }

    await phase(bodies.slice(0, WARMUP), 201);
    const fresh201 = await phase(bodies.slice(WARMUP), 201);
    const replays = await phase(bodies.slice(WARMUP, WARMUP + fresh201.done), 200);
    return {
      params: { driver, envelopes: fresh201.done, payload_bytes: bodies[0]!.length, ...(server ? { transport: 'http, next start' } : { transport: 'in-process route handler' }) },
      metrics: {
        envelopes_per_sec: (fresh201.done - fresh201.failures) / fresh201.seconds,
        p50_ms: fresh201.p50,
        p99_ms: fresh201.p99,
        failures: fresh201.failures,
        // CPU of this process per envelope: the route handler, crypto, drizzle, the driver (and
        // PGlite's engine) in-process; the fetch clients over HTTP. What throughput is bounded by
        // when the machine is busy with other work.
        node_cpu_ms_per_envelope: fresh201.cpuMs,
        ...(fresh201.serverCpuMs !== null ? { server_cpu_ms_per_envelope: fresh201.serverCpuMs } : {}),
        load_avg_1m: loadavg()[0]!,
        replays_per_sec: (replays.done - replays.failures) / replays.seconds,
        replay_p99_ms: replays.p99,
        replay_failures: replays.failures,
      },
    };
  } finally {
    await server?.stop();
    setDb(null);
    await db.$close();
    await fresh?.drop();
  }
}

serveChildWorker('--ingest-worker', (driver) => worker(driver as Driver));
