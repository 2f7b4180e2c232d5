import { expect, test } from '@playwright/test';

test('home page renders in Chromium', async ({ page }) => {
  const res = await page.goto('/');
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'HeadPrep' })).toBeVisible();
  await expect(page.getByText('Quick start')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/home.png', fullPage: true });
});

test('health endpoint answers JSON', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.ok()).toBe(true);
  expect(await res.json()).toMatchObject({ ok: true });
});
