import { describe, expect, it } from 'vitest';
import { envInt } from '../../../contract';

describe('envInt: a setting from the environment', () => {
  it('unset or empty is the default; a non-negative integer is taken', () => {
    expect(envInt({}, 'X', 4)).toBe(4);
    expect(envInt({ X: '' }, 'X', 4)).toBe(4);
    expect(envInt({ X: ' 7 ' }, 'X', 4)).toBe(7);
    expect(envInt({ X: '0' }, 'X', 4)).toBe(0);
  });

  it('anything else fails naming the variable and the value', () => {
    for (const bad of ['-1', '1.5', 'four', '1e400'])
      expect(() => envInt({ HEADPREP_RETRIES: bad }, 'HEADPREP_RETRIES', 4)).toThrow(`HEADPREP_RETRIES must be a non-negative integer, got "${bad}"`);
  });
});
