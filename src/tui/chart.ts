import { plot } from 'asciichart';

/** Width of the y-axis labels that `chartLines` prints. */
const LABEL_WIDTH = 9;
type Symbols = [string, string, string, string, string, string, string, string, string, string];
/** asciichart's symbols with a plain axis tick where the value 0 would get a second ┼. */
const SOLID: Symbols = ['┤', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'];
/** A dotted line: the test loss where colour cannot tell it from training's. */
const DOTTED: Symbols = ['┤', '┤', '╶', '╴', '┄', '·', '·', '·', '·', '┆'];
/** A shaded line: the previous run, dimmed, where there is no grey. */
const SHADED: Symbols = ['┤', '┤', '░', '░', '░', '░', '░', '░', '░', '░'];
const ASCII_SOLID: Symbols = ['|', '|', '-', '-', '-', '\\', '/', '\\', '/', '|'];
const ASCII_DOTTED: Symbols = ['|', '|', '.', '.', '.', '.', '.', '.', '.', ':'];
const ASCII_SHADED: Symbols = ['|', '|', '~', '~', '~', '~', '~', '~', '~', '~'];

/** Each kind's line style without colour, in the order they are stacked (training on top). */
const STYLES: Record<ChartSeries['kind'], { unicode: Symbols; ascii: Symbols }> = {
  train: { unicode: SOLID, ascii: ASCII_SOLID },
  test: { unicode: DOTTED, ascii: ASCII_DOTTED },
  previous: { unicode: SHADED, ascii: ASCII_SHADED },
};
/** How each kind's line looks without colour, for the chart's title. */
export const LINE_GLYPHS: Record<ChartSeries['kind'], { unicode: string; ascii: string }> = {
  train: { unicode: '─', ascii: '-' },
  test: { unicode: '┄', ascii: '..' },
  previous: { unicode: '░', ascii: '~' },
};

/** One line of the loss chart: the training loss, the test loss, or the previous run's loss. */
export interface ChartSeries {
  kind: 'train' | 'test' | 'previous';
  /** One value per epoch, from the first. */
  values: ArrayLike<number>;
}

export interface ChartStyle {
  /** ANSI colour codes per kind, or null without colour (then kinds are told apart by line style). */
  colours: Record<ChartSeries['kind'], string> | null;
  unicode: boolean;
}

/**
 * The smallest and largest value of the epochs each of `columns` columns covers, when the columns
 * span `span` epochs (the longest series drawn): a one-epoch spike among thousands stays visible.
 * A series shorter than the span fills fewer columns; values that are not finite are left out (a
 * column of only those repeats the one before).
 */
export function columnRanges(values: ArrayLike<number>, columns: number, span: number): { min: number[]; max: number[] } {
  const min: number[] = [];
  const max: number[] = [];
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * span) / columns);
    if (from >= values.length) break;
    const to = Math.max(from + 1, Math.min(values.length, Math.floor(((c + 1) * span) / columns)));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo > hi) {
      if (min.length === 0) continue;
      lo = min[min.length - 1];
      hi = max[max.length - 1];
    }
    min.push(lo);
    max.push(hi);
  }
  return { min, max };
}

/** The value a log chart draws for losses of 0 or less: a tenth of the smallest positive one. */
export function logFloor(series: readonly ArrayLike<number>[]): number {
  let smallest = Infinity;
  for (const values of series) for (let i = 0; i < values.length; i++) if (values[i] > 0 && values[i] < smallest) smallest = values[i];
  return Number.isFinite(smallest) ? smallest / 10 : 1e-6;
}

/**
 * The character of a `chartLines` line of `width` where the epoch-th value (1-based) of a chart
 * spanning `span` epochs is drawn: its first column.
 */
export function epochColumn(epoch: number, span: number, width: number): number {
  const columns = Math.max(2, width - LABEL_WIDTH - 2);
  return LABEL_WIDTH + Math.min(columns - 1, Math.ceil(((epoch - 1) * columns) / Math.max(1, span)));
}

/**
 * The loss chart as lines of at most `width` characters: `height` rows of plot with y-axis labels.
 * Each column shows the range of the epochs it covers; with `logScale` the y axis is log10(loss),
 * losses of 0 floored at `logFloor`. Training draws on top; the test loss and the previous run are
 * extra lines in their colours, or without colour in their line styles (`LINE_GLYPHS`): the
 * caller leaves out the series its title has no room to name.
 */
export function chartLines(series: readonly ChartSeries[], width: number, height: number, logScale: boolean, style: ChartStyle): string[] {
  const columns = Math.max(2, width - LABEL_WIDTH - 2);
  const shown = series.filter((s) => s.values.length > 0);
  const span = Math.max(0, ...shown.map((s) => s.values.length));
  const floor = logFloor(shown.map((s) => s.values));
  const scale = (v: number): number => (logScale ? Math.log10(Math.max(v, floor)) : v);
  const lines = shown.flatMap((s) => {
    const { min, max } = columnRanges(s.values, columns, span);
    return min.length === 0 ? [] : [{ kind: s.kind, points: max.map(scale) }, { kind: s.kind, points: min.map(scale) }];
  });
  const train = lines.filter((l) => l.kind === 'train');
  if (train.length === 0) return ['no loss to plot yet'];
  const all = lines.flatMap((l) => l.points);
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
    const pad = Math.max(1e-6, Math.abs(max) * 0.01);
    min -= pad;
    max += pad;
  }
  const rows = Math.max(1, height - 1);
  const shownValue = (y: number): number => (logScale ? 10 ** y : y);
  // As many digits as it takes to tell the rows apart (a narrow range needs more than three).
  const ys = Array.from({ length: rows + 1 }, (_, i) => shownValue(max - ((max - min) * i) / rows));
  let digits = 3;
  while (digits < 6 && new Set(ys.map((y) => axisLabel(y, digits))).size < ys.length) digits++;
  const format = (y: number): string => axisLabel(shownValue(y), digits).padStart(LABEL_WIDTH - 1);
  const draw = (group: typeof lines, symbols: Symbols, colours?: string[]): string[] =>
    plot(
      group.map((l) => l.points),
      { height: rows, min, max, format, symbols, ...(colours && { colors: colours }) },
    ).split('\n');
  if (style.colours !== null) {
    // Training last, so that it stays on top where the lines cross.
    const order = [...lines.filter((l) => l.kind === 'previous'), ...lines.filter((l) => l.kind === 'test'), ...train];
    const colours = style.colours;
    return draw(order, style.unicode ? SOLID : ASCII_SOLID, order.map((l) => colours[l.kind]));
  }
  // Without colour each kind is drawn alone in its style, and the drawings are stacked: where
  // lines cross, training shows, then the test loss, then the previous run.
  const layers = (['train', 'test', 'previous'] as const)
    .map((kind) => lines.filter((l) => l.kind === kind))
    .filter((group) => group.length > 0)
    .map((group) => draw(group, STYLES[group[0].kind][style.unicode ? 'unicode' : 'ascii']).map((line) => [...line]));
  return layers[0].map((_, r) => {
    const length = Math.max(...layers.map((layer) => layer[r]?.length ?? 0));
    const cell = (i: number): string => layers.map((layer) => layer[r]?.[i] ?? ' ').find((ch) => ch !== ' ') ?? ' ';
    return Array.from({ length }, (_, i) => cell(i)).join('').slice(0, width);
  });
}

/** `digits` significant digits in at most 8 characters: 3.25, 0.00883, 8.20e-5, 3.2871. */
function axisLabel(y: number, digits: number): string {
  const abs = Math.abs(y);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return y.toExponential(2).length > 8 ? y.toExponential(1) : y.toExponential(2);
  const text = y.toPrecision(digits);
  return text.length > 8 ? y.toPrecision(3) : text;
}
