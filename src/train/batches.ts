import type { Batch } from '../nn/compiled.js';
import { Rng } from '../rng.js';

/**
 * The order in which epoch k + 1 (k epochs before it) visits the n training samples: a shuffle
 * seeded by the run's seed and k alone, so a resumed run and its copy in the worker draw the same
 * batches without carrying a generator's state.
 */
export function epochOrder(seed: number, k: number, n: number): Int32Array {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) + Math.imul(k + 1, 0x85ebca6b)) >>> 0);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The samples at `indices` of `all`, laid out for the tape in `buffers` (one per column, at least indices.length long). */
export function gather(all: Batch, indices: readonly number[], buffers: readonly Float64Array[]): Batch {
  const n = indices.length;
  const columns = all.columns.map((column, c) => {
    const into = buffers[c].subarray(0, n);
    for (let s = 0; s < n; s++) into[s] = column[indices[s]];
    return into;
  });
  return { columns, n };
}
