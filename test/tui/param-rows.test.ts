import { describe, expect, it } from 'vitest';
import type { ParameterSnapshot } from '../../src/train/session.js';
import { clampOffset, orderParameters, position } from '../../src/tui/param-rows.js';

const p = (name: string, grad: number): ParameterSnapshot => ({ name, value: 0, grad, delta: 0 });

describe('orderParameters', () => {
  const params = [p('a', 0.1), p('b', -0.5), p('c', 0), p('d', 0.5), p('e', -0.1), p('f', 2)];

  it('keeps model order when not sorting', () => {
    const shown = orderParameters(params, false);
    expect(shown.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(shown).not.toBe(params);
  });

  it('sorts by |grad|, largest first, ties in model order', () => {
    expect(orderParameters(params, true).map((x) => x.name)).toEqual(['f', 'b', 'd', 'a', 'e', 'c']);
  });

  it('does not reorder the array it is given', () => {
    orderParameters(params, true);
    expect(params.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
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
