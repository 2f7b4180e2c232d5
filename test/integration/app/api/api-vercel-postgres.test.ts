import { vi } from 'vitest';
import { describePostgres } from '../../_helpers/describe-postgres';
import { defineApiSuite } from './suite';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

describePostgres('the API suite (@vercel/postgres)', () => defineApiSuite('vercel-postgres'));
