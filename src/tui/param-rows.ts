import type { ParameterSnapshot } from '../train/session.js';

/** The order the table shows parameters in: by name (model order) or by |grad|, largest first. */
export function orderParameters(params: readonly ParameterSnapshot[], byGrad: boolean): ParameterSnapshot[] {
  if (!byGrad) return [...params];
  return params
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Math.abs(b.p.grad) - Math.abs(a.p.grad) || a.i - b.i)
    .map(({ p }) => p);
}

/** The first row to show so that `offset` stays within a table of `count` rows, `visible` at a time. */
export function clampOffset(offset: number, count: number, visible: number): number {
  return Math.max(0, Math.min(offset, count - visible));
}

/** `12-28 of 41`: the rows on screen, 1-based. */
export function position(offset: number, count: number, visible: number): string {
  if (count === 0) return '0 of 0';
  return `${offset + 1}-${Math.min(count, offset + visible)} of ${count}`;
}
