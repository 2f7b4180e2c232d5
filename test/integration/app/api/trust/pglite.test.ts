import { vi } from 'vitest';
import { defineTrustSuite } from './suite';

// server-only throws outside a React Server Components build; the ingest modules import it.
vi.mock('server-only', () => ({}));

defineTrustSuite('pglite');
