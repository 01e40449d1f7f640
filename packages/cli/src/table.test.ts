import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns left or right under a rule, without trailing spaces', () => {
    const text = renderTable({
      columns: [{ header: 'model' }, { header: 'price', align: 'right' }, { header: 'note' }],
      rows: [
        ['a/b', '1.5', ''],
        ['long/model-id', '10', 'cheap'],
      ],
    });
    expect(text).toBe(
      [
        'model          price  note',
        '-------------  -----  -----',
        'a/b              1.5',
        'long/model-id     10  cheap',
        '',
      ].join('\n'),
    );
  });

  it('renders an empty row as a blank separator line', () => {
    const text = renderTable({ columns: [{ header: 'x' }], rows: [['1'], [], ['2']], gap: 1 });
    expect(text).toBe('x\n-\n1\n\n2\n');
  });
});
