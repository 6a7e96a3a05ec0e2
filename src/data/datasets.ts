import { UserError } from '../errors.js';
import type { Dataset } from './dataset.js';
import { Rng } from '../rng.js';
import { MAX_CLASSES } from './task.js';

/** The seed of the generated datasets' points unless `--data-seed` says otherwise. */
export const DEFAULT_DATA_SEED = 1337;

/** Options of the generated datasets. */
export interface GenerateOptions {
  size: number;
  noise: number;
  seed: number;
  /** How many classes (2 unless the dataset takes `--classes`): -1/+1 for two, 0..K-1 for more. */
  classes: number;
}

type Sample = [x: number[], y: number];
type Generator = (o: GenerateOptions, rng: Rng) => Sample[];

interface BuiltIn {
  description: string;
  defaults: Omit<GenerateOptions, 'seed' | 'classes'>;
  generate: Generator;
  /** True when it can make more than two classes (`--classes K`). */
  manyClasses?: true;
}

/** The classic example's data: 4 samples of 3 inputs, targets +1/-1. */
const CLASSIC: Sample[] = [
  [[2, 3, -1], 1],
  [[3, -1, 0.5], -1],
  [[0.5, 1, 1], -1],
  [[1, 1, -1], 1],
];

/** Split `size` points into two classes of as equal size as possible. */
function halves(size: number): [number, number] {
  const first = Math.ceil(size / 2);
  return [first, size - first];
}

/** Split `size` points into `k` classes of as equal size as possible, the first ones larger. */
function shares(size: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(size / k) + (i < size % k ? 1 : 0));
}

/** Class k of `count` as a target: -1/+1 for two classes, the class number for more. */
const label = (k: number, count: number): number => (count === 2 ? (k === 0 ? -1 : 1) : k);

export const BUILT_IN_DATASETS: Record<string, BuiltIn> = {
  classic: {
    description: 'the classic example: 4 samples, 3 inputs',
    defaults: { size: 4, noise: 0 },
    generate: () => CLASSIC.map(([x, y]) => [[...x], y]),
  },
  xor: {
    description: 'four noisy clusters at (±1, ±1), +1 where the signs differ',
    defaults: { size: 100, noise: 0.2 },
    generate: ({ size, noise }, rng) =>
      Array.from({ length: size }, (_, i) => {
        const a = i % 2 === 0 ? 1 : -1;
        const b = i % 4 < 2 ? 1 : -1;
        return [[a + noise * rng.normal(), b + noise * rng.normal()], a * b < 0 ? 1 : -1];
      }),
  },
  moons: {
    description: 'two interleaving half circles',
    defaults: { size: 100, noise: 0.1 },
    generate: ({ size, noise }, rng) => {
      const [outer, inner] = halves(size);
      const arc = (n: number, i: number): number => (n > 1 ? (Math.PI * i) / (n - 1) : 0);
      const samples: Sample[] = [];
      for (let i = 0; i < outer; i++) samples.push([[Math.cos(arc(outer, i)), Math.sin(arc(outer, i))], -1]);
      for (let i = 0; i < inner; i++) samples.push([[1 - Math.cos(arc(inner, i)), 0.5 - Math.sin(arc(inner, i))], 1]);
      return jitter(samples, noise, rng);
    },
  },
  circles: {
    description: 'a small circle (+1) inside a large one (-1)',
    defaults: { size: 100, noise: 0.05 },
    generate: ({ size, noise }, rng) => {
      const [outer, inner] = halves(size);
      const ring = (n: number, r: number, y: number): Sample[] =>
        Array.from({ length: n }, (_, i) => {
          const t = (2 * Math.PI * i) / n;
          return [[r * Math.cos(t), r * Math.sin(t)], y];
        });
      return jitter([...ring(outer, 1, -1), ...ring(inner, 0.5, 1)], noise, rng);
    },
  },
  spiral: {
    description: 'interleaved spiral arms, one per class (two by default)',
    defaults: { size: 100, noise: 0.05 },
    manyClasses: true,
    generate: ({ size, noise, classes }, rng) => {
      const arm = (n: number, phase: number, y: number): Sample[] =>
        Array.from({ length: n }, (_, i) => {
          const t = n > 1 ? i / (n - 1) : 0;
          const angle = 3 * Math.PI * t + phase;
          return [[t * Math.cos(angle), t * Math.sin(angle)], y];
        });
      const arms = shares(size, classes).flatMap((n, k) => arm(n, (2 * Math.PI * k) / classes, label(k, classes)));
      return jitter(arms, noise, rng);
    },
  },
  blobs: {
    description: 'Gaussian blobs, one per class: two around (-1, -1) and (1, 1), more on a circle through them',
    defaults: { size: 100, noise: 0.5 },
    manyClasses: true,
    generate: ({ size, noise, classes }, rng) =>
      Array.from({ length: size }, (_, i) => {
        const k = i % classes;
        const angle = (5 * Math.PI) / 4 + (2 * Math.PI * k) / classes;
        const [cx, cy] = classes === 2 ? [2 * k - 1, 2 * k - 1] : [Math.SQRT2 * Math.cos(angle), Math.SQRT2 * Math.sin(angle)];
        return [[cx + noise * rng.normal(), cy + noise * rng.normal()], label(k, classes)];
      }),
  },
};

export const DATASET_NAMES = Object.keys(BUILT_IN_DATASETS);

/** The built-in datasets that make more than two classes with `--classes K`. */
export const MANY_CLASS_DATASETS = DATASET_NAMES.filter((name) => BUILT_IN_DATASETS[name]?.manyClasses === true);

function jitter(samples: Sample[], noise: number, rng: Rng): Sample[] {
  return samples.map(([x, y]) => [x.map((v) => v + noise * rng.normal()), y]);
}

/**
 * A built-in dataset by name. Generated ones take a size, a noise level (the standard deviation
 * of Gaussian noise added to each coordinate) and a seed; `classic` ignores all three. Spiral and
 * blobs also take a number of classes: 3 or more set `classes` and label the points 0..K-1.
 */
export function makeDataset(name: string, options: Partial<GenerateOptions> = {}): Dataset {
  const builtIn = Object.hasOwn(BUILT_IN_DATASETS, name) ? BUILT_IN_DATASETS[name] : undefined;
  if (builtIn === undefined) {
    throw new UserError(`unknown dataset "${name}" (choose one of: ${DATASET_NAMES.join(', ')})`);
  }
  const size = options.size ?? builtIn.defaults.size;
  const noise = options.noise ?? builtIn.defaults.noise;
  const seed = options.seed ?? DEFAULT_DATA_SEED;
  if (!Number.isInteger(size) || size < 1) throw new UserError(`dataset size must be an integer >= 1, got ${size}`);
  if (!(Number.isFinite(noise) && noise >= 0)) throw new UserError(`noise must be a finite number >= 0, got ${noise}`);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new UserError(`seed must be an integer from 0 to ${2 ** 32 - 1}, got ${seed}`);
  }
  const classes = options.classes ?? 2;
  if (classes !== 2 && builtIn.manyClasses !== true) {
    throw new UserError(`the ${name} dataset has two classes; --classes applies to ${MANY_CLASS_DATASETS.join(' and ')}`);
  }
  if (!Number.isInteger(classes) || classes < 2 || classes > MAX_CLASSES) {
    throw new UserError(`the number of classes must be an integer from 2 to ${MAX_CLASSES}, got ${classes}`);
  }
  if (classes > 2 && size < classes) throw new UserError(`${classes} classes need at least ${classes} samples, got a size of ${size}`);
  const samples = builtIn.generate({ size, noise, seed, classes }, new Rng(seed));
  return { name, source: name, x: samples.map((s) => s[0]), y: samples.map((s) => s[1]), ...(classes > 2 && { classes }) };
}
