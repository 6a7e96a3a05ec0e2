/** The smallest terminal the full screen (chart, map, table, settings, status) is designed for. */
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 23;
/** Down to this size a compact screen shows the chart (or the map, on f) and the status lines. */
export const COMPACT_COLUMNS = 60;
export const COMPACT_ROWS = 18;

/** Width of the parameter table panel: name, value, grad and change columns plus borders. */
export const TABLE_WIDTH = 41;
/** The loss chart's smallest height: borders, the epoch axis and 5 rows of plot. */
export const MIN_CHART_HEIGHT = 8;

export interface Layout {
  /** Smaller than the compact screen: only a request for room is shown. */
  tooSmall: boolean;
  /** The compact screen: no parameter table, the chart or the map across the whole width. */
  compact: boolean;
  /** Panels between the header and the settings, status and hint lines. */
  bodyHeight: number;
  leftWidth: number;
  /** The loss chart panel's height (0 when the map takes its place). */
  chartHeight: number;
  /** The learned-function panel's height (0 when it is not shown). */
  mapHeight: number;
  /** Parameter rows the table shows at once (0 when there is no table). */
  tableRows: number;
}

/**
 * Where everything goes for a terminal of `columns` x `rows`; with `mapFirst` (key f) the map
 * takes the chart's place. `mapLines` is all the map panel can use (a short table of samples),
 * the rest goes to the chart. The frame is kept to rows - 1 lines: at full height Ink 6 clears the
 * whole screen, scrollback included, on every frame. Lines: header, body, settings, status, hints.
 */
export function computeLayout(columns: number, rows: number, mapFirst = false, mapLines = Infinity): Layout {
  const tooSmall = columns < COMPACT_COLUMNS || rows < COMPACT_ROWS;
  const compact = !tooSmall && (columns < MIN_COLUMNS || rows < MIN_ROWS);
  const bodyHeight = Math.max(0, rows - 1 - 4);
  if (compact || tooSmall) {
    return {
      tooSmall,
      compact,
      bodyHeight,
      leftWidth: columns,
      chartHeight: mapFirst ? 0 : bodyHeight,
      mapHeight: mapFirst ? bodyHeight : 0,
      tableRows: 0,
    };
  }
  // The chart keeps at least 5 rows of plot; the map gets the rest, a little more than half.
  const split = Math.max(MIN_CHART_HEIGHT, Math.floor(bodyHeight * 0.45));
  const chartHeight = mapFirst ? 0 : Math.max(split, bodyHeight - mapLines);
  return {
    tooSmall,
    compact,
    bodyHeight,
    leftWidth: columns - TABLE_WIDTH,
    chartHeight,
    mapHeight: bodyHeight - chartHeight,
    tableRows: Math.max(1, bodyHeight - 3),
  };
}
