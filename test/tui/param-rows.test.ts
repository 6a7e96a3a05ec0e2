import { describe, expect, it } from 'vitest';
import { clampOffset, position, shownIndices } from '../../src/tui/param-rows.js';

describe('shownIndices', () => {
  const grads = [0.1, -0.5, 0, 0.5, -0.1, 2];
  const read = (): number[] => {
    reads++;
    return grads;
  };
  let reads = 0;

  it('gives the rows on screen in model order without reading a gradient', () => {
    expect(shownIndices(6, read, false, 0, 6)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(shownIndices(6, read, false, 4, 3)).toEqual([4, 5]);
    expect(shownIndices(500_000, read, false, 1000, 3)).toEqual([1000, 1001, 1002]);
    expect(reads).toBe(0);
  });

  it('sorts by |grad|, largest first, ties in model order', () => {
    expect(shownIndices(6, read, true, 0, 6)).toEqual([5, 1, 3, 0, 4, 2]);
    expect(shownIndices(6, read, true, 1, 2)).toEqual([1, 3]);
    expect(grads).toEqual([0.1, -0.5, 0, 0.5, -0.1, 2]); // the gradients are left as they were
  });
});

describe('clampOffset', () => {
  it('keeps the offset between the first row and the last full page', () => {
    expect(clampOffset(5, 41, 17)).toBe(5);
    expect(clampOffset(-3, 41, 17)).toBe(0);
    expect(clampOffset(100, 41, 17)).toBe(24);
    expect(clampOffset(24, 41, 17)).toBe(24);
  });

  it('stays at 0 when every row fits', () => {
    expect(clampOffset(3, 5, 17)).toBe(0);
    expect(clampOffset(0, 0, 17)).toBe(0);
  });
});

describe('position', () => {
  it('shows the rows on screen, 1-based, and the total', () => {
    expect(position(0, 41, 17)).toBe('1-17 of 41');
    expect(position(1, 41, 17)).toBe('2-18 of 41');
    expect(position(24, 41, 17)).toBe('25-41 of 41');
    expect(position(0, 5, 17)).toBe('1-5 of 5');
    expect(position(0, 0, 17)).toBe('0 of 0');
  });
});
