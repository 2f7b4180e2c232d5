import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/runner/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // tfjs and PGlite are heavy; two cores, so keep parallelism modest and files isolated.
    pool: 'forks',
    maxWorkers: 2,
  },
});
