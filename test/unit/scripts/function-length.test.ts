/** No function outside the tests is longer than MAX_FUNCTION_LINES lines (scripts/function-length.ts measures them). */
import { describe, expect, it } from 'vitest';
import { allFunctionLengths, functionLengths, MAX_FUNCTION_LINES } from '../../../scripts/function-length';

describe('function length', () => {
  it('measures functions, methods, arrows and function expressions, nested ones too, by their lines', () => {
    const text = [
      'export function outer() {', // 1
      '  const inner = () => {', // 2
      '    return 1;', // 3
      '  };', // 4
      '  return inner();', // 5
      '}', // 6
      'class A {', // 7
      '  m() {', // 8
      '    return function () { return 2; };', // 9
      '  }', // 10
      '}', // 11
      'const Page = () => <div>', // 12
      '  x', // 13
      '</div>;', // 14
    ].join('\n');
    const got = functionLengths('x.tsx', text).map((f) => `${f.name}:${f.line}:${f.lines}`);
    expect(got).toEqual(['outer:1:6', 'inner:2:3', 'm:8:3', '(anonymous):9:1', 'Page:12:3']);
  });

  it(`no function outside test/ is longer than ${MAX_FUNCTION_LINES} lines (split a page into its sections)`, () => {
    const all = allFunctionLengths(process.cwd());
    expect(all.length).toBeGreaterThan(500);
    const long = all.filter((f) => f.lines > MAX_FUNCTION_LINES).map((f) => `${f.file}:${f.line} ${f.name}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
