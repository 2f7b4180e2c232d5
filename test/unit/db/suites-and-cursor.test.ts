import { describe, expect, it } from 'vitest';
import { resultIdOf } from '../../../db/mutations/results';
import { CursorError, decodeCursor, encodeCursor } from '../../../db/queries/results';
import { driverFor } from '../../../db/connect';

describe('ids and cursors', () => {
  it('result ids are the payload hash prefix', () => {
    expect(resultIdOf('ab'.repeat(32))).toBe('ab'.repeat(10));
  });
  it('cursors round-trip and malformed ones throw CursorError', () => {
    expect(decodeCursor(encodeCursor(42))).toBe(42);
    expect(decodeCursor(null)).toBeNull();
    expect(decodeCursor('')).toBeNull();
    for (const bad of ['42', 's-1', 'sx', 's1e9', `s${'9'.repeat(16)}`]) expect(() => decodeCursor(bad)).toThrow(CursorError);
  });
});

describe('driver choice', () => {
  it('POSTGRES_URL beats DATABASE_URL beats PGlite', () => {
    expect(driverFor({})).toBe('pglite');
    expect(driverFor({ DATABASE_URL: 'postgres://x' })).toBe('node-postgres');
    expect(driverFor({ DATABASE_URL: 'postgres://x', POSTGRES_URL: 'postgres://y' })).toBe('vercel-postgres');
  });
});
