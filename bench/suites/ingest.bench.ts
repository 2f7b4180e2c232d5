/**
 * Ingest throughput (issue 5): signed envelopes through the real POST /api/results route handler
 * (body read, content type, DSSE verify against the keys table, replay lookup, bundle schema,
 * named checks incl. fingerprint, one transaction) with 16 concurrent clients, on PGlite (in
 * memory) and on the Postgres server at 127.0.0.1:5432 (a fresh database, dropped after).
 * Metrics: envelopes_per_sec (new results, status 201), p50_ms / p99_ms per request, replays_per_sec
 * (the same envelopes again: 200 with the original id). Warm-up excluded; count and time bounded;
 * failures counted, not crashed. Target: >= 500 envelopes/s on Postgres on the 2-core dev machine.
 *
 * The route handlers import 'server-only', which only resolves under the "react-server" export
 * condition (as inside Next). So each database runs in a child process started with
 * `node --conditions=react-server --import tsx` (this same file with --ingest-worker).
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchResult, BenchSuite } from '../types';

const CLIENTS = 16;
const WARMUP = 64;
const MAX_ENVELOPES = { pglite: 1500, postgres: 4000 } as const;
const TIME_BUDGET_MS = 20_000;
type Driver = keyof typeof MAX_ENVELOPES;

interface WorkerResult {
  metrics: Record<string, number>;
  params: Record<string, string | number>;
}

function runWorker(driver: Driver): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(import.meta.url), '--ingest-worker', driver], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, HEADPREP_RATE_LIMIT: '0' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(line) as WorkerResult & { error?: string };
        if (parsed.error) reject(new Error(parsed.error));
        else resolve(parsed);
      } catch {
        reject(new Error(`ingest worker (${driver}) exited ${code}: ${out.slice(-500)}`));
      }
    });
  });
}

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    const out: BenchResult[] = [];
    for (const driver of ['pglite', 'postgres'] as const) {
      try {
        const r = await runWorker(driver);
        out.push({
          name: `ingest_${driver}`,
          params: { clients: CLIENTS, ...r.params },
          metrics: r.metrics,
          targets: driver === 'postgres' ? { envelopes_per_sec: { op: '>=', value: 500 } } : undefined,
        });
      } catch (e) {
        out.push({ name: `ingest_${driver}`, params: { clients: CLIENTS, error: String((e as Error).message).slice(0, 300) }, metrics: { failed: 1 } });
      }
    }
    return out;
  },
};
export default suite;

// ---- worker (child process) ----

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function worker(driver: Driver): Promise<WorkerResult> {
  const { createDb } = await import('../../db/connect');
  const { setDb } = await import('../../db/connect');
  const { upsertApprovedKey } = await import('../../db/mutations/keys');
  const { freshPostgresDatabase } = await import('../../test/integration/db/databases');
  const { newKey, signBundle, validBundle } = await import('../../test/integration/api/helpers');
  const { POST } = await import('../../app/api/results/route');

  const fresh = driver === 'postgres' ? await freshPostgresDatabase() : null;
  const db = await createDb(fresh ? { DATABASE_URL: fresh.url, HEADPREP_DB_POOL_MAX: String(CLIENTS) } : { HEADPREP_DATA_DIR: 'memory://' });
  setDb(db);
  try {
    const key = await newKey();
    await upsertApprovedKey(db, key.raw, 'bench', 'bench@example.org');
    const n = MAX_ENVELOPES[driver];
    const bodies: string[] = [];
    for (let i = 0; i < WARMUP + n; i++) bodies.push(await signBundle(await validBundle(i), key));

    const send = (body: string) =>
      POST(new Request('http://bench.local/api/results', { method: 'POST', body, headers: { 'content-type': 'application/json' } }));

    async function phase(list: string[], expect: number) {
      const lat: number[] = [];
      let failures = 0;
      let next = 0;
      const deadline = performance.now() + TIME_BUDGET_MS;
      const cpu0 = process.cpuUsage();
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
      lat.sort((a, b) => a - b);
      const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, lat.length);
      return { done: lat.length, seconds, failures, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), cpuMs };
    }

    await phase(bodies.slice(0, WARMUP), 201);
    const fresh201 = await phase(bodies.slice(WARMUP), 201);
    const replays = await phase(bodies.slice(WARMUP, WARMUP + fresh201.done), 200);
    return {
      params: { driver, envelopes: fresh201.done, payload_bytes: bodies[0]!.length },
      metrics: {
        envelopes_per_sec: (fresh201.done - fresh201.failures) / fresh201.seconds,
        p50_ms: fresh201.p50,
        p99_ms: fresh201.p99,
        failures: fresh201.failures,
        // CPU of this process (route handler, crypto, drizzle, driver; PGlite's engine too) per
        // envelope: what throughput is bounded by when the machine is busy with other work.
        node_cpu_ms_per_envelope: fresh201.cpuMs,
        load_avg_1m: loadavg()[0]!,
        replays_per_sec: (replays.done - replays.failures) / replays.seconds,
        replay_p99_ms: replays.p99,
        replay_failures: replays.failures,
      },
    };
  } finally {
    setDb(null);
    await db.$close();
    await fresh?.drop();
  }
}

if (process.argv[2] === '--ingest-worker') {
  const driver = process.argv[3] as Driver;
  worker(driver).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (e: unknown) => {
      console.log(JSON.stringify({ error: String((e as Error)?.stack ?? e).slice(0, 2000) }));
      process.exit(1);
    },
  );
}
