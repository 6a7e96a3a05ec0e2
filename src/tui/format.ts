/**
 * Fixed-width numbers, so that columns and the status line do not jitter while values change.
 * Four decimals where they carry information, scientific notation for tiny or huge values.
 */
export function fixed(x: number, width = 8, decimals = 4): string {
  if (!Number.isFinite(x)) {
    const s = String(x); // '-Infinity' clipped to 8 columns would read '-Infinit'
    return clipLeft(s.length > width ? s.replace('Infinity', 'Inf') : s, width);
  }
  const abs = Math.abs(x);
  let s = abs !== 0 && abs < 10 ** -(decimals - 1) ? '' : x.toFixed(decimals);
  for (let digits = decimals - 1; s.length > width && digits >= 0; digits--) s = x.toFixed(digits);
  if (s === '' || s.length > width) s = scientific(x, width);
  return s.padStart(width);
}

/** Three significant digits where they fit: 1.23e-7, -1.2e+12. */
function scientific(x: number, width: number): string {
  for (let digits = 2; digits >= 0; digits--) {
    const s = x.toExponential(digits);
    if (s.length <= width) return s;
  }
  return clipLeft(x.toExponential(0), width);
}

function clipLeft(s: string, width: number): string {
  return s.length > width ? s.slice(0, width) : s.padStart(width);
}

/** A learning rate as people write it: 0.1, 0.05, 0.002, 1e-5, 1e+20 (never a long run of digits). */
export function formatRate(x: number): string {
  const rounded = Number(x.toPrecision(4));
  const abs = Math.abs(rounded);
  return rounded !== 0 && (abs < 1e-3 || abs >= 1e4) ? rounded.toExponential() : String(rounded);
}

/** A training speed: whole steps a second, one decimal below 10 (a big network does 0.4, not 0). */
export function formatSteps(perSecond: number): string {
  return perSecond > 0 && perSecond < 9.95 ? perSecond.toFixed(1) : String(Math.round(perSecond));
}

/**
 * One format for a whole column of numbers, so that they line up and read alike: `decimals` (or
 * fewer) fixed decimals when every value fits `width` that way and keeps at least two significant
 * digits, else scientific notation with as many digits as every value has room for. A column of
 * 0.33, -0.76 and 1.2 reads `0.3300 -0.7626 1.2000`; one of -1510611, 601640.4 and 9.66e+8 reads
 * `-1.51e+6 6.02e+5 9.66e+8` rather than three formats. Returns the formatter, `width` wide.
 */
export function columnFormat(values: readonly number[], width = 8, decimals = 4): (x: number) => string {
  const finite = values.filter((x) => Number.isFinite(x));
  const fits = (format: (x: number) => string): boolean => finite.every((x) => format(x).length <= width);
  const smallest = finite.reduce((min, x) => (x === 0 ? min : Math.min(min, Math.abs(x))), Infinity);
  const each = (format: (x: number) => string) => (x: number): string => (Number.isFinite(x) ? format(x).padStart(width) : fixed(x, width));
  for (let d = decimals; d >= 0 && smallest >= 10 ** (1 - d); d--) {
    const format = (x: number): string => x.toFixed(d);
    if (fits(format)) return each(format);
  }
  for (let digits = 2; digits >= 0; digits--) {
    const format = (x: number): string => x.toExponential(digits);
    if (fits(format)) return each(format);
  }
  return (x) => fixed(x, width, decimals);
}

/** Joins the words of a unit wrapLine keeps on one line (`out 0.0001176`); it comes out as a space. */
export const NO_BREAK = '\u00a0';

/**
 * `text` broken at spaces into lines of at most `width` columns, continuation lines indented as
 * the first and `hang` more (0 for prose, whose lines align; 2 sets a formula's continuation off
 * from the next formula); words joined by NO_BREAK stay together, and a word longer than a line
 * is cut into pieces. For explanations that must not be cut off.
 */
export function wrapLine(text: string, columns: number, hang = 2): string[] {
  return breakLine(text, columns, hang).map((line) => line.replaceAll(NO_BREAK, ' '));
}

function breakLine(text: string, columns: number, hang: number): string[] {
  const width = Math.max(8, columns); // each cut line then keeps at least 6 new characters
  if (text.length <= width) return [text];
  const indent = /^ */.exec(text)?.[0].slice(0, Math.max(0, width - 8)) ?? '';
  const more = `${indent}${' '.repeat(hang)}`;
  const lines: string[] = [];
  let line = '';
  for (const word of text.trimStart().split(' ')) {
    const start = line === '' ? (lines.length === 0 ? indent : more) : `${line} `;
    if (line !== '' && start.length + word.length > width) {
      lines.push(line);
      line = '';
    }
    let piece = (line === '' ? (lines.length === 0 ? indent : more) : `${line} `) + word;
    while (piece.length > width) {
      lines.push(piece.slice(0, width));
      piece = `${more}${piece.slice(width)}`;
    }
    line = piece;
  }
  lines.push(line);
  return lines;
}
