/**
 * Every page at a phone (390 px) and a desktop (1280 px) width: a full-page screenshot of the home,
 * suite, result, key, compare and API pages (test-results/screenshots/responsive-*.png), and the
 * test fails when the page scrolls sideways, when any visible text renders under 11 px (SVG text
 * measured at its drawn scale: a plot squeezed into a phone shrinks its labels), or, at 1280 px,
 * when a ranking table hides a column behind a horizontal scroll. Plus: sorting, the compare page,
 * the claims links and the small pages (/api, /favicon.ico) answering.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SEED_DIR = process.env.E2E_SEED_DIR ?? '.cache/e2e-seed';
const plan = () =>
  JSON.parse(readFileSync(join(SEED_DIR, 'plan.json'), 'utf8')) as { suite: string; reference_key_id: string; cell: { backbone: string; dataset: string } };
const SHOTS = 'test-results/screenshots';
const MIN_TEXT_PX = 11;

/** Visible text under MIN_TEXT_PX (CSS px as drawn), at most 10 examples. */
async function smallText(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.textContent?.trim()) continue;
      const el = node.parentElement;
      if (!el || seen.has(el)) continue;
      seen.add(el);
      if (el.closest('script, style, noscript, title, template')) continue;
      if (el.getClientRects().length === 0) continue; // not rendered (display: none, closed details)
      const cs = getComputedStyle(el);
      if (cs.visibility !== 'visible' || Number(cs.opacity) === 0) continue;
      let size = parseFloat(cs.fontSize);
      const svg = el.closest('svg');
      const vb = svg?.viewBox?.baseVal;
      if (svg && vb && vb.width > 0) size *= svg.getBoundingClientRect().width / vb.width;
      if (size < min - 0.05) out.push(`${size.toFixed(1)}px "${node.textContent.trim().slice(0, 40)}" <${el.tagName.toLowerCase()}>`);
      if (out.length >= 10) break;
    }
    return out;
  }, MIN_TEXT_PX);
}

async function pages(page: Page) {
  const p = plan();
  const list = await (await page.request.get(`/api/results?suite=${encodeURIComponent(p.suite)}&limit=1`)).json();
  const resultId = list.items[0].id as string;
  return [
    { name: 'home', path: '/' },
    { name: 'suite', path: `/suites/${p.suite}` },
    { name: 'result', path: `/results/${resultId}` },
    { name: 'key', path: `/keys/${p.reference_key_id}` },
    { name: 'compare', path: `/compare?suite=${encodeURIComponent(p.suite)}&a=hp-tau&b=ft` },
    { name: 'api', path: '/api' },
  ];
}

for (const width of [390, 1280]) {
  test(`at ${width} px no page scrolls sideways and no text is under ${MIN_TEXT_PX} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    mkdirSync(SHOTS, { recursive: true });
    const failures: string[] = [];
    for (const { name, path } of await pages(page)) {
      const res = await page.goto(path);
      expect(res?.status(), path).toBe(200);
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(SHOTS, `responsive-${name}-${width}.png`), fullPage: true });
      const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (scroll > inner) failures.push(`${name} (${path}): the page is ${scroll} px wide in a ${inner} px window`);
      const small = await smallText(page);
      if (small.length) failures.push(`${name} (${path}): text under ${MIN_TEXT_PX} px: ${small.join('; ')}`);
    }
    expect(failures).toEqual([]);
  });
}

test('at 1280 px every ranking table shows all its columns; headers stick; a click sorts', async ({ page }) => {
  const p = plan();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/suites/${p.suite}`);
  const tables = page.locator('table.rank-table');
  expect(await tables.count()).toBeGreaterThan(0);
  for (const t of await tables.all()) {
    const fit = await t.evaluate((table) => {
      const wrap = table.closest('.table-wrap')!;
      const box = wrap.getBoundingClientRect();
      const heads = [...table.querySelectorAll('thead th')].filter((th) => th.getClientRects().length > 0);
      return {
        overflow: wrap.scrollWidth - wrap.clientWidth,
        clipped: heads.filter((th) => th.getBoundingClientRect().right > box.right + 1).map((th) => th.textContent),
        heads: heads.length,
        sticky: getComputedStyle(heads[0]!).position,
      };
    });
    expect(fit.overflow, 'horizontal scroll inside the table box').toBeLessThanOrEqual(0);
    expect(fit.clipped).toEqual([]);
    expect(fit.heads).toBeGreaterThanOrEqual(10); // OOD / energy / L2 / compare are among them, not hidden
    expect(fit.sticky).toBe('sticky');
  }
  // the column chooser adds an optional column, still without a horizontal scroll
  await page.getByTestId('column-chooser').locator('summary').click();
  await page.getByTestId('column-chooser').getByLabel('Best validation acc').check();
  const table = tables.first();
  await expect(table.locator('th.col-val')).toBeVisible();
  // sorting: test accuracy descending, ascending, then back to rank order
  const header = table.getByRole('button', { name: /^Test acc, mean/ });
  const means = async () => table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLTableRowElement).cells[2]!.dataset.v)));
  const initial = await means();
  await header.click();
  expect(await means()).toEqual([...initial].sort((a, b) => b - a));
  await expect(table.locator('thead th').nth(2)).toHaveAttribute('aria-sort', 'descending');
  await header.click();
  expect(await means()).toEqual([...initial].sort((a, b) => a - b));
  await header.click();
  expect(await means()).toEqual(initial);
});

test('compare: a row links to /compare with paired per-seed differences, both strategies on the plots, the verdict', async ({ page }) => {
  const p = plan();
  await page.goto(`/suites/${p.suite}`);
  const row = page.locator(`table.rank-table tr[data-strategy="ft"]`);
  await row.getByTestId('compare-link').click();
  await expect(page).toHaveURL(/\/compare\?/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/ vs ft$/);
  const seeds = page.getByTestId('compare-seeds').locator('tbody tr');
  expect(await seeds.count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('compare-verdict')).toHaveAttribute('data-verdict', /^(a-better|b-better|no-difference)$/);
  const series = await page.getByTestId('energy-chart').locator('svg.svg-wide path.plot-series').evaluateAll((ps) => ps.map((e) => e.getAttribute('data-series')));
  expect(new Set(series).size).toBe(2);
  // an unknown strategy falls back with a notice, never a 500
  const res = await page.goto(`/compare?suite=${encodeURIComponent(p.suite)}&a=nope&b=ft`);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('status')).toContainText('has no ranked results');
});

test('home claims link to the claim on the suite page; /api, /compare and /favicon.ico answer', async ({ page, request }) => {
  const p = plan();
  await page.goto('/');
  const link = page.getByTestId('claims-matrix').locator(`tr[data-suite="${p.suite}"] td[data-claim] a`).first();
  const href = (await link.getAttribute('href'))!;
  const claim = href.split('#')[1]!;
  await link.click();
  await expect(page.locator(`#${claim}`)).toBeVisible();
  for (const path of ['/api', '/compare', '/favicon.ico']) expect((await request.get(path)).status(), path).toBe(200);
  expect((await request.get('/favicon.ico')).headers()['content-type']).toMatch(/icon/);
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'API' }).click();
  await expect(page).toHaveURL(/\/api$/);
  expect(await page.getByTestId('api-operation').count()).toBeGreaterThan(5);
});
