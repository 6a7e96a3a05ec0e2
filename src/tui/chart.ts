import { plot } from 'asciichart';
import { formatLoss } from './format.js';

/** Width of the y-axis labels that `chartLines` prints. */
const LABEL_WIDTH = 9;

/**
 * Exactly `n` points from `values` (fewer if some are not finite): a long history is averaged
 * into buckets, a short one is stretched so the chart always spans the columns it has.
 */
export function resample(values: ArrayLike<number>, n: number): number[] {
  const len = values.length;
  const out: number[] = [];
  if (len === 0) return out;
  for (let b = 0; b < n; b++) {
    const start = Math.floor((b * len) / n);
    const end = Math.max(start + 1, Math.floor(((b + 1) * len) / n));
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const v = values[i] as number;
      if (Number.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    if (count > 0) out.push(sum / count);
  }
  return out;
}

/**
 * The loss chart as lines of at most `width` characters: `height` rows of plot with y-axis labels,
 * the history averaged down to the columns available. With `logScale` the y axis is log10(loss).
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
  const label = (y: number): string => formatLoss(logScale ? 10 ** y : y).padStart(LABEL_WIDTH - 1);
  const text = plot(series, { height: Math.max(1, height - 1), min, max, format: label });
  return text.split('\n').map((line) => line.slice(0, width));
}
