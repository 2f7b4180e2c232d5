/**
 * The leaderboard journey in Debian Chromium, against `next start` seeded (through the real ingest
 * path, seed/load.ts) with envelopes test/e2e/make-seed.ts signed with a throwaway reference key:
 * home -> suite leaderboard -> filters (URL + table change) -> energy chart with a point per seed ->
 * a result -> download its config -> run that config's tiny variant with the real CLI (--smoke).
 * Plus: a second key registered through POST /api/keys stays pending (ranked only with the toggle)
 * until the admin page approves it.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CellConfigSchema,
  importPrivateKeyPem,
  importPublicKeyRaw,
  KEY_REGISTRATION_PAYLOAD_TYPE,
  parsePublicKey,
  signEnvelope,
  toBase64,
  utf8,
} from '../../contract';
import { runCli } from '../fixtures/cli';

const SEED_DIR = process.env.E2E_SEED_DIR ?? '.cache/e2e-seed';
interface Plan {
  suite: string;
  cell: { backbone: string; dataset: string };
  strategies: string[];
  hp_taus: number[];
  sweep_taus: number[];
  tau_star: number;
  results_per_cell: number;
  pending_strategy: string;
  pending_results: number;
  reference_key_id: string;
  pending_key_id: string;
  pending_public_key_pem: string;
}
const plan = (): Plan => JSON.parse(readFileSync(join(SEED_DIR, 'plan.json'), 'utf8')) as Plan;

const SHOTS = 'test-results/screenshots';
const shot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};
const cellTable = (page: Page, p: Plan) => page.getByTestId(`cell-table-${p.cell.backbone}-${p.cell.dataset}`);

/** Registers the pending key (proof of possession) and submits its envelopes through the public API. */
async function submitPending(request: APIRequestContext, p: Plan) {
  const privateKey = await importPrivateKeyPem(readFileSync(join(SEED_DIR, 'pending-key.pem'), 'utf8'));
  const raw = parsePublicKey(p.pending_public_key_pem);
  const publicKey = await importPublicKeyRaw(raw);
  const reg = { public_key: toBase64(raw), name: 'e2e newcomer', contact: 'newcomer@example.org', issued_at: new Date().toISOString() };
  const env = await signEnvelope(utf8.encode(JSON.stringify(reg)), KEY_REGISTRATION_PAYLOAD_TYPE, privateKey, publicKey);
  const r = await request.post('/api/keys', { data: JSON.stringify(env), headers: { 'content-type': 'application/json' } });
  expect([200, 201], await r.text()).toContain(r.status());
  for (const f of readdirSync(join(SEED_DIR, 'pending'))) {
    const res = await request.post('/api/results', {
      data: readFileSync(join(SEED_DIR, 'pending', f), 'utf8'),
      headers: { 'content-type': 'application/json' },
    });
    expect([200, 201], await res.text()).toContain(res.status());
    expect((await res.json()).key_status).toBe('pending');
  }
}

test.describe.configure({ mode: 'serial' });

test('home shows the seeded suite with its best strategy and recent results', async ({ page }) => {
  const p = plan();
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'HeadPrep' })).toBeVisible();
  const card = page.getByTestId('suite-card').filter({ hasText: p.suite });
  await expect(card).toBeVisible();
  await expect(card.locator('tbody tr')).toHaveCount(1);
  await expect(card.locator('tbody tr')).toContainText(`hp-tau (tau ${p.tau_star})`);
  // recent activity: approved keys only, grouped (the seeded reference import is one line)
  await expect(page.getByTestId('recent-activity').locator('li', { hasText: p.suite })).toHaveCount(1);
  // the claims matrix: the seeded suite's seven claims, each a verdict linking to the claim on the suite page
  const matrixRow = page.getByTestId('claims-matrix').locator(`tr[data-suite="${p.suite}"]`);
  await expect(matrixRow.locator('td[data-claim] a')).toHaveCount(7);
  await expect(card.getByTestId('tie-group')).toHaveCount(1);
  await shot(page, 'home');
});

test('leaderboard: ranking, energy chart with one point per seed, filters in the URL', async ({ page, request }) => {
  const p = plan();
  await page.goto('/');
  await page.getByTestId('suite-card').getByRole('link', { name: p.suite }).click();
  await expect(page).toHaveURL(new RegExp(`/suites/${p.suite}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${p.suite} leaderboard`);

  const table = cellTable(page, p);
  await expect(table.locator('tbody tr')).toHaveCount(p.strategies.length);
  // hp-tau is represented at tau* chosen on validation (marked *), although tau 2 has the best test accuracy
  await expect(table.locator('tr[data-strategy="hp-tau"] td').nth(1)).toHaveText(`${p.tau_star}*`);
  await expect(table.locator('tbody tr').first()).toHaveAttribute('data-strategy', 'hp-tau');
  await expect(page.getByTestId('overall-table').locator('tbody tr')).toHaveCount(p.strategies.length);

  // paired columns, the claims and the critical-difference diagram
  await expect(table.locator('tr[data-strategy="hp-tau"] [data-testid="paired-diff"]')).toHaveText('leader');
  await expect(table.locator('tr[data-strategy="ft"] [data-testid="paired-diff"]')).toHaveText(/^−\d+\.\d\d$/);
  // the seven pre-registered claims, (i) and (iv) as manipulation checks, each with a power note
  await expect(page.getByTestId('claims-panel').locator('[data-claim]')).toHaveCount(7);
  await expect(page.getByTestId('claims-panel').locator('[data-kind="manipulation check"]')).toHaveCount(2);
  await expect(page.getByTestId('claim-power')).toHaveCount(7);
  // ranks follow the means; a strategy not significantly worse than the leader is marked, not re-ranked
  await expect(table.locator('tbody tr').first().locator('.rank')).toHaveText('1');
  await expect(table.locator('tbody tr').nth(1).locator('.rank')).toHaveText('2');
  await expect(page.getByTestId('cd-diagram').locator('svg')).toBeVisible();

  // energy chart: one symbol per seed (every strategy and tau) plus one per tau of the sweep line
  // (ft at tau 0, hp-tau's interior taus, lp-ft at the largest tau)
  const chart = page.getByTestId('energy-chart').locator('svg.svg-wide');
  await expect(chart).toBeVisible();
  const drawn = await chart.locator('path.plot-series').evaluateAll((ps) => ps.reduce((n, e) => n + Number(e.getAttribute('data-points')), 0));
  expect(drawn).toBe(p.results_per_cell);
  await expect(chart.locator('.sweep-mark')).toHaveCount(p.sweep_taus.length);
  const details = page.getByTestId('seed-table');
  await details.locator('summary').click();
  await expect(details.locator('table').first().locator('tbody tr')).toHaveCount(p.results_per_cell);
  await expect(page.getByTestId('feature-charts').locator('svg.svg-wide')).toHaveCount(4);
  await expect(page.getByTestId('reference-config')).toHaveCount(1);
  await shot(page, 'leaderboard');

  // a newcomer's results are stored but not ranked ...
  await submitPending(request, p);
  await page.reload();
  await expect(table.locator(`tr[data-strategy="${p.pending_strategy}"]`)).toHaveCount(0);
  // ... until the viewer includes pending keys: the URL and the table change
  await page.getByRole('checkbox', { name: 'include pending keys' }).check();
  await expect(page).toHaveURL(/[?&]pending=1(&|$)/);
  await expect(page.getByRole('status').filter({ hasText: 'not the official ranking' })).toBeVisible();
  const pendingRow = cellTable(page, p).locator(`tr[data-strategy="${p.pending_strategy}"]`);
  await expect(pendingRow).toHaveCount(1);
  await expect(pendingRow).toContainText(`${p.pending_results} pending`);
  await shot(page, 'leaderboard-pending');

  // strategy filter: unchecking lp removes its row and keeps the other ranks (lp has the lowest
  // mean); the pre-registered claims are computed on the whole sweep and do not change
  const ranksBefore = await cellTable(page, p).locator('tbody tr[data-strategy="lp-ft"] .rank').textContent();
  const claimsBefore = await page.getByTestId('claims-panel').innerText();
  await page.getByRole('checkbox', { name: 'lp', exact: true }).uncheck();
  await expect(page).toHaveURL(/strategy=/);
  await expect(cellTable(page, p).locator('tr[data-strategy="lp"]')).toHaveCount(0);
  await expect(cellTable(page, p).locator('tbody tr[data-strategy="lp-ft"] .rank')).toHaveText(ranksBefore!);
  expect(await page.getByTestId('claims-panel').innerText()).toBe(claimsBefore);

  // CSV of the current view (the same filters)
  const csvUrl = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  expect(csvUrl).toContain('pending=1');
  const csv = await (await page.request.get(csvUrl!)).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toContain('test_acc_ci95_lo');
  expect(lines).toHaveLength(1 + p.strategies.length); // lp hidden, the pending strategy shown
  expect(lines.some((l) => l.includes(',lp,'))).toBe(false);
  expect(lines.some((l) => l.includes(`,${p.pending_strategy},`))).toBe(true);
  const json = await (await page.request.get(csvUrl!.replace('format=csv', 'format=json'))).json();
  expect(json.rows).toHaveLength(p.strategies.length);
});

test('result drill-down: provenance, epoch curves, config download runs with the CLI', async ({ page }) => {
  const p = plan();
  await page.goto(`/suites/${p.suite}`);
  await page.getByTestId('seed-table').locator('summary').click();
  // A reference result through its key's page (the home page's recent results may all be newer
  // results of other tests' keys: the seed is stored when the server starts).
  await page.goto(`/keys/${p.reference_key_id}`);
  await page.getByTestId('key-results').locator('tbody tr[data-strategy="hp-tau"]', { hasText: 'signed' }).first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/results\/[0-9a-f]+$/);
  await expect(page.getByTestId('fingerprint')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByText(p.reference_key_id)).toBeVisible();
  await expect(page.getByTestId('epoch-curves').getByRole('application')).toHaveCount(2);
  await shot(page, 'result');

  // The envelope download is byte-identical to the API's copy, and the bundle download is exactly its payload.
  const id = /\/results\/([0-9a-f]+)$/.exec(page.url())![1]!;
  const envelopeBytes = await (await page.request.get(`/results/${id}/envelope.json`)).body();
  const apiEnvelope = await (await page.request.get(`/api/results/${id}/envelope`)).body();
  expect(envelopeBytes.equals(apiEnvelope)).toBe(true);
  const bundleBytes = await (await page.request.get(`/results/${id}/bundle.json`)).body();
  expect(bundleBytes.equals(Buffer.from(JSON.parse(envelopeBytes.toString('utf8')).payload, 'base64'))).toBe(true);
  expect((await page.request.get('/results/0000000000/bundle.json')).status()).toBe(404);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-config').click()]);
  const file = join(test.info().outputDir, 'downloaded-config.json');
  await download.saveAs(file);
  const config = CellConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  expect(`${config.suite.name}@${config.suite.version}`).toBe(p.suite);

  const out = join(test.info().outputDir, 'smoke-run');
  const r = await runCli(['run', file, '--smoke', '--out', out, '--backend', 'cpu'], {}, 300_000);
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  const bundles = readdirSync(out).filter((f) => f.endsWith('.bundle.json'));
  expect(bundles).toHaveLength(1);
  const bundle = JSON.parse(readFileSync(join(out, bundles[0]!), 'utf8'));
  expect(bundle.status).toBe('ok');
  expect(bundle.config.strategy).toEqual(config.strategy);
});

test('reference configs: /configs and /api/configs/<id> returns exactly a CellConfig', async ({ page, request }) => {
  const p = plan();
  // one reference per ranked cell: the seeded suite's, plus any suite an earlier spec submitted and approved
  const list = await (await request.get('/api/configs')).json();
  const mine = list.configs.filter((c: { suite: string }) => c.suite === p.suite);
  expect(mine).toHaveLength(1);
  await page.goto('/configs');
  await expect(page.getByTestId('reference-config')).toHaveCount(list.configs.length);
  // the card of the seeded suite's cell shows its fingerprint
  await expect(page.getByTestId('reference-config').filter({ hasText: mine[0].id.slice(0, 16) })).toHaveCount(1);
  await shot(page, 'configs');
  const one = await request.get(`/api/configs/${mine[0].id}`);
  expect(one.ok()).toBe(true);
  const body = await one.json();
  expect(CellConfigSchema.safeParse(body).success).toBe(true);
  expect(body.strategy.id).toBe(mine[0].strategy);
  expect((await request.get(`/api/configs/${'0'.repeat(64)}`)).status()).toBe(404);
  expect((await request.get('/api/configs/nope')).status()).toBe(400);
  expect((await request.get('/api/leaderboard?suite=Bad Name')).status()).toBe(400);
});

test('submit page key lookup; admin approves the pending key from the browser', async ({ page }) => {
  const p = plan();
  await page.goto(`/submit?key=${p.pending_key_id}`);
  await expect(page.getByTestId('key-status')).toContainText('pending');
  await shot(page, 'submit');

  await page.goto('/admin');
  await page.getByLabel('Admin token').fill(process.env.ADMIN_TOKEN ?? 'e2e-admin-token');
  await page.getByRole('button', { name: 'List keys' }).click();
  const row = page.getByTestId('admin-keys').locator('tr', { hasText: 'e2e newcomer' });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId('admin-log')).toContainText('→ 200');
  await shot(page, 'admin');

  await page.goto(`/suites/${p.suite}`);
  await expect(cellTable(page, p).locator(`tr[data-strategy="${p.pending_strategy}"]`)).toHaveCount(1);
  await page.goto(`/submit?key=${p.pending_key_id}`);
  await expect(page.getByTestId('key-status')).toContainText('approved');
});

test('dark theme renders the leaderboard', async ({ page }) => {
  const p = plan();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/suites/${p.suite}`);
  await expect(page.getByTestId('energy-chart').locator('svg.svg-wide')).toBeVisible();
  await shot(page, 'leaderboard-dark');
});
