/** A plain decimal number as people type it: 3, -0.5, .5, 1e-3. No hex, no Infinity, no empty string. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when `text` (trimmed) is a plain decimal number. */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text.trim());
}

/** The value of a plain decimal number, or NaN for anything else (`Number('')` would give 0). */
export function parseDecimal(text: string): number {
  return isDecimal(text) ? Number(text) : Number.NaN;
}
