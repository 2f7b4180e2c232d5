import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../../../app/_lib/csv';

describe('CSV (app/_lib/csv.ts, the one writer)', () => {
  it('neutralises strings that a spreadsheet would run as a formula', () => {
    for (const s of ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvCell(s).replace(/^"/, '').startsWith("'"), JSON.stringify(s)).toBe(true);
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=HYPERLINK("a")')).toBe(`"'=HYPERLINK(""a"")"`);
  });
  it('keeps numbers as numbers (negative ones too) and ordinary text as is', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(0.7492000000000001)).toBe('0.7492');
    expect(csvCell(0.1 + 0.2)).toBe('0.3');
    expect(csvCell(1.5e-7)).toBe('1.5e-7');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell('hp-tau')).toBe('hp-tau');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
  });
  it('writes a header line and one line per row, with fixed columns when given', () => {
    expect(toCsv([{ a: '=x', b: -1 }])).toBe("a,b\n'=x,-1\n");
    expect(toCsv([], ['a', 'b'])).toBe('a,b\n');
    expect(toCsv([])).toBe('');
  });
});
