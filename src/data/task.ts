import { UserError } from '../errors.js';
import { isBinary, type Dataset } from './dataset.js';

/** `--task`: what a dataset's targets mean, or `auto` to tell from the targets themselves. */
export type TaskMode = 'auto' | 'regression' | 'classification';

export const TASK_MODES: readonly TaskMode[] = ['auto', 'regression', 'classification'];

/** The most classes a K-class problem may have (one output neuron each). */
export const MAX_CLASSES = 20;

/**
 * What a model learns from a dataset: a number (regression), one of two classes (a score whose
 * sign is the class, targets -1/+1), or one of K >= 3 classes (K scores, targets 0..K-1).
 */
export type Task = { kind: 'regression' } | { kind: 'binary'; zeroOne: boolean } | { kind: 'classes'; count: number };

/** What `--task classification` accepts, for its error message. */
const CLASS_TARGETS = `-1/+1, 0/1, or the class numbers 0 to K-1 (K from 3 to ${MAX_CLASSES}, every class present)`;

/**
 * The task the targets describe on their own: all -1/+1 or all 0/1 is two classes; all integers
 * 0..K-1 with 3 <= K <= MAX_CLASSES and each present is K classes; anything else is a regression.
 */
export function detectTask(y: readonly number[]): Task {
  if (y.every((t) => t === 1 || t === -1)) return { kind: 'binary', zeroOne: false };
  if (y.every((t) => t === 0 || t === 1)) return { kind: 'binary', zeroOne: true };
  const count = classesOf(y);
  return count === null ? { kind: 'regression' } : { kind: 'classes', count };
}

/** K when `y` holds every integer from 0 to K-1 (3 <= K <= MAX_CLASSES) and nothing else, else null. */
function classesOf(y: readonly number[]): number | null {
  if (!y.every((t) => Number.isInteger(t) && t >= 0 && t < MAX_CLASSES)) return null;
  const present = new Set(y);
  const count = Math.max(...present) + 1;
  return count >= 3 && present.size === count ? count : null;
}

/**
 * The dataset with its targets read as `mode` says (throws a one-line UserError when they cannot
 * be): two classes given as 0/1 become -1/+1 (`zeroOne` remembers how to show them), K classes
 * keep their numbers and set `classes`, a regression keeps the numbers as they are (marked
 * `regression` when asked for, so that -1/+1 targets are numbers too).
 */
export function withTask(dataset: Dataset, mode: TaskMode): Dataset {
  const { classes: _classes, zeroOne: _zeroOne, regression: _regression, ...plain } = dataset;
  if (mode === 'regression') return { ...plain, regression: true };
  const task = dataset.classes !== undefined ? ({ kind: 'classes', count: dataset.classes } as const) : detectTask(dataset.y);
  if (task.kind === 'regression') {
    if (mode === 'classification') {
      const odd = dataset.y.find((t) => !(Number.isInteger(t) && t >= 0 && t < MAX_CLASSES));
      const has = odd !== undefined ? `${odd} among others` : `the classes ${[...new Set(dataset.y)].sort((a, b) => a - b).join(', ')}`;
      throw new UserError(`--task classification needs targets ${CLASS_TARGETS}; ${dataset.name} has ${has} (use --task regression or auto)`);
    }
    return plain;
  }
  if (task.kind === 'classes') return { ...plain, classes: task.count };
  return task.zeroOne ? { ...plain, y: dataset.y.map((t) => (t === 1 ? 1 : -1)), zeroOne: true } : plain;
}

/** The task of a dataset whose targets `withTask` has read. */
export function taskOf(dataset: Dataset): Task {
  if (dataset.classes !== undefined) return { kind: 'classes', count: dataset.classes };
  if (isBinary(dataset)) return { kind: 'binary', zeroOne: dataset.zeroOne === true };
  return { kind: 'regression' };
}

/** How the header names a task: `regression`, `2 classes`, `2 classes 0/1`, `3 classes`. */
export function taskLabel(task: Task): string {
  if (task.kind === 'regression') return 'regression';
  if (task.kind === 'binary') return task.zeroOne ? '2 classes 0/1' : '2 classes';
  return `${task.count} classes`;
}

/** A two-class label (-1/+1) as the data gave it: 0/1 when it came as 0/1. */
export function binaryLabel(label: number, zeroOne: boolean): string {
  return zeroOne ? (label > 0 ? '1' : '0') : label > 0 ? '+1' : '-1';
}
