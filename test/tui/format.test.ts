import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatLoss, formatPercent } from '../../src/format.js';
import { columnFormat, fixed, formatRate, formatSteps, NO_BREAK, wrapLine } from '../../src/tui/format.js';

describe('fixed', () => {
  it('pads ordinary values to the width with four decimals', () => {
    expect(fixed(0.5)).toBe('  0.5000');
    expect(fixed(-1.25)).toBe(' -1.2500');
    expect(fixed(0)).toBe('  0.0000');
    expect(fixed(3, 5, 2)).toBe(' 3.00');
  });

  it('drops decimals before it switches to scientific notation for large values', () => {
    expect(fixed(12345.678)).toBe('12345.68');
    expect(fixed(-1234567.8)).toBe('-1234568');
    expect(fixed(123456789012)).toBe('1.23e+11');
    expect(fixed(-123456789)).toBe('-1.23e+8');
  });

  it('writes tiny values in scientific notation instead of 0.0000', () => {
    expect(fixed(1.2345e-5)).toBe(' 1.23e-5');
    expect(fixed(-0.00012345)).toBe('-1.23e-4');
    expect(fixed(-1e-300)).toBe(' -1e-300');
  });

  it('keeps non-finite values recognisable within the width', () => {
    expect(fixed(Number.NaN)).toBe('     NaN');
    expect(fixed(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(fixed(Number.NEGATIVE_INFINITY).trim()).toBe('-Inf');
    expect(fixed(Number.POSITIVE_INFINITY, 5).trim()).toBe('Inf');
  });

  it('never exceeds nor falls short of the width, for any number', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 5, max: 12 }), fc.integer({ min: 1, max: 6 }), (x, width, decimals) => {
        expect(fixed(x, width, decimals)).toHaveLength(width);
      }),
      { seed: 3, numRuns: 2000 },
    );
  });

  it('shows a finite number close to its value at the table width', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e300, max: 1e300, noNaN: true }), (x) => {
        const shown = Number(fixed(x, 8));
        expect(Math.abs(shown - x)).toBeLessThanOrEqual(Math.max(5e-5, 0.35 * Math.abs(x)));
      }),
      { seed: 4, numRuns: 2000 },
    );
  });
});

describe('formatRate, formatLoss, formatPercent', () => {
  it('writes learning rates as people type them', () => {
    expect(formatRate(0.1)).toBe('0.1');
    expect(formatRate(0.05)).toBe('0.05');
    expect(formatRate(1e-5)).toBe('1e-5');
    expect(formatRate(0.002)).toBe('0.002');
    expect(formatRate(1e-7)).toBe('1e-7');
    expect(formatRate(0.1 + 0.2)).toBe('0.3');
    // Never a long run of digits, and never a rounded number that looks exact.
    expect(formatRate(1e20)).toBe('1e+20');
    expect(formatRate(123456789)).toBe('1.235e+8');
    expect(formatRate(2500)).toBe('2500');
  });

  it('writes losses with four significant digits, small ones in scientific notation', () => {
    expect(formatLoss(0.123456)).toBe('0.1235');
    expect(formatLoss(12.3456)).toBe('12.35');
    expect(formatLoss(0.000123456)).toBe('1.235e-4');
    expect(formatLoss(0)).toBe('0.000');
    expect(formatLoss(Number.NaN)).toBe('NaN');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('rounds percentages down to whole numbers, so 100% means every sample', () => {
    expect(formatPercent(0.755)).toBe('75%');
    expect(formatPercent(0.996)).toBe('99%');
    expect(formatPercent(0.29)).toBe('29%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
  });
});

describe('wrapLine', () => {
  it('breaks at spaces within the width, continuation lines indented, and loses no word', () => {
    const text = '  loss before 3.255, after 2.174: a small step lowers the loss, too large a step overshoots';
    const lines = wrapLine(text, 40);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    expect(lines[0]).toBe('  loss before 3.255, after 2.174: a');
    expect(lines.slice(1).every((l) => l.startsWith('    '))).toBe(true);
    expect(lines.join(' ').split(/ +/).filter(Boolean)).toEqual(text.split(/ +/).filter(Boolean));
    expect(wrapLine('short', 40)).toEqual(['short']);
    expect(wrapLine('x'.repeat(50), 20).every((l) => l.length <= 20)).toBe(true);
    expect(wrapLine(`${' '.repeat(30)}${'y'.repeat(40)}`, 0).join('').replace(/ /g, '')).toBe('y'.repeat(40)); // a tiny terminal ends too
  });

  it('keeps words joined by NO_BREAK on one line, and writes them with a space', () => {
    const pair = (name: string, x: string): string => `${name} +=${x}`.replaceAll(' ', NO_BREAK);
    const lines = wrapLine(`L1.N1 sum 0.1002  ${pair('L1.N1 +w2x2', '0.1002')}, ${pair('L1.N1 w3·x3', '0.1002')}`, 50);
    expect(lines).toEqual(['L1.N1 sum 0.1002  L1.N1 +w2x2 +=0.1002,', '  L1.N1 w3·x3 +=0.1002']);
    expect(wrapLine(`a${NO_BREAK}b`, 40)).toEqual(['a b']);
  });

  it('aligns the continuation of prose with its first line when told no hang', () => {
    const lines = wrapLine('A node can pass its grad back only once its own grad is complete: after every node', 40, 0);
    expect(lines).toEqual(['A node can pass its grad back only once', 'its own grad is complete: after every', 'node']);
    expect(wrapLine('  an indented formula that wraps onto a second line', 30, 0)[1]).toMatch(/^  [a-z]/);
  });
});

describe('columnFormat: one format for a whole column', () => {
  const column = (values: number[]): string[] => values.map(columnFormat(values, 8));

  it('keeps fixed decimals when every value fits and keeps its digits', () => {
    expect(column([0.3301, -0.7626, 1.2])).toEqual(['  0.3301', ' -0.7626', '  1.2000']);
    expect(column([601640.4, -1510611, 12])).toEqual(['  601640', '-1510611', '      12']);
  });

  it('goes scientific for the whole column when one value needs it', () => {
    expect(column([-1510611, 601640.4, 9.66e8])).toEqual(['-1.51e+6', ' 6.02e+5', ' 9.66e+8']);
    expect(column([0.5, 6.6e-5, -1.53e-4])).toEqual([' 5.00e-1', ' 6.60e-5', '-1.53e-4']);
    expect(column([0.5, 123456.7])).toEqual([' 5.00e-1', ' 1.23e+5']);
  });

  it('is width wide whatever comes, non-finite values included', () => {
    const values = [0, -0, 1e-300, -1.5e300, Number.NaN, Number.POSITIVE_INFINITY, -7];
    for (const text of column(values)) expect(text).toHaveLength(8);
    expect(column([0, 0])).toEqual(['  0.0000', '  0.0000']);
  });
});

describe('formatSteps', () => {
  it('shows whole steps a second, and one decimal below 10 so a slow run does not read 0', () => {
    expect([0, 0.04, 0.4, 2.5, 9.96, 12.4, 1329.6].map(formatSteps)).toEqual(['0', '0.0', '0.4', '2.5', '10', '12', '1330']);
  });
});
