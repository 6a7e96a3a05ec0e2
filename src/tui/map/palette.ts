import type { ColourDepth } from '../terminal.js';

/** An sRGB colour, 0-255 per channel. */
export type Rgb = readonly [number, number, number];

/** TF Playground's colour-blind-safe diverging pair: orange for -1, pale near 0, blue for +1. */
export const ORANGE: Rgb = [245, 147, 34];
export const PALE: Rgb = [232, 234, 235];
export const BLUE: Rgb = [8, 119, 189];
/** Darker shades for points drawn on top of the map. */
export const DARK_ORANGE: Rgb = [140, 70, 0];
export const DARK_BLUE: Rgb = [3, 50, 95];

const channel = (a: number, b: number, t: number): number => Math.round(a + (b - a) * t);
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [channel(a[0], b[0], t), channel(a[1], b[1], t), channel(a[2], b[2], t)];

/**
 * One colour per class for K-class maps: the Okabe-Ito palette, told apart with any common
 * colour-vision deficiency. Classes beyond 8 reuse the colours; their glyphs still differ.
 */
export const CLASS_COLOURS: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
  [110, 110, 110],
];

/** Class k's colour. */
export const classColour = (k: number): Rgb => CLASS_COLOURS[k % CLASS_COLOURS.length];

/** Class k's colour for a region of the map: pale where the model is unsure (`sureness` 0), full at 1. */
export function classShade(k: number, sureness: number): Rgb {
  const t = Number.isFinite(sureness) ? Math.max(0, Math.min(1, sureness)) : 0;
  return mix(PALE, classColour(k), 0.2 + 0.7 * t);
}

/** A darker class colour, for samples drawn on the map. */
export const classInk = (k: number): Rgb => mix(classColour(k), [0, 0, 0], 0.55);

/** The diverging colour of a score: orange below 0, blue above, by |score| up to 1, pale at 0. */
export function divergingColour(score: number): Rgb {
  const t = Number.isFinite(score) ? Math.max(-1, Math.min(1, score)) : 0;
  return t < 0 ? mix(PALE, ORANGE, -t) : mix(PALE, BLUE, t);
}

/** A sequential colour for a value in [0, 1] (regression): pale to blue. */
export function sequentialColour(t: number): Rgb {
  const u = Number.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
  return mix(mix(PALE, ORANGE, 0.35), BLUE, u);
}

const CUBE = [0, 95, 135, 175, 215, 255];
const nearestCube = (c: number): number => {
  let best = 0;
  for (let i = 1; i < CUBE.length; i++) if (Math.abs(CUBE[i] - c) < Math.abs(CUBE[best] - c)) best = i;
  return best;
};

/** The xterm 256-colour index nearest to `rgb`: the 6x6x6 cube, or the grey ramp for greys. */
export function ansi256(rgb: Rgb): number {
  const [r, g, b] = rgb;
  const cube = 16 + 36 * nearestCube(r) + 6 * nearestCube(g) + nearestCube(b);
  const cubeRgb = [r, g, b].map((c) => CUBE[nearestCube(c)]);
  const grey = Math.max(0, Math.min(23, Math.round(((r + g + b) / 3 - 8) / 10)));
  const greyLevel = 8 + 10 * grey;
  const dist = (xs: readonly number[]): number => xs.reduce((s, x, i) => s + (x - rgb[i]) ** 2, 0);
  return dist([greyLevel, greyLevel, greyLevel]) < dist(cubeRgb) ? 232 + grey : cube;
}

/**
 * The 16-colour stand-in: the basic ANSI colour (0-15) nearest in hue and strength. Orange reads
 * as yellow (33), blue as blue (34); pale colours become white (37), the brightest ones bright.
 * The class colours' greens, reds and purples keep their own (32, 31, 35).
 */
export function ansi16(rgb: Rgb): number {
  const [r, g, b] = rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const strong = max - min > 120;
  if (max - min < 40) return max > 200 ? 15 : max > 120 ? 7 : 8; // white, grey, dark grey
  if (b >= r && b >= g) return strong ? 4 : 12; // blue, bright blue
  if (g > r && g > b) return strong ? 2 : 10; // green
  if (b > g) return strong ? 5 : 13; // magenta (reddish purple)
  if (g < r * 0.5) return strong ? 1 : 9; // red (vermillion)
  return strong ? 3 : 11; // yellow (orange), bright yellow
}

/** The SGR escape that sets `rgb` as foreground (or background) at `depth`; '' without colour. */
export function sgr(rgb: Rgb, depth: ColourDepth, background = false): string {
  if (depth === 0) return '';
  if (depth === 256) return `\x1b[${background ? 48 : 38};5;${ansi256(rgb)}m`;
  if (depth === 16) {
    const n = ansi16(rgb);
    const base = n >= 8 ? (background ? 100 : 90) + n - 8 : (background ? 40 : 30) + n;
    return `\x1b[${base}m`;
  }
  return `\x1b[${background ? 48 : 38};2;${rgb[0]};${rgb[1]};${rgb[2]}m`;
}

export const RESET = '\x1b[0m';
