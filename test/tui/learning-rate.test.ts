import { describe, expect, it } from 'vitest';
import { LR_LADDER, lrDown, lrUp, parseRate } from '../../src/tui/learning-rate.js';

describe('LR_LADDER', () => {
  it('runs 1-2-5 from 1e-5 to 10', () => {
    expect(LR_LADDER).toEqual([
      0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10,
    ]);
  });
});

describe('lrUp and lrDown', () => {
  it('walk the ladder one rung at a time', () => {
    for (let i = 0; i + 1 < LR_LADDER.length; i++) {
      expect(lrUp(LR_LADDER[i] as number)).toBe(LR_LADDER[i + 1]);
      expect(lrDown(LR_LADDER[i + 1] as number)).toBe(LR_LADDER[i]);
    }
  });

  it('go to the nearest rung from a value between rungs', () => {
    expect(lrUp(0.03)).toBe(0.05);
    expect(lrDown(0.03)).toBe(0.02);
    expect(lrUp(0.15)).toBe(0.2);
    expect(lrDown(0.15)).toBe(0.1);
    expect(lrUp(3e-6)).toBe(1e-5);
    expect(lrDown(300)).toBe(10);
  });

  it('treat a rung reached through rounding as that rung', () => {
    expect(lrUp(0.1 + 0.2 - 0.1)).toBe(0.5);
    expect(lrDown(0.30000000000000004)).toBe(0.2);
    expect(lrUp(0.1 * 3)).toBe(0.5);
  });

  it('return null beyond the ends of the ladder', () => {
    expect(lrUp(10)).toBeNull();
    expect(lrUp(50)).toBeNull();
    expect(lrDown(1e-5)).toBeNull();
    expect(lrDown(1e-7)).toBeNull();
  });
});

describe('parseRate', () => {
  it.each([
    ['0.05', 0.05],
    ['1e-3', 0.001],
    ['2E2', 200],
    ['.5', 0.5],
    ['5.', 5],
    ['  0.1 ', 0.1],
    ['+0.2', 0.2],
  ])('accepts %j', (text, value) => {
    expect(parseRate(text)).toBe(value);
  });

  it.each(['', 'abc', '0', '-1', '-0.1', '0x10', 'Infinity', 'NaN', '1e400', '1e-400', '1..2', '1e', 'e5', '0.1.2'])('refuses %j with a message', (text) => {
    const result = parseRate(text);
    expect(typeof result).toBe('string');
    expect(result).toContain('learning rate must be a finite number > 0');
    expect(result).toContain(`"${text}"`);
  });
});
