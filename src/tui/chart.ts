import { plot } from 'asciichart';

/** Width of the y-axis labels that `chartLines` prints. */
const LABEL_WIDTH = 9;

/**
 * `n` points from `values` so the chart spans the columns it has: a long history is sampled at
 * evenly spaced epochs, the first and the last included (an average would hide the first drop);
 * a short one is stretched. Points that are not finite are left out.
 */
export function resample(values: ArrayLike<number>, n: number): number[] {
  const len = values.length;
  const out: number[] = [];
  for (let b = 0; b < n && len > 0; b++) {
    const i = len <= n ? Math.floor((b * len) / n) : n === 1 ? len - 1 : Math.round((b * (len - 1)) / (n - 1));
    const v = values[i] as number;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/**
 * The loss chart as lines of at most `width` characters: `height` rows of plot with y-axis labels,
 * the history sampled down to the columns available. With `logScale` the y axis is log10(loss).
 */
export function chartLines(losses: ArrayLike<number>, width: number, height: number, logScale: boolean): string[] {
  const columns = Math.max(2, width - LABEL_WIDTH - 2);
  let series = resample(losses, columns);
  if (logScale) series = series.filter((v) => v > 0).map(Math.log10);
  if (series.length === 0) return ['no loss to plot yet'];
  let min = Math.min(...series);
  let max = Math.max(...series);
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
    const pad = Math.max(1e-6, Math.abs(max) * 0.01);
    min -= pad;
    max += pad;
  }
  const rows = Math.max(1, height - 1);
  const shown = (y: number): number => (logScale ? 10 ** y : y);
  // As many digits as it takes to tell the rows apart (a narrow range needs more than three).
  const ys = Array.from({ length: rows + 1 }, (_, i) => shown(max - ((max - min) * i) / rows));
  let digits = 3;
  while (digits < 6 && new Set(ys.map((y) => axisLabel(y, digits))).size < ys.length) digits++;
  const label = (y: number): string => axisLabel(shown(y), digits).padStart(LABEL_WIDTH - 1);
  const text = plot(series, { height: rows, min, max, format: label });
  return text.split('\n').map((line) => line.slice(0, width));
}

/** `digits` significant digits in at most 8 characters: 3.25, 0.00883, 8.20e-5, 3.2871. */
function axisLabel(y: number, digits: number): string {
  const abs = Math.abs(y);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return y.toExponential(2).length > 8 ? y.toExponential(1) : y.toExponential(2);
  const text = y.toPrecision(digits);
  return text.length > 8 ? y.toPrecision(3) : text;
}
