import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartLines, resample } from '../../src/tui/chart.js';

/** The y-axis label of each chart line, as a number. */
function labels(lines: string[]): number[] {
  return lines.map((line) => Number(line.slice(0, 9).trim()));
}

describe('resample', () => {
  it('samples a long history at evenly spaced epochs, the first and the last included', () => {
    expect(resample([1, 2, 3, 4], 2)).toEqual([1, 4]);
    expect(resample(Float64Array.from({ length: 1000 }, (_, i) => i), 10)).toEqual([0, 111, 222, 333, 444, 555, 666, 777, 888, 999]);
    expect(resample([5, 6, 7], 1)).toEqual([7]);
  });

  it('stretches a short history to fill every column', () => {
    expect(resample([1, 2, 3], 6)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(resample([7], 4)).toEqual([7, 7, 7, 7]);
  });

  it('keeps a history of exactly n values as it is', () => {
    expect(resample([3, 1, 2], 3)).toEqual([3, 1, 2]);
  });

  it('drops the points that are not finite', () => {
    expect(resample([1, Number.NaN, 3, Number.POSITIVE_INFINITY], 2)).toEqual([1]);
    expect(resample([Number.NaN, Number.NaN, 2, 4], 2)).toEqual([4]);
    expect(resample([Number.NaN, Number.NEGATIVE_INFINITY], 2)).toEqual([]);
  });

  it('gives nothing for an empty history', () => {
    expect(resample([], 10)).toEqual([]);
  });

  it('gives n points within the range of any finite history', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 120 }), (values, n) => {
        const out = resample(values, n);
        expect(out).toHaveLength(n);
        const lo = Math.min(...values);
        const hi = Math.max(...values);
        for (const v of out) {
          expect(v).toBeGreaterThanOrEqual(lo - 1e-9 * Math.abs(lo));
          expect(v).toBeLessThanOrEqual(hi + 1e-9 * Math.abs(hi));
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('chartLines', () => {
  const falling = Array.from({ length: 500 }, (_, i) => 2 * Math.exp(-i / 60) + 0.001);

  it('gives the requested height, never wider than the width', () => {
    for (const [width, height] of [
      [39, 8],
      [60, 12],
      [120, 20],
      [14, 3],
    ] as const) {
      const lines = chartLines(falling, width, height, false);
      expect(lines).toHaveLength(height);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('never exceeds the width for any history', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 400 }), fc.integer({ min: 12, max: 150 }), fc.integer({ min: 2, max: 20 }), fc.boolean(), (values, width, height, log) => {
        for (const line of chartLines(values, width, height, log)) expect(line.length).toBeLessThanOrEqual(width);
      }),
      { seed: 6, numRuns: 200 },
    );
  });

  it('labels the y axis from the largest loss at the top to the smallest at the bottom', () => {
    const values = labels(chartLines([1, 0.5, 0.25, 0.1], 40, 6, false));
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values.at(-1)).toBeCloseTo(0.1, 6);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
  });

  it('labels a log-scale axis with losses, spaced by ratios', () => {
    const values = labels(chartLines([1, 0.1, 0.01, 0.001], 40, 6, true));
    expect(values[0]).toBeCloseTo(1, 6);
    expect(values.at(-1)).toBeCloseTo(0.001, 9);
    const ratios = values.slice(1).map((v, i) => (values[i] as number) / v);
    for (const r of ratios) expect(r).toBeCloseTo(10 ** 0.6, 1); // labels carry three significant digits
  });

  it('leaves zero and negative losses out of a log-scale chart', () => {
    const lines = chartLines([0, 1, 0.1], 40, 4, true);
    expect(labels(lines)[0]).toBeCloseTo(1, 6);
    expect(labels(lines).at(-1)).toBeCloseTo(0.1, 6);
    expect(chartLines([0, -1], 40, 4, true)).toEqual(['no loss to plot yet']);
  });

  it('plots a flat series around its value', () => {
    const lines = chartLines([5, 5, 5], 40, 6, false);
    expect(lines).toHaveLength(6);
    const values = labels(lines);
    expect(values[0]).toBeGreaterThan(5);
    expect(values.at(-1)).toBeLessThan(5);
    const row = lines.findIndex((line) => line.includes('────'));
    expect(values[row]).toBeCloseTo(5, 1);
  });

  it('plots a single point (the initial loss) as a line across the chart', () => {
    const lines = chartLines([0.3], 40, 6, false);
    expect(lines).toHaveLength(6);
    const row = lines.find((line) => line.includes('─'.repeat(25)));
    expect(row).toBeDefined();
    expect(Number(row?.slice(0, 9))).toBeCloseTo(0.3, 2);
  });

  it('says there is nothing to plot instead of throwing on empty or non-finite histories', () => {
    expect(chartLines([], 40, 6, false)).toEqual(['no loss to plot yet']);
    expect(chartLines([Number.NaN, Number.POSITIVE_INFINITY], 40, 6, false)).toEqual(['no loss to plot yet']);
  });

  it('skips non-finite losses in an otherwise finite history', () => {
    const lines = chartLines([1, Number.NaN, 0.5, Number.POSITIVE_INFINITY, 0.25], 40, 5, false);
    expect(lines).toHaveLength(5);
    expect(labels(lines)[0]).toBeCloseTo(1, 6);
    expect(labels(lines).at(-1)).toBeCloseTo(0.25, 6);
  });
});
