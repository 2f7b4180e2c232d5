import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable } from '../../../../app/_components/data-table';

describe('data table', () => {
  it('wraps the table, heads it from the columns and puts the children in its body', () => {
    const row = createElement('tr', null, createElement('td', null, 'x'));
    const html = renderToStaticMarkup(createElement(DataTable, { testId: 't', className: 'small', columns: ['Name', { label: 'tau', num: true, title: 'epochs' }, ''] }, row));
    expect(html).toBe(
      '<div class="table-wrap"><table class="small" data-testid="t"><thead><tr><th>Name</th><th class="num" title="epochs">tau</th><th></th></tr></thead>' +
        '<tbody><tr><td>x</td></tr></tbody></table></div>',
    );
  });

  it('marks a sortable table for table-sort.tsx and gives its sortable columns a sort button', () => {
    const html = renderToStaticMarkup(createElement(DataTable, { sortable: true, columns: [{ label: 'Seed', num: true, sort: true }, { label: 'Bar', className: 'diff-bar-col' }] }, null));
    expect(html).toContain('<table data-sortable="true">');
    expect(html).toContain('<th aria-sort="none" class="num"><button type="button" class="sort" data-sort="true">Seed</button></th>');
    expect(html).toContain('<th class="diff-bar-col">Bar</th>');
  });
});
