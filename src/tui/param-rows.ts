/**
 * The model indices of the table's rows on screen, `rows` from `offset`, in the order the table
 * shows parameters in: by name (model order) or by |grad|, largest first (ties in model order).
 * Only the order by |grad| reads every gradient: a frame of a large network's table costs its
 * rows, not its hundreds of thousands of parameters.
 */
export function shownIndices(count: number, grads: () => ArrayLike<number>, byGrad: boolean, offset: number, rows: number): number[] {
  const end = Math.min(count, offset + rows);
  if (!byGrad) return Array.from({ length: Math.max(0, end - offset) }, (_, k) => offset + k);
  const g = grads();
  return Array.from({ length: count }, (_, i) => i)
    .sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]) || a - b)
    .slice(offset, end);
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
