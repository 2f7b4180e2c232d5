import { describe, it } from 'vitest';
import { POSTGRES_URL } from './databases';

/**
 * `describe(name, body)` when TEST_DATABASE_URL is set; otherwise one skipped test that says why
 * (the reason is printed too, so a run that silently covered only PGlite is visible).
 */
export function describePostgres(name: string, body: () => void): void {
  if (POSTGRES_URL) {
    describe(name, body);
    return;
  }
  const reason = `skipped: set TEST_DATABASE_URL to a Postgres server URL to run "${name}"`;
  console.warn(`[integration] ${reason}`);
  describe(name, () => it.skip(reason, () => {}));
}
