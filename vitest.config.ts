import { defineConfig } from 'vitest/config';

// Test tiers, fastest first (docs/engineering.md, 'Test tiers'); each tier's tree mirrors the source tree.
//   unit         pure: no TensorFlow.js, no database, no spawned CLI; seconds. A module hook
//                (test/fixtures/unit-tier.mjs) makes any import of tfjs or a database driver fail.
//   reference    pure as unit (the same hook), over the committed reference runs: the seed files'
//                signatures and packing, the ranking rule's error under the permutation null, an
//                independent recomputation of the leaderboards; tens of seconds.
//   runner       TensorFlow.js in process, or the headprep CLI in a child process (training,
//                kernels, backbone pretraining, the worker pool, every CLI verb end to end).
//   integration  databases: PGlite always; Postgres and @vercel/postgres when TEST_DATABASE_URL
//                is set, else skipped with the reason (test/integration/_helpers/describe-postgres.ts).
//   e2e          Playwright (playwright.config.ts), not here.
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // tfjs and PGlite are heavy; two cores, so keep parallelism modest and files isolated.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          execArgv: ['--import', './test/fixtures/unit-tier.mjs'],
          // Pure tests share one module graph per worker instead of re-importing contract/ and
          // zod per file (about 3x faster on two cores). Safe because nothing here holds global
          // state beyond the HEADPREP_CACHE_DIR a test sets for itself and the server-only mock.
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'reference', include: ['test/reference/**/*.test.ts'], execArgv: ['--import', './test/fixtures/unit-tier.mjs'], isolate: false },
      },
      { extends: true, test: { name: 'runner', include: ['test/runner/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
    ],
  },
});
