import { describe, it, vi } from 'vitest';
import { POSTGRES_URL } from './databases';
import { defineHardeningSuite } from './suite';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

if (POSTGRES_URL) defineHardeningSuite('postgres');
else describe('hardening on postgres', () => it.skip('skipped: set TEST_DATABASE_URL to run the hardening suite on a Postgres server', () => {}));
