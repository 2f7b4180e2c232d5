/**
 * The suite page in a real browser (Debian's Chromium through Playwright, as the e2e tests run it):
 * total blocking time and the JavaScript it downloads, at a desktop (1280 px) and a phone (390 px)
 * width, on the committed reference results (seed/: synthetic-linear@2, 320 cells x 20 seeds, and
 * digits-transfer@2, the biggest charts the site draws).
 *
 * Metrics per (page, width), median of RUNS cold loads (a fresh browser context each: no HTTP cache):
 * - tbt_ms: total blocking time, the sum over main-thread long tasks (> 50 ms) after the first
 *   contentful paint of (duration - 50 ms), from a `longtask` PerformanceObserver registered before
 *   any page script, read once the page has loaded and 2 s passed without a long task.
 * - long_tasks_ms: the long tasks' whole duration over the same window.
 * - js_gzip_kb / js_kb / js_files: every script the page loaded before that point (gzip level 9
 *   of each body: what a compressing server transfers).
 * - html_gzip_kb / html_kb: the page's HTML document (server-rendered plots and the inlined React
 *   payload are part of it).
 * - scroll_tbt_ms / scroll_js_gzip_kb: the same after scrolling to the bottom (charts a page loads
 *   only when they come into view are counted here, not hidden).
 * Targets: tbt_ms <= 200 and js_gzip_kb <= 200 (issue 23).
 *
 * Needs a production build (`npm run build`) or BENCH_SITE_URL=<a running site>. Without a URL it
 * starts `next start` on an embedded database under .cache/bench-suite-page (seeded at its first
 * start from seed/, kept for later runs). CHROMIUM_PATH overrides /usr/bin/chromium.
 * The machine's load average is recorded with each row: on a shared machine TBT rises with it.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { hasProductionBuild, ROOT, startNextServer } from '../next-server';
import type { BenchResult, BenchSuite } from '../types';

const PAGES = (process.env.BENCH_SUITE_PAGES ?? 'synthetic-linear@2,digits-transfer@2').split(',');
const WIDTHS = [1280, 390];
const RUNS = Number(process.env.BENCH_SUITE_PAGE_RUNS ?? 3);
const QUIET_MS = 2000;

interface Load {
  tbt: number;
  longTasks: number;
  js: { raw: number; gzip: number; files: number };
  html: { raw: number; gzip: number };
  scrollTbt: number;
  scrollJs: { gzip: number; files: number };
}

/** Installed before any page script: collects long tasks and remembers when the last one ended. */
const OBSERVER = `(() => {
  const w = window;
  w.__longTasks = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration }); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
})();`;

type Win = { __longTasks: { start: number; duration: number }[] };

async function waitQuiet(page: import('@playwright/test').Page): Promise<void> {
  // until QUIET_MS passed since the last long task ended (at most 30 s)
  const t0 = Date.now();
  for (;;) {
    const last = await page.evaluate(() => {
      const t = (window as unknown as Win).__longTasks;
      const end = t.length ? Math.max(...t.map((x) => x.start + x.duration)) : 0;
      return performance.now() - end;
    });
    if (last >= QUIET_MS || Date.now() - t0 > 30_000) return;
    await page.waitForTimeout(250);
  }
}

async function measure(browser: Browser, url: string, width: number): Promise<Load> {
  const ctx = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  const page = await ctx.newPage();
  await page.addInitScript(OBSERVER);
  const scripts: { phase: 'load' | 'scroll'; raw: number; gzip: number }[] = [];
  let phase: 'load' | 'scroll' = 'load';
  const pendingBodies: Promise<void>[] = [];
  const html = { raw: 0, gzip: 0 };
  page.on('response', (res) => {
    if (res.request().resourceType() === 'document' && res.url() === url)
      pendingBodies.push(
        res.body().then(
          (b) => void Object.assign(html, { raw: b.byteLength, gzip: gzipSync(b, { level: 9 }).byteLength }),
          () => undefined,
        ),
      );
    if (res.request().resourceType() !== 'script') return;
    const p = phase;
    pendingBodies.push(
      res.body().then(
        (b) => void scripts.push({ phase: p, raw: b.byteLength, gzip: gzipSync(b, { level: 9 }).byteLength }),
        () => undefined,
      ),
    );
  });
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res?.ok()) throw new Error(`GET ${url}: ${res?.status()}`);
  await waitQuiet(page);
  await Promise.all(pendingBodies);
  const tbtSince = (from: number) =>
    page.evaluate((from) => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
      const start = Math.max(fcp, from);
      const tasks = (window as unknown as Win).__longTasks.filter((t) => t.start >= start);
      return { tbt: tasks.reduce((s, t) => s + Math.max(0, t.duration - 50), 0), all: tasks.reduce((s, t) => s + t.duration, 0) };
    }, from);
  const first = await tbtSince(0);
  phase = 'scroll';
  const scrollStart = await page.evaluate(() => performance.now());
  // scroll down a screen at a time, as a reader would, so lazily loaded parts load
  for (let i = 0; i < 40; i++) {
    const done = await page.evaluate(() => {
      window.scrollBy(0, window.innerHeight * 0.9);
      return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    });
    await page.waitForTimeout(120);
    if (done) break;
  }
  await waitQuiet(page);
  await Promise.all(pendingBodies);
  const scroll = await tbtSince(scrollStart);
  await ctx.close();
  const load = scripts.filter((s) => s.phase === 'load');
  const later = scripts.filter((s) => s.phase === 'scroll');
  return {
    tbt: first.tbt,
    longTasks: first.all,
    js: { raw: load.reduce((s, x) => s + x.raw, 0), gzip: load.reduce((s, x) => s + x.gzip, 0), files: load.length },
    html,
    scrollTbt: scroll.tbt,
    scrollJs: { gzip: later.reduce((s, x) => s + x.gzip, 0), files: later.length },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const suite: BenchSuite = {
  async run(): Promise<BenchResult[]> {
    let base = process.env.BENCH_SITE_URL ?? null;
    let stop: (() => Promise<void>) | null = null;
    if (!base) {
      if (!hasProductionBuild())
        return [{ name: 'suite-page', params: { error: 'no production build: run `npm run build` first, or set BENCH_SITE_URL' }, metrics: { failed: 1 } }];
      const dir = join(ROOT, '.cache', 'bench-suite-page');
      mkdirSync(dir, { recursive: true });
      // the first start ingests every seed envelope (minutes on a busy machine)
      const server = await startNextServer({ HEADPREP_DATA_DIR: dir, DATABASE_URL: '', POSTGRES_URL: '' }, 900);
      base = server.base;
      stop = server.stop;
    }
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const out: BenchResult[] = [];
    try {
      for (const slug of PAGES) {
        const url = `${base}/suites/${slug}`;
        await (await fetch(url)).arrayBuffer(); // warms the server's read cache: the bench measures the browser
        for (const width of WIDTHS) {
          const loads: Load[] = [];
          const load1 = loadavg()[0]!;
          for (let i = 0; i < RUNS; i++) loads.push(await measure(browser, url, width));
          const m = (f: (l: Load) => number) => median(loads.map(f));
          out.push({
            name: 'suite-page',
            params: { page: `/suites/${slug}`, width_px: width, runs: RUNS, load_avg_1m: Number(load1.toFixed(1)) },
            metrics: {
              tbt_ms: m((l) => l.tbt),
              long_tasks_ms: m((l) => l.longTasks),
              js_gzip_kb: m((l) => l.js.gzip) / 1024,
              js_kb: m((l) => l.js.raw) / 1024,
              js_files: m((l) => l.js.files),
              html_gzip_kb: m((l) => l.html.gzip) / 1024,
              html_kb: m((l) => l.html.raw) / 1024,
              scroll_tbt_ms: m((l) => l.scrollTbt),
              scroll_js_gzip_kb: m((l) => l.scrollJs.gzip) / 1024,
            },
            targets: { tbt_ms: { op: '<=', value: 200 }, js_gzip_kb: { op: '<=', value: 200 } },
          });
          process.stderr.write(`[suite-page bench] ${slug} ${width}px: ${JSON.stringify(out.at(-1)!.metrics)}\n`);
        }
      }
    } finally {
      await browser.close();
      await stop?.();
    }
    return out;
  },
};
export default suite;
