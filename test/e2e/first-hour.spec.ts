/**
 * The first hour of a new submitter, with screenshots under test-results/screenshots/:
 * the real CLI creates and registers a key, runs tiny@1 into runs/tiny and submits runs/ -> the
 * key page and the home page show the results pending, with what happens next -> `headprep keys
 * approve <short id>` with the admin token -> the same results are ranked. Also: a 404 that
 * helps, a result page, /submit's short-id lookup, /admin's refreshed key list, a phone-width home
 * page, the theme toggle, the favicon and the BibTeX.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PUBLISHED_SUITES, suiteSlug } from '../../contract';

const ADMIN = process.env.ADMIN_TOKEN ?? 'e2e-admin-token';
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

function headprep(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['bin/headprep.mjs', ...args], {
    env: { ...process.env, NO_COLOR: '1', HEADPREP_RETRIES: '1', HEADPREP_RETRY_BASE_MS: '50', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test.describe.configure({ mode: 'serial' });

let site = '';
let short = '';
let resultId = '';
const dir = mkdtempSync(join(tmpdir(), 'headprep-first-hour-'));
const env = { HEADPREP_CONFIG_DIR: join(dir, 'config'), HEADPREP_CACHE_DIR: join(tmpdir(), 'headprep-test-cache') };

test('submit with a new key: the results are shown pending, with what happens next', async ({ page, baseURL }) => {
  test.setTimeout(400_000);
  site = baseURL!;
  const created = headprep(['keys', 'create'], env);
  expect(created.code, created.stderr).toBe(0);
  short = /key id\s+([0-9a-f]{12})/.exec(created.stdout)![1]!;
  expect(headprep(['keys', 'register', '--site', site, '--name', 'First Hour Lab', '--contact', 'lab@example.org'], env).stdout).toContain('status pending');
  const run = headprep(['run', 'tiny@1', '--out', join(dir, 'runs', 'tiny'), '--jobs', '1'], env);
  expect(run.code, run.stderr).toBe(0);
  const sent = headprep(['submit', join(dir, 'runs'), '--site', site], env);
  expect(sent.code, sent.stderr).toBe(0);
  expect(sent.stderr).toContain(`note: key ${short} is pending`);
  resultId = / {2}([0-9a-f]{20}) {2}accepted/.exec(sent.stdout)![1]!;

  await page.goto(`/keys/${short}`);
  await expect(page.getByRole('heading', { level: 1, name: 'First Hour Lab' })).toBeVisible();
  await expect(page.getByTestId('key-status')).toContainText('pending');
  await expect(page.getByTestId('pending-explainer')).toContainText('8 results pending approval');
  await expect(page.getByTestId('pending-explainer')).toContainText(`headprep keys approve ${short}`);
  await expect(page.getByTestId('key-results').locator('tbody tr')).toHaveCount(8);
  await shot(page, 'first-hour-1-key-pending');
  // the filter box keeps the rows whose strategy (or suite, cell, id start) matches every word
  await page.getByTestId('key-results-filter').getByRole('searchbox').fill('hp-ls');
  await page.getByTestId('key-results-filter').getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('key-results-matching')).toContainText('1 of 8 results match');
  await expect(page.getByTestId('key-results').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('key-results').locator('tbody tr[data-strategy="hp-ls"]')).toHaveCount(1);

  await page.goto('/');
  await expect(page.getByTestId('all-suites')).toContainText('tiny@1');
  await expect(page.getByTestId('all-suites')).toContainText('8 pending approval');
  for (const s of ['digits-mlp@1', 'cifar10-transfer@1']) await expect(page.getByTestId('all-suites').getByRole('link', { name: s })).toBeVisible();
  await expect(page.getByTestId('pending-explainer').first()).toContainText('pending approval');
  await expect(page.getByTestId('energy-definition').first()).toContainText('not a measure of joules');
  await shot(page, 'first-hour-2-home-pending');
});

test('approve the key locally with headprep keys approve: the results are ranked', async ({ page }) => {
  const ok = headprep(['keys', 'approve', short, '--site', site], { ...env, ADMIN_TOKEN: ADMIN });
  expect(ok.code, ok.stderr).toBe(0);
  expect(ok.stdout).toContain('approved key');
  await page.goto(`/keys/${short}`);
  await expect(page.getByTestId('key-status')).toContainText('approved');
  await expect(page.getByTestId('pending-explainer')).toHaveCount(0);
  await expect(page.getByTestId('key-results')).not.toContainText('pending');
  await shot(page, 'first-hour-3-key-approved');
  await page.goto('/suites/tiny@1');
  await expect(page.getByText('No ranked results for these filters yet')).toHaveCount(0);
  await shot(page, 'first-hour-4-suite-ranked');
});

test('a result page explains itself; its key line links to the key page', async ({ page }) => {
  // the lp cell of tiny@1 has no finetuning: one point per curve
  await page.goto(`/keys/${short}`);
  await page.getByTestId('key-results').locator('tbody tr[data-strategy="lp"]').getByRole('link').first().click();
  await expect(page.getByTestId('single-epoch-note')).toContainText('has no finetuning');
  await expect(page.getByTestId('ran')).toContainText('UTC');
  await expect(page.getByTestId('ran')).toContainText('wall time');
  await expect(page.getByTestId('cached-features')).toContainText('computed once');
  await expect(page.getByTestId('result-key').getByRole('link').first()).toHaveAttribute('href', /\/keys\/[0-9a-f]{64}$/);
  await shot(page, 'first-hour-5-result-lp');
  expect(resultId).toMatch(/^[0-9a-f]{20}$/);
});

test('a 404 that helps: unknown version names the latest, every suite listed', async ({ page }) => {
  const res = await page.goto('/suites/synthetic-linear@9');
  expect(res?.status()).toBe(404);
  const latest = Math.max(...PUBLISHED_SUITES.filter((s) => s.name === 'synthetic-linear').map((s) => s.version));
  await expect(page.getByTestId('not-found-hint')).toContainText(`the latest is synthetic-linear@${latest}`);
  for (const s of PUBLISHED_SUITES.map(suiteSlug))
    await expect(page.getByTestId('not-found-suites').getByRole('link', { name: s })).toBeVisible();
  await shot(page, 'first-hour-6-404-suite');
  expect((await page.goto('/results/0123456789abcdef0123'))?.status()).toBe(404);
  await expect(page.getByTestId('not-found-hint')).toContainText('No result has the id');
  expect((await page.goto('/no/such/page'))?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('/submit finds a key by its 12-character short id; the label stays on one line', async ({ page }) => {
  await page.goto(`/submit?key=${short}`);
  await expect(page.getByTestId('key-status')).toContainText('First Hour Lab');
  const label = page.getByRole('form', { name: 'Key status lookup' }).locator('label');
  const box = await label.boundingBox();
  const input = await label.locator('input').boundingBox();
  // label text (one line) + the input: well under three lines of text above the input
  expect(input!.y - box!.y).toBeLessThan(30);
  await shot(page, 'first-hour-7-submit-lookup');
});

test('/admin: approving a key updates the key list at once', async ({ page }) => {
  const env2 = { ...env, HEADPREP_CONFIG_DIR: join(dir, 'config2') };
  headprep(['keys', 'create'], env2);
  expect(headprep(['keys', 'register', '--site', site, '--name', 'Second Lab', '--contact', 'b@example.org'], env2).code).toBe(0);
  await page.goto('/admin');
  await page.getByPlaceholder('ADMIN_TOKEN').fill(ADMIN);
  await page.getByRole('combobox').first().selectOption('');
  await page.getByRole('button', { name: /list keys|load keys|refresh/i }).click();
  const row = page.locator('tr', { hasText: 'Second Lab' });
  await expect(row.getByTestId('admin-key-status')).toHaveText('pending');
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(row.getByTestId('admin-key-status')).toHaveText('approved');
  await expect(row.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await shot(page, 'first-hour-8-admin-approved');
});

test('phone width: the claims matrix becomes one card per suite, the page does not scroll sideways', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/');
  const matrix = page.getByTestId('claims-matrix');
  await expect(matrix.locator('thead')).toBeHidden();
  const { inner, outer } = await matrix.evaluate((el) => ({ inner: el.scrollWidth, outer: el.clientWidth }));
  expect(inner).toBeLessThanOrEqual(outer);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot(page, 'first-hour-9-phone-home');
});

test('theme toggle persists without a flash; favicon and BibTeX exist', async ({ page, request }) => {
  await page.goto('/about');
  const toggle = page.getByTestId('theme-toggle');
  await toggle.click(); // system -> light
  await toggle.click(); // light -> dark
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // on reload the boot script sets the theme before any React code runs
  await page.reload({ waitUntil: 'domcontentloaded' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('bibtex')).toContainText('2302.05779');
  await shot(page, 'first-hour-10-about-dark');
  await toggle.click(); // dark -> system
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  const icon = await request.get('/icon.svg');
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
});
