import { describe, expect, it } from 'vitest';
import { ASCII_GLYPHS, drawBoundary, drawCurve, drawPredictionScatter, drawRegressionField, drawScoreHistogram, UNICODE_GLYPHS, type Sample, type Style } from '../../../src/tui/map/draw.js';
import { boundsOf, gridPoints } from '../../../src/tui/map/field.js';
import { divergingColour } from '../../../src/tui/map/palette.js';

const COLOUR: Style = { colour: true, unicode: true, glyphs: UNICODE_GLYPHS };
const MONO: Style = { colour: false, unicode: true, glyphs: UNICODE_GLYPHS };
const ASCII: Style = { colour: false, unicode: false, glyphs: ASCII_GLYPHS };

// Samples at the corners of [0, 1]^2: +1 on the right, -1 on the left; one of each held out.
const samples: Sample[] = [
  { x: [0, 0], y: -1, test: false },
  { x: [0, 1], y: -1, test: true },
  { x: [1, 0], y: 1, test: false },
  { x: [1, 1], y: 1, test: true },
];
const bounds = boundsOf(samples.map((s) => s.x as number[]));
const W = 8;
const ROWS = 3;
/** A score that is x - 0.5 scaled: negative on the left half, positive on the right. */
const scores = Float64Array.from(gridPoints(bounds, W, 2 * ROWS), ([x]) => 2 * ((x as number) - 0.5));
const text = (lines: string[]): string[] => lines.map((l) => l.replace(/\x1b\[[\d;]*m/g, ''));

describe('drawBoundary', () => {
  it('draws two pixels a cell with the upper half block, coloured by the score, points on top', () => {
    const canvas = drawBoundary(scores, W, ROWS, bounds, samples, false, COLOUR);
    expect(text(canvas.lines(0))).toEqual(['□▀▀▀▀▀▀○', '▀▀▀▀▀▀▀▀', '■▀▀▀▀▀▀●']);
    const middle = canvas.get(1, 1);
    expect(middle?.fg).toEqual(divergingColour(scores[2 * W + 1] as number)); // top pixel of row 1
    expect(middle?.bg).toEqual(divergingColour(scores[3 * W + 1] as number)); // bottom pixel
    expect(canvas.get(1, 0)?.fg?.[2]).toBeLessThan(canvas.get(1, 7)?.fg?.[2] as number); // orange left, blue right
    expect(canvas.get(2, 7)?.bg).toEqual(canvas.get(1, 7)?.bg); // a point keeps the map's colour around it
  });

  it('discretised, every cell on a side has the same colour', () => {
    const canvas = drawBoundary(scores, W, ROWS, bounds, samples, true, COLOUR);
    expect(canvas.get(1, 0)?.fg).toEqual(canvas.get(1, 3)?.fg);
    expect(canvas.get(1, 4)?.fg).toEqual(canvas.get(1, 7)?.fg);
    expect(canvas.get(1, 0)?.fg).not.toEqual(canvas.get(1, 7)?.fg);
  });

  it('without colour, shades the two sides with distinct glyphs', () => {
    expect(text(drawBoundary(scores, W, ROWS, bounds, samples, false, MONO).lines(0))).toEqual(['□░░░▓▓▓○', '░░░░▓▓▓▓', '■░░░▓▓▓●']);
    expect(drawBoundary(scores, W, ROWS, bounds, samples, false, MONO).lines(0).join('')).not.toContain('\x1b');
  });

  it('in ASCII, draws only ASCII', () => {
    const lines = drawBoundary(scores, W, ROWS, bounds, samples, false, ASCII).lines(0);
    expect(lines).toEqual(['x...###o', '....####', 'X...###O']);
    const colourAscii = drawBoundary(scores, W, ROWS, bounds, samples, false, { ...COLOUR, unicode: false, glyphs: ASCII_GLYPHS }).lines(256);
    expect(text(colourAscii).join('')).toMatch(/^[\x20-\x7e]*$/);
  });

  it('writes colour escapes only where they change, at the terminal\'s depth', () => {
    const line = drawBoundary(scores, W, ROWS, bounds, [], true, COLOUR).lines(16)[1] as string;
    expect(line.match(/\x1b\[3\dm/g)).toHaveLength(2); // one orange run, one blue run
    expect(line.endsWith('\x1b[0m')).toBe(true);
  });
});

describe('the other pictures', () => {
  it('a 2-input regression shows the prediction with a ramp without colour', () => {
    const reg: Sample[] = samples.map((s) => ({ ...s, y: (s.x[0] as number) * 10, test: false }));
    const lines = drawRegressionField(Float64Array.from(gridPoints(bounds, W, 2 * ROWS), ([x]) => 10 * (x as number)), W, ROWS, bounds, reg, ASCII).lines(0);
    const ramp = ' .:+#';
    const levels = [...(lines[1] as string)].map((ch) => ramp.indexOf(ch));
    expect(levels[0]).toBe(0);
    expect(levels.at(-1)).toBe(4);
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThanOrEqual(levels[i - 1] as number);
    expect(lines[0]?.[0]).toBe('O');
    expect(lines[2]?.at(-1)).toBe('O');
  });

  it('a 1-input model draws its curve over x with the samples', () => {
    const xs: Sample[] = [-1, 0, 1].map((x) => ({ x: [x], y: x, test: false }));
    const curve = Float64Array.from({ length: 9 }, (_, c) => -1 + (2 * (c + 0.5)) / 9);
    const lines = drawCurve(curve, -1, 1, 4, xs, false, ASCII).lines(0);
    // Rising from the bottom left to the top right, one curve glyph (or a sample) per column.
    expect(lines).toHaveLength(4);
    for (let c = 0; c < 9; c++) expect(lines.filter((l) => l[c] !== ' ').length).toBeGreaterThanOrEqual(1);
    expect(lines[0]?.at(-1)).not.toBe(' ');
    expect(lines[3]?.[0]).not.toBe(' ');
    expect(lines.join('')).toContain('O');
  });

  it('a classifier\'s 1-input curve draws a faint line at 0 and class glyphs', () => {
    const xs: Sample[] = [{ x: [0], y: -1, test: false }, { x: [1], y: 1, test: true }];
    const lines = drawCurve(new Float64Array(10).fill(0.8), 0, 1, 5, xs, true, MONO).lines(0);
    expect(lines.some((l) => /^[·■○▀▄█]+$/.test(l) && l.includes('·'))).toBe(true);
    expect(lines.join('')).toContain('■');
    expect(lines.join('')).toContain('○');
  });

  it('prediction against target puts right answers on the diagonal', () => {
    const xs: Sample[] = [0, 1, 2, 3].map((y) => ({ x: [0, 0, 0], y, test: false }));
    const lines = drawPredictionScatter([0, 1, 2, 3], xs, 4, 4, ASCII).lines(0);
    expect(lines).toEqual(['   O', '  O ', ' O  ', 'O   ']);
  });

  it('a score histogram stacks +1 above the axis and -1 below, the axis marked at 0', () => {
    const ys = [1, 1, 1, -1];
    const xs: Sample[] = ys.map((y) => ({ x: [0, 0, 0], y, test: false }));
    const lines = drawScoreHistogram([0.9, 0.9, 0.9, -0.9], xs, 21, 5, ASCII).lines(0);
    expect(lines[2]).toMatch(/^-0\.9\d+-+\+-+0\.9\d+$/); // the axis from the lowest score to the highest
    expect(lines[0]?.at(-1)).toBe('#'); // three +1 scores near 0.9 fill the upper half
    expect(lines[1]?.at(-1)).toBe('#');
    expect(lines[3]?.[0]).toBe('#'); // one -1 score near -0.9: a third of the lower half, rounded
    expect(lines[0]?.startsWith('class +1')).toBe(true); // each half names its class
    expect(lines[4]).toBe(`${' '.repeat(13)}class -1`);
  });

  it('a score histogram names the classes as the data gives them', () => {
    const xs: Sample[] = [1, -1].map((y) => ({ x: [0, 0, 0], y, test: false }));
    const lines = drawScoreHistogram([0.5, -0.5], xs, 20, 5, ASCII, { positive: '1', negative: '0' }).lines(0);
    expect(lines[0]?.startsWith('class 1 ')).toBe(true);
    expect(lines[4]?.endsWith(' class 0')).toBe(true);
  });
});
