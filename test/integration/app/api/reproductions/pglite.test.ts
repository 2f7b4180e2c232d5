import { vi } from 'vitest';
import { defineReproductionSuite } from './suite';

// server-only throws outside a React Server Components build; route handlers import it.
vi.mock('server-only', () => ({}));

defineReproductionSuite('pglite');
