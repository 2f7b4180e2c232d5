import { vi } from 'vitest';
import { describePostgres } from '../../../_helpers/describe-postgres';
import { defineTrustSuite } from './suite';

// server-only throws outside a React Server Components build; the ingest modules import it.
vi.mock('server-only', () => ({}));

describePostgres('the trust suite', () => defineTrustSuite('postgres'));
