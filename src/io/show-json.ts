import { clip } from './one-line.js';

/**
 * A value read from a JSON file, as an error message quotes it: scalars as JSON, clipped to 20
 * characters; arrays and objects by their kind only, never walked, since a hostile file may nest
 * them thousands deep (JSON.stringify would overflow the stack).
 */
export function showJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return clip(JSON.stringify(value));
}
