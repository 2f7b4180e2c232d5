import { describe, expect, it } from 'vitest';
import { findUnstorableText, MAX_JSON_DEPTH, parseReproductionStatementBytes, parseResultBundleBytes, utf8 } from '../../../contract';

const nested = (n: number, leaf: unknown = 1) => JSON.parse('{"a":'.repeat(n) + JSON.stringify(leaf) + '}'.repeat(n)) as unknown;

describe('findUnstorableText', () => {
  it('names the path of a NUL, a lone surrogate or a bad key, in document order', () => {
    expect(findUnstorableText({ a: ['ok', 'x\u0000'] })).toMatchObject({ path: 'a.1', message: expect.stringMatching(/NUL/) });
    expect(findUnstorableText({ ok: 1, ['k\ud800']: 1, b: 'x\u0000' })).toMatchObject({ path: 'k\ud800', message: expect.stringMatching(/^object key/) });
    expect(findUnstorableText({ b: 'x\u0000', ['k\ud800']: 1 })).toMatchObject({ path: 'b' });
    expect(findUnstorableText({ a: [{ b: 'fine' }], c: null, d: 2 })).toBeNull();
  });

  it(`refuses nesting past ${MAX_JSON_DEPTH} levels without recursion, however deep (10,000 and 1,000,000 levels)`, () => {
    expect(findUnstorableText(nested(MAX_JSON_DEPTH))).toBeNull();
    const past = findUnstorableText(nested(MAX_JSON_DEPTH + 1));
    expect(past).toMatchObject({ message: expect.stringMatching(/nested deeper than 64 levels/) });
    expect(past!.path.split('.')).toHaveLength(MAX_JSON_DEPTH);
    for (const n of [10_000, 1_000_000]) {
      const deep = JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown;
      expect(findUnstorableText(deep)).toMatchObject({ message: expect.stringMatching(/nested deeper/) });
    }
  });

  it('the payload parsers answer a schema issue (never a stack overflow) for a 100,000-level payload', () => {
    const deep = utf8.encode(`{"schema_version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    for (const r of [parseResultBundleBytes(deep), parseReproductionStatementBytes(deep)]) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]!.message).toMatch(/nested deeper than 64/);
    }
  });
});
