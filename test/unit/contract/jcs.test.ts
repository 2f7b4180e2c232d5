import { describe, expect, it } from 'vitest';
import { canonicalize, CanonicalizationError } from '../../../contract';

describe('canonicalize (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, recursively, with no whitespace', () => {
    expect(canonicalize({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    // U+20AC (euro) sorts after U+000A/"1"; surrogate pairs compare by code unit (RFC 8785 3.2.3 example order)
    expect(canonicalize({ '\u20ac': 1, '1': 2, '\r': 3, '\ud83d\ude00': 4, '\u00f6': 5 })).toBe(
      '{"\\r":3,"1":2,"\u00f6":5,"\u20ac":1,"\ud83d\ude00":4}',
    );
  });

  it('serialises numbers as ECMAScript does (RFC 8785 appendix B samples)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [333333333.3333333, '333333333.3333333'],
      [9007199254740992, '9007199254740992'],
      [5e-324, '5e-324'],
      [0.1, '0.1'],
      [100, '100'],
      [1.5e300, '1.5e+300'],
    ];
    for (const [n, s] of cases) expect(canonicalize(n)).toBe(s);
  });

  it('escapes strings like JSON.stringify and keeps non-ASCII literal', () => {
    expect(canonicalize('a"b\\c\n\u0001\u00e9')).toBe('"a\\"b\\\\c\\n\\u0001\u00e9"');
  });

  it('rejects values JSON cannot represent, naming the path', () => {
    expect(() => canonicalize({ a: [1, NaN] })).toThrow(CanonicalizationError);
    expect(() => canonicalize({ a: [1, NaN] })).toThrow('$.a[1]');
    expect(() => canonicalize({ a: Infinity })).toThrow('$.a');
  });

  it('drops undefined object members as JSON.stringify does', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
