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

/** A learning rate as people write it: 0.1, 0.05, 0.002, 1e-5. */
export function formatRate(x: number): string {
  const rounded = Number(x.toPrecision(4));
  return rounded !== 0 && Math.abs(rounded) < 1e-3 ? rounded.toExponential() : String(rounded);
}

/**
 * `text` broken at spaces into lines of at most `width` columns, continuation lines indented as
 * the first; a word longer than a line is cut into pieces. For explanations that must not be cut off.
 */
export function wrapLine(text: string, columns: number): string[] {
  const width = Math.max(8, columns); // each cut line then keeps at least 6 new characters
  if (text.length <= width) return [text];
  const indent = /^ */.exec(text)?.[0].slice(0, Math.max(0, width - 8)) ?? '';
  const lines: string[] = [];
  let line = '';
  for (const word of text.trimStart().split(' ')) {
    const start = line === '' ? (lines.length === 0 ? indent : `${indent}  `) : `${line} `;
    if (line !== '' && start.length + word.length > width) {
      lines.push(line);
      line = '';
    }
    let piece = (line === '' ? (lines.length === 0 ? indent : `${indent}  `) : `${line} `) + word;
    while (piece.length > width) {
      lines.push(piece.slice(0, width));
      piece = `${indent}  ${piece.slice(width)}`;
    }
    line = piece;
  }
  lines.push(line);
  return lines;
}
