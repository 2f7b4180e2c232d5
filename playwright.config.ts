import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3107);

// The site's embedded database for this run: named here (workers inherit the variable; the
// config may be evaluated more than once, so nothing is created here), made by the site on first
// open and removed by test/e2e/global-teardown.ts, so runs leave no /tmp/headprep-e2e-* behind.
process.env.HEADPREP_E2E_DATA_DIR ??= join(tmpdir(), `headprep-e2e-${randomBytes(6).toString('hex')}`);

/** Debian's Chromium, never a downloaded browser (`npx playwright install` cannot run here). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  globalTeardown: './test/e2e/global-teardown.ts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `bash test/e2e/serve.sh ${PORT}`,
    // A reader waits up to 5 s for the view after a change (default 250 ms): the tests check what a
    // page shows once current; serving the previous view meanwhile is test/integration/db/queries/read-cache.test.ts's.
    env: { HEADPREP_DATA_DIR: process.env.HEADPREP_E2E_DATA_DIR, HEADPREP_VIEW_WAIT_MS: '5000' },
    url: `http://127.0.0.1:${PORT}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
