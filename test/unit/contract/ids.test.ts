import { describe, expect, it } from 'vitest';
import { idPreview, KEY_PREFIX_RE, MIN_KEY_PREFIX, shortId, SHORT_ID_LENGTH } from '../../../contract';

describe('contract/ids.ts: key prefixes and short ids', () => {
  const hex = '0123456789abcdef'.repeat(4);

  it('a short id is the first SHORT_ID_LENGTH digits and is itself a valid key prefix', () => {
    expect(shortId(hex)).toBe('0123456789ab');
    expect(SHORT_ID_LENGTH).toBeGreaterThanOrEqual(MIN_KEY_PREFIX);
    expect(KEY_PREFIX_RE.test(shortId(hex))).toBe(true);
  });

  it('a key prefix has MIN_KEY_PREFIX to 64 lowercase hex digits', () => {
    expect(KEY_PREFIX_RE.test(hex)).toBe(true);
    expect(KEY_PREFIX_RE.test(hex.slice(0, MIN_KEY_PREFIX))).toBe(true);
    expect(KEY_PREFIX_RE.test(hex.slice(0, MIN_KEY_PREFIX - 1))).toBe(false);
    expect(KEY_PREFIX_RE.test(`${hex}0`)).toBe(false);
    expect(KEY_PREFIX_RE.test('0123456789ABCDEF')).toBe(false);
    expect(KEY_PREFIX_RE.test('0123456789abcdeg')).toBe(false);
  });

  it('a preview shows the first 16 digits and says it is cut', () => {
    expect(idPreview(hex)).toBe('0123456789abcdef…');
  });
});
