/** The smallest terminal the full screen is designed for. */
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** Width of the parameter table panel: name, value, grad and change columns plus borders. */
export const TABLE_WIDTH = 41;

export interface Layout {
  tooSmall: boolean;
  columns: number;
  /** Panels between the header and the status lines. */
  bodyHeight: number;
  leftWidth: number;
  chartHeight: number;
  bottomHeight: number;
  /** Parameter rows the table shows at once. */
  tableRows: number;
  /** Lines inside the predictions and controls panels. */
  bottomLines: number;
}

/**
 * Where everything goes for a terminal of `columns` x `rows`. The frame is kept to rows - 1
 * lines: at full height Ink 6 clears the whole screen, scrollback included, on every frame.
 */
export function computeLayout(columns: number, rows: number): Layout {
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const bodyHeight = Math.max(0, rows - 1 - 3); // header, status and hint lines
  const bottomHeight = 7 + Math.min(5, Math.max(0, Math.floor((rows - MIN_ROWS) / 2)));
  return {
    tooSmall,
    columns,
    bodyHeight,
    leftWidth: columns - TABLE_WIDTH,
    chartHeight: bodyHeight - bottomHeight,
    bottomHeight,
    tableRows: Math.max(1, bodyHeight - 3),
    bottomLines: bottomHeight - 2,
  };
}
