import type { Dataset } from './dataset.js';
import { Rng } from '../rng.js';

/** The most of the samples that may be held out: training keeps at least a tenth. */
export const MAX_TEST_FRACTION = 0.9;

export interface Split {
  /** Indices of the samples training uses, in the dataset's order. */
  train: number[];
  /** Indices of the held-out samples, in the dataset's order. */
  test: number[];
}

/**
 * Hold out `fraction` of the samples for testing, the same share of each class (stratified; for
 * regression targets, of the whole), chosen by a generator seeded with `seed`: the same data,
 * fraction and seed always give the same split. Training keeps at least one sample.
 */
export function splitSamples(y: readonly number[], fraction: number, seed: number, classification: boolean): Split {
  const groups = new Map<number, number[]>();
  y.forEach((t, i) => {
    const key = classification ? t : 0;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i); // not a copy per sample: 100000 samples would take minutes
  });
  const rng = new Rng(seed);
  const held = new Set<number>();
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = groups.get(key) as number[];
    const shuffled = [...members];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const count = Math.min(Math.round(fraction * members.length), members.length);
    for (const i of shuffled.slice(0, count)) held.add(i);
  }
  if (held.size === y.length && y.length > 0) held.delete(Math.min(...held)); // keep one to train on
  const all = y.map((_, i) => i);
  return { train: all.filter((i) => !held.has(i)), test: all.filter((i) => held.has(i)) };
}

/** The samples of `dataset` at `indices`, as a dataset of their own. */
export function subset(dataset: Dataset, indices: readonly number[], suffix: string): Dataset {
  return {
    ...dataset,
    name: `${dataset.name} (${suffix})`,
    x: indices.map((i) => dataset.x[i]),
    y: indices.map((i) => dataset.y[i]),
  };
}
