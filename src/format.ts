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

/** `1 epoch`, `2 epochs`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
