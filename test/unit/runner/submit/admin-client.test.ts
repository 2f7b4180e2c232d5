import { describe, expect, it } from 'vitest';
import { MIN_KEY_PREFIX, shortId } from '../../../../contract';
import { AdminApiError, matchKey } from '../../../../runner/submit/admin-client';

const key = (hex: string, name: string) => ({ key_id: hex.padEnd(64, '0'), name, status: 'pending', created_at: '2026-12-01T00:00:00Z' });

describe('matchKey: the CLI takes the key prefixes the site takes', () => {
  const keys = [key('abcdef0123', 'a'), key('abcdef01ff', 'b'), key('99', 'c')];

  it('finds a key by its short id or a unique prefix of MIN_KEY_PREFIX digits, any case', () => {
    expect(matchKey(keys, shortId(keys[2]!.key_id)).name).toBe('c');
    expect(matchKey(keys, 'ABCDEF0123').name).toBe('a');
    expect(matchKey(keys, keys[1]!.key_id).name).toBe('b');
  });

  it(`refuses a prefix shorter than ${MIN_KEY_PREFIX} digits or not hex, saying how many it needs`, () => {
    expect(() => matchKey(keys, '9900')).toThrow(new RegExp(`expected ${MIN_KEY_PREFIX} to 64 hex digits.*"9900"`));
    expect(() => matchKey(keys, 'zzzzzzzzzzzz')).toThrow(AdminApiError);
  });

  it('names the candidates of an ambiguous prefix and says when none match', () => {
    expect(() => matchKey(keys, 'abcdef01')).toThrow(/2 keys start with abcdef01 \(abcdef0123000000… "a", abcdef01ff000000… "b"\); give more digits/);
    expect(() => matchKey(keys, '12345678')).toThrow(/no key on the site starts with 12345678/);
  });
});
