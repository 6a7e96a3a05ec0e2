import { Canvas } from './canvas.js';
import { pixelOf, span, type Bounds } from './field.js';
import { formatNumber } from '../../format.js';
import { argmax, softmax } from '../../nn/loss.js';
import { BLUE, classInk, classShade, DARK_BLUE, DARK_ORANGE, divergingColour, ORANGE, sequentialColour, type Rgb } from './palette.js';

/** A sample drawn on a map: its inputs, its target, and whether it is held out for testing. */
export interface Sample {
  x: readonly number[];
  y: number;
  test: boolean;
}

/** Glyphs for a terminal with Unicode, and their ASCII stand-ins under a non-UTF-8 locale. */
export interface Glyphs {
  /** Points by class (+1, -1, or a regression target), solid for training, hollow for test. */
  positive: [train: string, test: string];
  negative: [train: string, test: string];
  point: [train: string, test: string];
  /** Map shading without colour, for the -1 and +1 sides. */
  shade: [negative: string, positive: string];
  /** A ramp from low to high, for regression without colour. */
  ramp: string;
  upper: string;
  lower: string;
  full: string;
  /** The curve of a 1-input model where half blocks are not available. */
  curve: string;
  faint: string;
  axis: string;
  zero: string;
}

/**
 * The glyph of class k's samples on a K-class map, in colour or not: its number, then letters
 * (ASCII in every locale). A held-out sample is told apart by its colour only (paler).
 */
export const CLASS_GLYPHS = '0123456789abcdefghij';

/** Without colour, each class's region of a K-class map is filled with its own glyph (class 0 blank). */
export const REGION_GLYPHS = ' .:-=+~^*\'`",;!|/\\<>';

export const UNICODE_GLYPHS: Glyphs = {
  positive: ['●', '○'],
  negative: ['■', '□'],
  point: ['●', '○'],
  shade: ['░', '▓'],
  ramp: ' ░▒▓█',
  upper: '▀',
  lower: '▄',
  full: '█',
  curve: '▀',
  faint: '·',
  axis: '─',
  zero: '┼',
};

export const ASCII_GLYPHS: Glyphs = {
  positive: ['O', 'o'],
  negative: ['X', 'x'],
  point: ['O', 'o'],
  shade: ['.', '#'],
  ramp: ' .:+#',
  upper: '"',
  lower: ',',
  full: '#',
  curve: '*',
  faint: '.',
  axis: '-',
  zero: '+',
};

export interface Style {
  colour: boolean;
  unicode: boolean;
  glyphs: Glyphs;
}

const classGlyph = (s: Sample, g: Glyphs): string => (s.y > 0 ? g.positive : g.negative)[s.test ? 1 : 0];
const sampleGlyph = (s: Sample, g: Glyphs): string => g.point[s.test ? 1 : 0];

/**
 * A 2-input map: `scores` holds the model's output on a `width` x `2 * rows` pixel grid over
 * `bounds` (row by row from the top); each cell shows two pixels with the upper half block
 * (foreground = top, background = bottom), or one shading glyph without colour. `colourOf` maps
 * a score to its colour, `shadeOf` to a glyph; the samples go on top.
 */
export function drawField(opts: {
  scores: Float64Array;
  width: number;
  rows: number;
  bounds: Bounds;
  samples: readonly Sample[];
  colourOf: (score: number) => Rgb;
  shadeOf: (score: number) => string;
  glyphOf: (s: Sample) => { char: string; fg?: Rgb; bg?: Rgb };
  style: Style;
}): Canvas {
  const { scores, width, rows, bounds, samples, colourOf, shadeOf, glyphOf, style } = opts;
  const canvas = new Canvas(width, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const top = scores[2 * r * width + c];
      const bottom = scores[(2 * r + 1) * width + c];
      if (!style.colour) canvas.set(r, c, { char: shadeOf((top + bottom) / 2) });
      else if (style.unicode) canvas.set(r, c, { char: style.glyphs.upper, fg: colourOf(top), bg: colourOf(bottom) });
      else canvas.set(r, c, { char: ' ', bg: colourOf((top + bottom) / 2) });
    }
  }
  // Training points first, so that where they share a cell the held-out one shows.
  for (const s of [...samples].sort((a, b) => Number(a.test) - Number(b.test))) {
    const col = pixelOf(s.x[0], bounds.x0, bounds.x1, width);
    const row = pixelOf(s.x[1], bounds.y0, bounds.y1, rows, true);
    const under = canvas.get(row, col);
    const g = glyphOf(s);
    const bg = g.bg ?? under?.bg;
    canvas.set(row, col, { char: g.char, ...(g.fg && { fg: g.fg }), ...(bg && { bg }) });
  }
  return canvas;
}

/** The decision boundary of a 2-input classifier: orange for -1, blue for +1, pale near 0. */
export function drawBoundary(scores: Float64Array, width: number, rows: number, bounds: Bounds, samples: readonly Sample[], discrete: boolean, style: Style): Canvas {
  const g = style.glyphs;
  return drawField({
    scores,
    width,
    rows,
    bounds,
    samples,
    colourOf: (s) => divergingColour(discrete ? Math.sign(s) * 0.75 : s),
    shadeOf: (s) => g.shade[s > 0 ? 1 : 0],
    glyphOf: (s) => ({ char: classGlyph(s, g), ...(style.colour && { fg: s.y > 0 ? DARK_BLUE : DARK_ORANGE }) }),
    style,
  });
}

/**
 * The regions of a 2-input K-class model: `scores` holds one column per class over the pixel
 * grid (as in `drawField`); each pixel takes its predicted class's colour (see CLASS_COLOURS),
 * pale where the model is unsure (the largest softmax probability near 1/K), or flat with
 * `discrete`. Without colour each region is filled with its class's glyph (REGION_GLYPHS). Each
 * sample is its class's glyph (CLASS_GLYPHS).
 */
export function drawClassRegions(scores: readonly Float64Array[], width: number, rows: number, bounds: Bounds, samples: readonly Sample[], discrete: boolean, style: Style): Canvas {
  const k = scores.length;
  const classes = new Int32Array(width * 2 * rows);
  const sureness = new Float64Array(width * 2 * rows);
  for (let p = 0; p < classes.length; p++) {
    const z = scores.map((column) => column[p]);
    const best = argmax(z);
    classes[p] = best;
    sureness[p] = discrete ? 0.75 : (k * softmax(z)[best] - 1) / (k - 1);
  }
  const canvas = new Canvas(width, rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const top = 2 * r * width + c;
      const bottom = top + width;
      if (!style.colour) canvas.set(r, c, { char: REGION_GLYPHS[classes[top]] ?? ' ' });
      else if (style.unicode) {
        const fg = classShade(classes[top], sureness[top]);
        canvas.set(r, c, { char: style.glyphs.upper, fg, bg: classShade(classes[bottom], sureness[bottom]) });
      } else {
        canvas.set(r, c, { char: ' ', bg: classShade(classes[top], sureness[top]) });
      }
    }
  }
  // Training points first, so that where they share a cell the held-out one shows.
  for (const s of [...samples].sort((a, b) => Number(a.test) - Number(b.test))) {
    const col = pixelOf(s.x[0], bounds.x0, bounds.x1, width);
    const row = pixelOf(s.x[1], bounds.y0, bounds.y1, rows, true);
    const under = canvas.get(row, col);
    const ink = classInk(s.y);
    canvas.set(row, col, { char: CLASS_GLYPHS[s.y] ?? '?', ...(style.colour && { fg: s.test ? classShade(s.y, 1) : ink }), ...(under?.bg && { bg: under.bg }) });
  }
  return canvas;
}

/** A 2-input regression: the prediction on a sequential palette, each sample on its target's colour. */
export function drawRegressionField(scores: Float64Array, width: number, rows: number, bounds: Bounds, samples: readonly Sample[], style: Style): Canvas {
  const [lo, hi] = span(samples.map((s) => s.y), 0);
  const t = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const ramp = style.glyphs.ramp;
  return drawField({
    scores,
    width,
    rows,
    bounds,
    samples,
    colourOf: (s) => sequentialColour(t(s)),
    shadeOf: (s) => ramp[Math.max(0, Math.min(ramp.length - 1, Math.floor(t(s) * ramp.length)))],
    glyphOf: (s) => ({ char: sampleGlyph(s, style.glyphs), ...(style.colour && { fg: [30, 30, 30] as Rgb, bg: sequentialColour(t(s.y)) }) }),
    style,
  });
}

/**
 * A 1-input model: the samples as points and the model's curve over x (`curve` holds its output
 * at each column's centre, over `[x0, x1]`), with a faint line at 0 for classifiers.
 */
export function drawCurve(curve: Float64Array, x0: number, x1: number, rows: number, samples: readonly Sample[], classification: boolean, style: Style): Canvas {
  const width = curve.length;
  const g = style.glyphs;
  const [y0, y1] = span([...curve, ...samples.map((s) => s.y), ...(classification ? [0] : [])]);
  const pixels = 2 * rows;
  const canvas = new Canvas(width, rows);
  if (classification && y0 < 0 && y1 > 0) {
    const zero = Math.floor(pixelOf(0, y0, y1, pixels, true) / 2);
    for (let c = 0; c < width; c++) canvas.set(zero, c, { char: g.faint });
  }
  const pixelRows = Array.from(curve, (v) => pixelOf(v, y0, y1, pixels, true));
  const curveColour = style.colour ? { fg: classification ? BLUE : ORANGE } : {};
  for (let c = 0; c < width; c++) {
    const here = pixelRows[c];
    // Fill the gap to the neighbours halfway, so that a steep curve stays connected.
    const prev = c > 0 ? Math.round((pixelRows[c - 1] + here) / 2) : here;
    const next = c < width - 1 ? Math.round((pixelRows[c + 1] + here) / 2) : here;
    const lo = Math.min(here, prev, next);
    const hi = Math.max(here, prev, next);
    for (let r = Math.floor(lo / 2); r <= Math.floor(hi / 2); r++) {
      const top = 2 * r >= lo && 2 * r <= hi;
      const bottom = 2 * r + 1 >= lo && 2 * r + 1 <= hi;
      const char = !style.unicode ? g.curve : top && bottom ? g.full : top ? g.upper : g.lower;
      canvas.set(r, c, { char, ...curveColour });
    }
  }
  for (const s of samples) {
    const col = pixelOf(s.x[0], x0, x1, width);
    const row = Math.floor(pixelOf(s.y, y0, y1, pixels, true) / 2);
    const glyph = classification ? classGlyph(s, g) : sampleGlyph(s, g);
    canvas.set(row, col, { char: glyph, ...(style.colour && classification && { fg: s.y > 0 ? BLUE : ORANGE }) });
  }
  return canvas;
}

/**
 * Prediction against target for a regression with 3 or more inputs: target across, prediction
 * up, on the same scale, so that right answers lie on the faint diagonal.
 */
export function drawPredictionScatter(outputs: readonly number[], samples: readonly Sample[], width: number, rows: number, style: Style): Canvas {
  const [lo, hi] = span([...outputs, ...samples.map((s) => s.y)]);
  const canvas = new Canvas(width, rows);
  for (let c = 0; c < width; c++) {
    const v = lo + ((c + 0.5) * (hi - lo)) / width;
    canvas.set(pixelOf(v, lo, hi, rows, true), c, { char: style.glyphs.faint });
  }
  samples.forEach((s, i) => {
    const col = pixelOf(s.y, lo, hi, width);
    const row = pixelOf(outputs[i], lo, hi, rows, true);
    canvas.set(row, col, { char: sampleGlyph(s, style.glyphs), ...(style.colour && { fg: s.test ? ORANGE : BLUE }) });
  });
  return canvas;
}

/**
 * The scores of a classifier with 3 or more inputs as a histogram per class: +1 above the axis
 * (growing up), -1 below it (growing down), score across; the axis marks score 0 and its ends
 * the lowest and highest score, and each half names its class (`labels`: how the data gives them).
 */
export function drawScoreHistogram(
  outputs: readonly number[],
  samples: readonly Sample[],
  width: number,
  rows: number,
  style: Style,
  labels = { positive: '+1', negative: '-1' },
): Canvas {
  const [lo, hi] = span([...outputs, 0], 0.02);
  const g = style.glyphs;
  const canvas = new Canvas(width, rows);
  const axis = Math.floor((rows - 1) / 2);
  const counts = { pos: new Array<number>(width).fill(0), neg: new Array<number>(width).fill(0) };
  samples.forEach((s, i) => (s.y > 0 ? counts.pos : counts.neg)[pixelOf(outputs[i], lo, hi, width)]++);
  const most = Math.max(1, ...counts.pos, ...counts.neg);
  const zero = pixelOf(0, lo, hi, width);
  for (let c = 0; c < width; c++) canvas.set(axis, c, { char: c === zero ? g.zero : g.axis });
  const bar = (count: number, room: number, c: number, up: boolean, fg: Rgb): void => {
    const half = Math.round((2 * room * count) / most); // in half cells
    for (let k = 0; k < Math.ceil(half / 2); k++) {
      const partial = k === Math.ceil(half / 2) - 1 && half % 2 === 1;
      const char = !style.unicode ? g.full : partial ? (up ? g.lower : g.upper) : g.full;
      canvas.set(up ? axis - 1 - k : axis + 1 + k, c, { char, ...(style.colour && { fg }) });
    }
  };
  for (let c = 0; c < width; c++) {
    bar(counts.pos[c], axis, c, true, BLUE);
    bar(counts.neg[c], rows - axis - 1, c, false, ORANGE);
  }
  // Where the other class's bars are fewest: +1 scores lie mostly right, -1 scores left.
  const text = (row: number, col: number, words: string): void => [...words].forEach((ch, k) => canvas.set(row, col + k, { char: ch }));
  const low = formatNumber(lo);
  const high = formatNumber(hi);
  // Each end's number where it leaves the zero mark (and the other number) in view.
  if (zero > low.length) text(axis, 0, low);
  if (zero < width - high.length - 1 && low.length + high.length + 2 <= width) text(axis, width - high.length, high);
  if (rows >= 3) {
    const positive = `class ${labels.positive}`;
    const negative = `class ${labels.negative}`;
    if (positive.length <= width) text(0, 0, positive);
    if (negative.length <= width) text(rows - 1, width - negative.length, negative);
  }
  return canvas;
}

