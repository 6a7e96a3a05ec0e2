/** The rectangle of input space a map shows: the data's range with a margin. */
export interface Bounds {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** [lo, hi] of `values` widened by `margin` of the range on each side (never empty). */
export function span(values: Iterable<number>, margin = 0.08): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return [-1, 1];
  const pad = hi > lo ? (hi - lo) * margin : Math.max(0.5, Math.abs(hi) * 0.1);
  return [lo - pad, hi + pad];
}

/** The bounds of the first two inputs of `x`, with a margin. */
export function boundsOf(x: readonly (readonly number[])[]): Bounds {
  const [x0, x1] = span(x.map((row) => row[0]));
  const [y0, y1] = span(x.map((row) => row[1]));
  return { x0, x1, y0, y1 };
}

/**
 * The centres of a `width` x `height` pixel grid over `b`, row by row from the top (largest y)
 * down, each row from the left: where a map evaluates the model.
 */
export function gridPoints(b: Bounds, width: number, height: number): number[][] {
  const points: number[][] = [];
  for (let r = 0; r < height; r++) {
    const y = b.y1 - ((r + 0.5) * (b.y1 - b.y0)) / height;
    for (let c = 0; c < width; c++) points.push([b.x0 + ((c + 0.5) * (b.x1 - b.x0)) / width, y]);
  }
  return points;
}

/** The pixel of a `width` x `height` grid over `[lo, hi]` x `[bottom, top]` that holds a point. */
export function pixelOf(value: number, lo: number, hi: number, size: number, flip = false): number {
  const t = (value - lo) / (hi - lo);
  const i = Math.floor((flip ? 1 - t : t) * size);
  return Math.max(0, Math.min(size - 1, i));
}
