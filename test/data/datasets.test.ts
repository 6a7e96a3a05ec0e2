import { describe, expect, it } from 'vitest';
import { isClassification, type Dataset } from '../../src/data/dataset.js';
import { BUILT_IN_DATASETS, DATASET_NAMES, makeDataset } from '../../src/data/datasets.js';
import { UserError } from '../../src/errors.js';

const GENERATED = ['xor', 'moons', 'circles', 'spiral', 'blobs'];

function expectUserError(f: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as Error).message).toMatch(message);
}

const count = (d: Dataset, label: number): number => d.y.filter((y) => y === label).length;

describe('built-in datasets', () => {
  it('are classic, xor, moons, circles, spiral and blobs', () => {
    expect([...DATASET_NAMES].sort()).toEqual(['blobs', 'circles', 'classic', 'moons', 'spiral', 'xor']);
    for (const name of DATASET_NAMES) expect(BUILT_IN_DATASETS[name]!.description.length).toBeGreaterThan(0);
  });

  it('classic is the 4 samples of the classic example', () => {
    const d = makeDataset('classic');
    expect(d.x).toEqual([
      [2, 3, -1],
      [3, -1, 0.5],
      [0.5, 1, 1],
      [1, 1, -1],
    ]);
    expect(d.y).toEqual([1, -1, -1, 1]);
    expect(d.name).toBe('classic');
    expect(d.source).toBe('classic');
  });

  it('classic ignores size, noise and seed', () => {
    expect(makeDataset('classic', { size: 50, noise: 1, seed: 9 })).toEqual(makeDataset('classic'));
  });

  it('classic hands out a fresh copy each time', () => {
    const d = makeDataset('classic');
    d.x[0]![0] = 99;
    d.y[0] = 0;
    expect(makeDataset('classic').x[0]![0]).toBe(2);
    expect(makeDataset('classic').y[0]).toBe(1);
  });

  for (const name of GENERATED) {
    describe(name, () => {
      it('has 100 two-dimensional samples by default', () => {
        const d = makeDataset(name);
        expect(d.x).toHaveLength(100);
        expect(d.y).toHaveLength(100);
        for (const row of d.x) {
          expect(row).toHaveLength(2);
          for (const v of row) expect(Number.isFinite(v)).toBe(true);
        }
        expect(d.name).toBe(name);
        expect(d.source).toBe(name);
      });

      it('has labels -1 and +1 in two classes of equal size', () => {
        const d = makeDataset(name);
        expect(isClassification(d)).toBe(true);
        expect(count(d, 1)).toBe(50);
        expect(count(d, -1)).toBe(50);
      });

      it('takes a size, splitting an odd size as evenly as possible', () => {
        for (const size of [1, 2, 7, 33]) {
          const d = makeDataset(name, { size });
          expect(d.x).toHaveLength(size);
          expect(d.y).toHaveLength(size);
          expect(Math.abs(count(d, 1) - count(d, -1))).toBeLessThanOrEqual(1);
        }
      });

      it('gives the same data for the same seed', () => {
        expect(makeDataset(name, { seed: 5 })).toEqual(makeDataset(name, { seed: 5 }));
      });

      it('gives different data for a different seed', () => {
        expect(makeDataset(name, { seed: 5 }).x).not.toEqual(makeDataset(name, { seed: 6 }).x);
      });

      it('uses seed 1337 by default', () => {
        expect(makeDataset(name)).toEqual(makeDataset(name, { seed: 1337 }));
      });

      it('spreads further with more noise and not at all without', () => {
        const clean = makeDataset(name, { noise: 0, seed: 1 });
        const noZero = (d: Dataset): number[][] => d.x.map((row) => row.map((v) => v + 0)); // -0 and 0 alike
        expect(noZero(makeDataset(name, { noise: 0, seed: 2 }))).toEqual(noZero(clean));
        const spread = (noise: number): number => {
          const d = makeDataset(name, { noise, seed: 1 });
          return d.x.reduce((s, row, i) => s + Math.hypot(row[0]! - clean.x[i]![0]!, row[1]! - clean.x[i]![1]!), 0);
        };
        expect(spread(0.1)).toBeGreaterThan(0);
        expect(spread(0.5)).toBeGreaterThan(spread(0.1));
      });
    });
  }

  it('xor without noise puts +1 where the signs of the two inputs differ', () => {
    const d = makeDataset('xor', { noise: 0 });
    d.x.forEach(([a, b], i) => {
      expect(Math.abs(a!)).toBe(1);
      expect(Math.abs(b!)).toBe(1);
      expect(d.y[i]).toBe(a! * b! < 0 ? 1 : -1);
    });
    expect(new Set(d.x.map((r) => r.join(','))).size).toBe(4);
  });

  it('moons without noise lies on two interleaving half circles', () => {
    const d = makeDataset('moons', { noise: 0 });
    d.x.forEach(([x, y], i) => {
      if (d.y[i] === -1) {
        expect(Math.hypot(x!, y!)).toBeCloseTo(1, 12); // upper half of the unit circle
        expect(y!).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(x! - 1, y! - 0.5)).toBeCloseTo(1, 12); // lower half, shifted
        expect(y!).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
  });

  it('circles without noise has radius 1 for -1 and 0.5 for +1', () => {
    const d = makeDataset('circles', { noise: 0 });
    d.x.forEach(([x, y], i) => expect(Math.hypot(x!, y!)).toBeCloseTo(d.y[i] === -1 ? 1 : 0.5, 12));
  });

  it('spiral without noise has two arms from the centre to radius 1', () => {
    const d = makeDataset('spiral', { noise: 0 });
    const radii = d.x.map(([x, y]) => Math.hypot(x!, y!));
    expect(Math.min(...radii)).toBeCloseTo(0, 12);
    expect(Math.max(...radii)).toBeCloseTo(1, 12);
    // The arms are half a turn apart: each point of one arm mirrors a point of the other.
    for (let i = 0; i < 50; i++) {
      expect(d.x[50 + i]![0]).toBeCloseTo(-d.x[i]![0]!, 12);
      expect(d.x[50 + i]![1]).toBeCloseTo(-d.x[i]![1]!, 12);
    }
  });

  it('blobs without noise sits at (-1, -1) for -1 and (1, 1) for +1', () => {
    const d = makeDataset('blobs', { noise: 0 });
    d.x.forEach((row, i) => expect(row).toEqual([d.y[i], d.y[i]]));
  });
});

describe('makeDataset validation', () => {
  it('rejects an unknown name and lists the known ones', () => {
    expectUserError(() => makeDataset('mooons'), /unknown dataset "mooons" \(choose one of: classic, xor, moons, circles, spiral, blobs\)/);
    expectUserError(() => makeDataset(''), /unknown dataset ""/);
  });

  it('rejects names that only exist on every object', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expectUserError(() => makeDataset(name), /unknown dataset/);
    }
  });

  it('rejects a size that is not an integer >= 1', () => {
    for (const size of [0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectUserError(() => makeDataset('moons', { size }), /dataset size must be an integer >= 1, got/);
    }
  });

  it('rejects a noise level that is negative or not finite', () => {
    for (const noise of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectUserError(() => makeDataset('moons', { noise }), /noise must be a finite number >= 0, got/);
    }
  });

  it('rejects a seed that is not an integer in [0, 2^32)', () => {
    for (const seed of [-1, 1.5, Number.NaN, 2 ** 32]) {
      expectUserError(() => makeDataset('moons', { seed }), /seed must be an integer/);
    }
  });
});

describe('isClassification', () => {
  it('is true when every target is -1 or +1 and false otherwise', () => {
    expect(isClassification({ name: 'a', source: 'a', x: [[0], [1]], y: [1, -1] })).toBe(true);
    expect(isClassification({ name: 'a', source: 'a', x: [[0], [1]], y: [1, 0] })).toBe(false);
    expect(isClassification({ name: 'a', source: 'a', x: [[0], [1]], y: [0.5, -1] })).toBe(false);
  });
});
