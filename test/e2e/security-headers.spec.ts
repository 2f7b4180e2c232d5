import { expect, test } from '@playwright/test';

const PAGES = ['/', '/submit', '/configs', '/admin', '/suites/synthetic-linear@1', '/no-such-page'];
const API = ['/api/health', '/api/reproductions?result=0123456789abcdef0123', '/api/results?limit=1', '/api/openapi.json', '/api/keys/xyz', '/api/results?format=csv&limit=1'];

function expectSecurityHeaders(h: Record<string, string>, what: string) {
  expect(h['content-security-policy'], what).toContain("frame-ancestors 'none'");
  expect(h['content-security-policy'], what).toContain("default-src 'self'");
  expect(h['x-frame-options'], what).toBe('DENY');
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
}

test('every page and API answer carries the security headers', async ({ request }) => {
  for (const path of [...PAGES, ...API]) {
    const res = await request.get(path);
    expect(res.status(), path).toBeLessThan(500);
    expectSecurityHeaders(res.headers(), path);
  }
});

test('the CSP breaks none of the site: no violation, scripts run, charts render', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text());
  });
  for (const path of ['/', '/suites/synthetic-linear@1', '/admin']) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await page.waitForLoadState('networkidle');
  }
  // the suite page's plots (server-rendered SVG with inline styles) and the result page's recharts
  // epoch curves (client JS) both render
  await page.goto('/suites/synthetic-linear@1');
  await expect(page.getByTestId('energy-chart').locator('svg.svg-wide')).toBeVisible();
  const list = await (await page.request.get('/api/results?limit=1')).json();
  await page.goto(`/results/${list.items[0].id}`);
  await expect(page.getByTestId('epoch-curves').getByRole('application').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('the admin console cannot be framed', async ({ page, baseURL }) => {
  const blocked: string[] = [];
  page.on('console', (m) => {
    if (/frame-ancestors|Refused to display/i.test(m.text())) blocked.push(m.text());
  });
  await page.setContent(`<iframe id="f" src="${baseURL}/admin"></iframe>`);
  await expect.poll(() => blocked.length, { timeout: 10_000 }).toBeGreaterThan(0);
});
