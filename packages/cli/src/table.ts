/** One column of a {@link renderTable} table. */
export interface TableColumn {
  /** Header text. */
  header: string;
  /**
   * Alignment of the cells (and the header).
   * @default 'left'
   */
  align?: 'left' | 'right';
}

/** Input of {@link renderTable}. */
export interface TableOptions {
  /** The columns, in order. */
  columns: readonly TableColumn[];
  /** Rows of cells, one cell per column; a missing cell is empty. */
  rows: ReadonlyArray<readonly string[]>;
  /**
   * Spaces between columns.
   * @default 2
   */
  gap?: number;
}

/**
 * Renders rows as a column-aligned plain-text table: a header line, a rule of dashes, then one
 * line per row. Lines carry no trailing spaces; the result ends with a newline.
 *
 * @example
 * renderTable({ columns: [{ header: 'model' }, { header: 'price', align: 'right' }], rows: [['a/b', '1.5']] });
 */
export function renderTable(options: TableOptions): string {
  const { columns, rows } = options;
  const gap = ' '.repeat(options.gap ?? 2);
  const widths = columns.map((column, index) =>
    Math.max(textWidth(column.header), ...rows.map((row) => textWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    columns
      .map((column, index) =>
        pad({ text: cells[index] ?? '', width: widths[index] ?? 0, align: column.align }),
      )
      .join(gap)
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join(gap);
  return `${[line(columns.map((column) => column.header)), rule, ...rows.map((row) => line(row))].join(
    '\n',
  )}\n`;
}

function pad(cell: { text: string; width: number; align: 'left' | 'right' | undefined }): string {
  const fill = ' '.repeat(Math.max(0, cell.width - textWidth(cell.text)));
  return cell.align === 'right' ? fill + cell.text : cell.text + fill;
}

/** Display width in code points (good enough for the ASCII and symbols this CLI prints). */
function textWidth(text: string): number {
  return [...text].length;
}
