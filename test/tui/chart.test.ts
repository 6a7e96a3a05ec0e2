import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartLines as draw, columnRanges, logFloor, type ChartSeries, type ChartStyle } from '../../src/tui/chart.js';
import { chartTitle } from '../../src/tui/LossChart.js';

const MONO: ChartStyle = { colours: null, unicode: true };
/** The training loss alone, without colour. */
const chartLines = (values: ArrayLike<number>, width: number, height: number, log: boolean): string[] => draw([{ kind: 'train', values }], width, height, log, MONO);

/** The y-axis label of each chart line, as a number. */
function labels(lines: string[]): number[] {
  return lines.map((line) => Number(line.slice(0, 9).trim()));
}

describe('columnRanges', () => {
  it('gives each column the smallest and largest loss of the epochs it covers: a spike stays visible', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i === 503 ? 9 : 1));
    const { min, max } = columnRanges(values, 10, 1000);
    expect(max).toEqual([1, 1, 1, 1, 1, 9, 1, 1, 1, 1]);
    expect(min).toEqual(Array(10).fill(1));
  });

  it('stretches a short history over the columns, and a series shorter than the span fills fewer', () => {
    expect(columnRanges([1, 2, 3], 6, 3).max).toEqual([1, 1, 2, 2, 3, 3]);
    expect(columnRanges([1, 2], 4, 4).max).toEqual([1, 2]);
  });

  it('leaves out values that are not finite, repeating the column before where a column has none', () => {
    expect(columnRanges([1, Number.NaN, 3], 3, 3).max).toEqual([1, 1, 3]);
    expect(columnRanges([Number.NaN, Number.NaN], 2, 2).max).toEqual([]);
  });

  it('keeps every column within the range of any finite history', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 120 }), (values, n) => {
        const { min, max } = columnRanges(values, n, values.length);
        expect(max).toHaveLength(n);
        min.forEach((lo, i) => expect(lo).toBeLessThanOrEqual(max[i] as number));
        expect(Math.max(...max)).toBe(Math.max(...values));
        expect(Math.min(...min)).toBe(Math.min(...values));
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('floors a log chart at a tenth of the smallest positive loss', () => {
    expect(logFloor([[0, 0.5, 0.02]])).toBeCloseTo(0.002, 12);
    expect(logFloor([[0]])).toBe(1e-6);
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

  it('keeps losses of 0 on a log-scale chart, floored at a tenth of the smallest positive one', () => {
    const lines = chartLines([0, 1, 0.1], 40, 4, true);
    expect(labels(lines)[0]).toBeCloseTo(1, 6);
    expect(labels(lines).at(-1)).toBeCloseTo(0.01, 6);
    expect(lines.at(-1)).toMatch(/╴|─|╰/); // the epoch with loss 0 is drawn at the floor
  });

  it('draws one ┼ at most: no second one part way down a log axis', () => {
    const lines = chartLines([100, 10, 1, 0.1, 0.01], 40, 8, true);
    expect(lines.join('\n').split('┼').length - 1).toBeLessThanOrEqual(1);
  });

  it('without colour draws each series in its own line style: training solid, the test loss dotted, the previous run shaded', () => {
    const series: ChartSeries[] = [
      { kind: 'train', values: [1, 0.5, 0.25, 0.1] },
      { kind: 'test', values: [1.2, 0.9, 0.8, 0.8] },
      { kind: 'previous', values: [3, 3, 3, 3, 3, 3] },
    ];
    const lines = draw(series, 40, 8, false, MONO);
    const text = lines.join('');
    for (const glyph of ['─', '┄', '░']) expect(text).toContain(glyph);
    expect(labels(lines)[0]).toBeCloseTo(3, 6); // the previous run (3) sets the top
    expect(lines[0]).toMatch(/┤░{20,} ?$/); // and runs to the end: longer than this run
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    const ascii = draw(series, 40, 8, false, { colours: null, unicode: false });
    expect(ascii.join('')).toMatch(/^[\x20-\x7e]*$/);
    expect(ascii[0]).toMatch(/\|~{20,} ?$/);
    const coloured = draw(series, 40, 8, false, { colours: { train: '\x1b[34m', test: '\x1b[35m', previous: '\x1b[90m' }, unicode: true });
    expect(coloured.join('')).toContain('\x1b[90m');
    expect(labels(coloured.map((l) => l.replace(/\x1b\[\d+m/g, '')))[0]).toBeCloseTo(3, 6);
  });

  it('spans the longest series: a previous run longer than this one widens the epochs drawn', () => {
    const series: ChartSeries[] = [
      { kind: 'train', values: [1, 0.5] },
      { kind: 'previous', values: [1, 0.8, 0.6, 0.4] },
    ];
    const lines = draw(series, 40, 6, false, { colours: { train: '', test: '', previous: '' }, unicode: true });
    expect(lines).toHaveLength(6);
  });

  it('draws only ASCII in an ASCII locale', () => {
    const lines = draw([{ kind: 'train', values: [1, 0.5, 0.2] }, { kind: 'test', values: [1, 0.7, 0.6] }], 40, 6, false, { colours: null, unicode: false });
    expect(lines.join('')).toMatch(/^[\x20-\x7e]*$/);
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

describe('chartTitle', () => {
  const series: ChartSeries[] = [
    { kind: 'train', values: [1] },
    { kind: 'test', values: [1] },
    { kind: 'previous', values: [1] },
  ];
  const kinds = (drawn: readonly ChartSeries[]): string[] => drawn.map((s) => s.kind);

  it('names every line drawn with its style without colour, in shorter words where the long ones do not fit', () => {
    expect(chartTitle(series, false, true, true, 40)).toMatchObject({ title: 'loss + test + before' });
    expect(chartTitle(series, false, false, true, 40)).toMatchObject({ title: 'loss + test ┄ + before ░' });
    expect(chartTitle(series, false, false, false, 40)).toMatchObject({ title: 'loss + test .. + before ~' });
    // The 80-column chart has room for 25 (beside `o log`) or 22 (beside `o linear`).
    expect(chartTitle(series, true, false, true, 25).title).toBe('log loss, test ┄, prev ░');
    const log = chartTitle(series, true, false, true, 22); // the scale is left to the axis and `o linear`
    expect(log.title).toBe('loss, test ┄, prev ░');
    expect(kinds(log.drawn)).toEqual(['train', 'test', 'previous']);
  });

  it('where even short words do not fit, draws fewer series and names only those', () => {
    const fewer = chartTitle(series, true, false, true, 17);
    expect(fewer.title).toBe('log loss, test ┄');
    expect(kinds(fewer.drawn)).toEqual(['train', 'test']);
    const least = chartTitle(series, true, false, true, 8);
    expect(least.title).toBe('log loss');
    expect(kinds(least.drawn)).toEqual(['train']);
  });
});
