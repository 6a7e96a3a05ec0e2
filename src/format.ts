/** Numbers as the front ends print them: the same figure reads the same in the UI and headless. */

/** `digits` significant digits, in scientific notation when tiny or huge: 3.255, 1.235e-4, 2.2e+250. */
export function formatLoss(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

/** A fraction as a percentage rounded down, so that 100% means every sample. */
export function formatPercent(x: number, decimals = 0): string {
  const scale = 10 ** decimals;
  return `${(Math.floor(100 * scale * x + 1e-9) / scale).toFixed(decimals)}%`;
}

/** R² to 4 decimals (1.0000 is a perfect fit); a fit far worse than the mean in scientific notation. */
export function formatR2(r2: number): string {
  return Math.abs(r2) < 1000 ? r2.toFixed(4) : r2.toExponential(2);
}

/** `1 epoch`, `2 epochs`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A number inside a formula a learner reads: at most 4 significant digits without trailing zeros
 * (0.7616, -0.07, 1, 3.2e-5), so that `(1 - 0.7616^2) · -0.2` stays short.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e6) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** formatNumber, bracketed when negative: for a number after an operator, `0.1 · (-3.771)`. */
export function formatOperand(x: number): string {
  const s = formatNumber(x);
  return s.startsWith('-') ? `(${s})` : s;
}
