import { vi } from 'vitest';
import { describePostgres } from '../../../_helpers/describe-postgres';
import { defineHardeningSuite } from './suite';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

describePostgres('the hardening suite', () => defineHardeningSuite('postgres'));
