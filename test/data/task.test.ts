import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { detectTask, taskLabel, taskOf, withTask, type Task } from '../../src/data/task.js';
import { UserError } from '../../src/errors.js';

const data = (y: number[]): Dataset => ({ name: 'd.csv', source: 'd.csv', x: y.map((_, i) => [i]), y });

describe('detectTask (--task auto)', () => {
  it.each<[string, number[], Task]>([
    ['-1/+1', [1, -1, -1, 1], { kind: 'binary', zeroOne: false }],
    ['only +1', [1, 1], { kind: 'binary', zeroOne: false }],
    ['0/1', [0, 1, 1, 0], { kind: 'binary', zeroOne: true }],
    ['only 0', [0, 0], { kind: 'binary', zeroOne: true }],
    ['0..2, all present', [2, 0, 1, 1], { kind: 'classes', count: 3 }],
    ['0..19, all present', Array.from({ length: 40 }, (_, i) => i % 20), { kind: 'classes', count: 20 }],
    ['0..20: 21 classes is too many', Array.from({ length: 21 }, (_, i) => i), { kind: 'regression' }],
    ['0, 1, 3: class 2 missing', [0, 1, 3], { kind: 'regression' }],
    ['1..3: no class 0', [1, 2, 3], { kind: 'regression' }],
    ['-1, 0, 1', [-1, 0, 1], { kind: 'regression' }],
    ['0, 1, 2.5', [0, 1, 2.5], { kind: 'regression' }],
    ['real numbers', [0.3, 1.7, 120000], { kind: 'regression' }],
  ])('%s', (_, y, task) => {
    expect(detectTask(y)).toEqual(task);
  });
});

describe('withTask', () => {
  it('trains 0/1 as -1/+1 and remembers to show 0/1', () => {
    const d = withTask(data([0, 1, 1]), 'auto');
    expect(d.y).toEqual([-1, 1, 1]);
    expect(d.zeroOne).toBe(true);
    expect(taskLabel(taskOf(d))).toBe('2 classes 0/1');
  });

  it('marks K classes, keeping the class numbers', () => {
    const d = withTask(data([0, 1, 2, 2]), 'classification');
    expect(d.classes).toBe(3);
    expect(d.y).toEqual([0, 1, 2, 2]);
    expect(taskLabel(taskOf(d))).toBe('3 classes');
  });

  it('reads any targets as numbers for --task regression', () => {
    for (const y of [[0, 1, 2], [0, 1], [-1, 1]]) {
      const d = withTask({ ...data(y), classes: 3 }, 'regression');
      expect(d.y).toEqual(y);
      expect(d.classes).toBeUndefined();
      expect(taskOf(d)).toEqual({ kind: 'regression' });
    }
    expect(taskLabel(taskOf(withTask(data([0, 1, 2]), 'regression')))).toBe('regression');
  });

  it('refuses --task classification on targets that are no classes, in one line', () => {
    let error: unknown;
    try {
      withTask(data([0.5, 1, 2]), 'classification');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      '--task classification needs targets -1/+1, 0/1, or the class numbers 0 to K-1 (K from 3 to 20, every class present); d.csv has 0.5 among others (use --task regression or auto)',
    );
  });

  it('names the missing class numbers', () => {
    expect(() => withTask(data([0, 1, 3, 3]), 'classification')).toThrow(/d\.csv has the classes 0, 1, 3 \(use --task regression or auto\)$/);
  });

  it('keeps a generated dataset\'s classes under auto', () => {
    expect(withTask({ ...data([0, 1, 2]), classes: 3 }, 'auto').classes).toBe(3);
  });
});
