import { describe, expect, it } from 'vitest';
import { sortRows } from '../../../../app/_components/table-sort';

describe('table sort', () => {
  const rows = [
    { id: 'a', v: '0.5' },
    { id: 'b', v: '' },
    { id: 'c', v: '0.9' },
    { id: 'd', v: '0.5' },
    { id: 'e', v: '-1' },
  ];
  it('sorts numbers either way, empty values last, ties in their first order', () => {
    expect(sortRows(rows, (r) => r.v, 'descending').map((r) => r.id)).toEqual(['c', 'a', 'd', 'e', 'b']);
    expect(sortRows(rows, (r) => r.v, 'ascending').map((r) => r.id)).toEqual(['e', 'a', 'd', 'c', 'b']);
  });
  it('compares text as text', () => {
    const t = [{ v: 'lp-ft' }, { v: 'ft' }, { v: undefined }, { v: 'hp-tau' }];
    expect(sortRows(t, (r) => r.v, 'ascending').map((r) => r.v)).toEqual(['ft', 'hp-tau', 'lp-ft', undefined]);
  });
});
