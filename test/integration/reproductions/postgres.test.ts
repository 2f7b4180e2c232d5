import { describe, it, vi } from 'vitest';
import { POSTGRES_URL } from '../hardening/databases';
import { defineReproductionSuite } from './suite';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

if (POSTGRES_URL) defineReproductionSuite('postgres');
else describe('reproductions on postgres', () => it.skip('skipped: set TEST_DATABASE_URL to run the reproduction suite on a Postgres server', () => {}));
