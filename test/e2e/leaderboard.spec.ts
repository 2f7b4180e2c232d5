/**
 * The leaderboard journey in Debian Chromium, against `next start` seeded (through the real ingest
 * path) with envelopes that test/e2e/make-seed.ts signed with a throwaway reference key:
 * home -> suite leaderboard -> filter (URL + table change) -> energy chart with a point per seed ->
 * a result -> download its config -> run that config's tiny variant with the real CLI.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CellConfigSchema } from '../../contract';
import { runCli } from '../helpers/cli';
import { E2E_SEED } from './seed-plan';

const SHOTS = 'test-results/screenshots';
mkdirSync(SHOTS, { recursive: true });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test.describe.configure({ mode: 'serial' });

test('home shows suites with the best strategy per cell and recent results', async ({ page }) => {
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'HeadPrep' })).toBeVisible();
  const card = page.getByTestId('suite-card').filter({ hasText: E2E_SEED.suiteSlug });
  await expect(card).toBeVisible();
  // one row per cell of the suite, each naming a best strategy
  await expect(card.locator('tbody tr')).toHaveCount(E2E_SEED.cells.length);
  await expect(page.getByTestId('recent-results').locator('tbody tr').first()).toBeVisible();
  await shot(page, 'home');
});

test('leaderboard: filter by dataset updates the URL and the table; chart has one point per seed', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: E2E_SEED.suiteSlug }).first().click();
  await expect(page).toHaveURL(new RegExp(`/suites/${E2E_SEED.suiteSlug}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${E2E_SEED.suiteSlug} leaderboard`);
  // all cells are ranked before filtering
  for (const c of E2E_SEED.cells) await expect(page.getByTestId(`cell-table-${c.backbone}-${c.dataset}`)).toBeVisible();
  await expect(page.getByTestId('overall-table').locator('tbody tr')).toHaveCount(E2E_SEED.strategies.length);
  await shot(page, 'leaderboard-all');

  const target = E2E_SEED.cells[1]!;
  const other = E2E_SEED.cells[0]!;
  await page.getByLabel('Dataset').selectOption(target.dataset);
  await expect(page).toHaveURL(new RegExp(`[?&]dataset=${target.dataset}(&|$)`));
  await expect(page.getByTestId(`cell-table-${target.backbone}-${target.dataset}`)).toBeVisible();
  await expect(page.getByTestId(`cell-table-${other.backbone}-${other.dataset}`)).toHaveCount(0);

  // the hp-tau row is represented at tau* chosen on validation (marked *), never on test
  const hpRow = page.getByTestId(`cell-table-${target.backbone}-${target.dataset}`).locator('tr[data-strategy="hp-tau"]');
  await expect(hpRow.locator('td').nth(2)).toHaveText(`${target.tauStar}*`);

  // energy chart: role application (recharts accessibility layer); one symbol per seed per strategy
  // variant plus the tau sweep's per-tau means.
  const chart = page.getByTestId('energy-chart').getByRole('application');
  await expect(chart).toBeVisible();
  const seedsInCell = E2E_SEED.resultsPerCell;
  const sweepPoints = E2E_SEED.taus.length;
  await expect(chart.locator('.recharts-scatter-symbol')).toHaveCount(seedsInCell + sweepPoints);
  const table = page.getByTestId('energy-chart').locator('details');
  await table.locator('summary').click();
  await expect(table.locator('tbody').first().locator('tr')).toHaveCount(seedsInCell);
  await expect(page.getByTestId('feature-charts').getByRole('application')).toHaveCount(4);

  // strategy filter: unchecking a strategy removes its row and keeps others' ranks
  await page.getByRole('checkbox', { name: 'lp', exact: true }).uncheck();
  await expect(page).toHaveURL(/strategy=/);
  await expect(page.getByTestId(`cell-table-${target.backbone}-${target.dataset}`).locator('tr[data-strategy="lp"]')).toHaveCount(0);
  await shot(page, 'leaderboard-filtered');

  // CSV of the current view
  const csvUrl = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await (await page.request.get(csvUrl!)).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toContain('test_acc_ci95_lo');
  expect(lines.slice(1).every((l) => l.includes(`,${target.dataset},`))).toBe(true);
  expect(lines.slice(1).some((l) => l.includes(',lp,'))).toBe(false);
});

test('result drill-down: provenance, epoch curves, config download runs with the CLI', async ({ page }) => {
  await page.goto(`/suites/${E2E_SEED.suiteSlug}?dataset=${E2E_SEED.cells[0]!.dataset}`);
  const table = page.getByTestId('energy-chart').locator('details');
  await table.locator('summary').click();
  await page.goto('/');
  await page.getByTestId('recent-results').locator('tbody tr a').first().click();
  await expect(page).toHaveURL(/\/results\//);
  await expect(page.getByTestId('fingerprint')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByText('Signed by')).toBeVisible();
  await expect(page.getByTestId('epoch-curves').getByRole('application')).toHaveCount(2);
  await shot(page, 'result');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-config').click()]);
  const file = join(test.info().outputDir, 'downloaded-config.json');
  await download.saveAs(file);
  const config = CellConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  expect(config.suite.name).toBe(E2E_SEED.suite.name);

  const help = await runCli(['run', '--help']);
  if (help.code === 0 && help.stdout.includes('--smoke')) {
    const out = join(test.info().outputDir, 'smoke-run');
    const r = await runCli(['run', file, '--smoke', '--out', out], {}, 300_000);
    expect(r.code, r.stderr).toBe(0);
  } else {
    // The runner's `run --smoke` has not landed: the downloaded file must at least be a valid CellConfig.
    test.info().annotations.push({ type: 'note', description: '`headprep run --smoke` unavailable; validated against CellConfigSchema only' });
  }
});

test('reference configs: /api/configs/<id> returns exactly a CellConfig', async ({ page, request }) => {
  await page.goto('/configs');
  await expect(page.getByTestId('reference-config')).toHaveCount(E2E_SEED.cells.length);
  await shot(page, 'configs');
  const list = await (await request.get('/api/configs')).json();
  expect(list.configs).toHaveLength(E2E_SEED.cells.length);
  const one = await request.get(`/api/configs/${list.configs[0].id}`);
  expect(one.ok()).toBe(true);
  const parsed = CellConfigSchema.safeParse(await one.json());
  expect(parsed.success).toBe(true);
  expect((await request.get(`/api/configs/${'0'.repeat(64)}`)).status()).toBe(404);
  expect((await request.get('/api/configs/nope')).status()).toBe(400);
});

test('submit page looks up a key; dark theme renders', async ({ page }) => {
  await page.goto(`/submit?key=${E2E_SEED.referenceKeyId()}`);
  await expect(page.getByTestId('key-status')).toContainText('approved');
  await shot(page, 'submit');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`/suites/${E2E_SEED.suiteSlug}`);
  await expect(page.getByTestId('energy-chart').getByRole('application')).toBeVisible();
  await shot(page, 'leaderboard-dark');
});
