import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setDb } from '../../../../../db/connect';
import type { DbHandle } from '../../../../../db/types';
import { setKeyStatus } from '../../../../../db/mutations/keys';
import * as keysRoute from '../../../../../app/api/keys/route';
import * as resultsRoute from '../../../../../app/api/results/route';
import { newKey, post, registrationBody, signBundle, type TestKey } from '../../../../fixtures/api';
import { validBundle } from '../../../../fixtures/bundle';
import { openHardeningDb } from '../../../_helpers/databases';
import { runFuzz } from './fuzz';
import { startRouteServer, type RouteServer } from '../../../_helpers/route-server';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

const ADMIN = 'fuzz-admin-token-0123456789abcdef';
/** Bounds: whichever comes first. FUZZ_SEED replays a run. */
const MAX_REQUESTS = Number(process.env.FUZZ_REQUESTS || 1500);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS || 60_000);
const SEED = Number(process.env.FUZZ_SEED || 20261130);

describe('route fuzzer (127.0.0.1, bounded)', () => {
  let db: DbHandle;
  let site: RouteServer;
  let approved: TestKey;
  const freshKeys: TestKey[] = [];
  const knownIds: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    db = await openHardeningDb('pglite');
    setDb(db);
    process.env.ADMIN_TOKEN = ADMIN;
    process.env.HEADPREP_SEED = '0';
    delete process.env.HEADPREP_SITE_URL;
    approved = await newKey();
    expect((await keysRoute.POST(post('/api/keys', await registrationBody(approved)))).status).toBe(201);
    await setKeyStatus(db, approved.keyid, 'approved');
    const bundle = await validBundle(7);
    const r = await resultsRoute.POST(post('/api/results', await signBundle(bundle, approved)));
    expect(r.status).toBe(201);
    const { id } = (await r.json()) as { id: string };
    for (let i = 0; i < 8; i++) freshKeys.push(await newKey());
    // (not the approved signer's id: a fuzzed revoke would end the deep ingest requests)
    knownIds.push(id, bundle.fingerprint, freshKeys[0]!.keyid, 'result-bundle', 'cell-config', 'tiny@1');
    site = await startRouteServer();
  });
  afterAll(async () => {
    await site?.close();
    setDb(null);
    process.env = savedEnv;
    await db?.$close();
  });

  it(`answers no client input with a 5xx (at most ${MAX_REQUESTS} requests or ${BUDGET_MS / 1000} s)`, async () => {
    const report = await runFuzz({ baseUrl: site.url, approved, freshKeys, adminToken: ADMIN, knownIds }, { seed: SEED, maxRequests: MAX_REQUESTS, budgetMs: BUDGET_MS });
    const fivexx = Object.entries(report.byStatus).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(
      `route fuzzer: ${report.requests} requests in ${(report.ms / 1000).toFixed(1)} s (seed ${SEED}), ${fivexx} 5xx; by status ${JSON.stringify(report.byStatus)}`,
    );
    for (const f of report.failures.slice(0, 15)) console.log(`  ${f.why}: ${f.method} ${f.path} -> ${f.status} ${f.body}`);
    for (const e of site.thrown.slice(0, 5)) console.log('  thrown:', e);
    expect(report.requests).toBeGreaterThan(100);
    expect(report.failures).toEqual([]);
    expect(fivexx).toBe(0);
  }, BUDGET_MS + 60_000);
});
