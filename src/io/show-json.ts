/**
 * A value read from a JSON file, as an error message quotes it: scalars as JSON, clipped to 20
 * characters; arrays and objects by their kind only, never walked, since a hostile file may nest
 * them thousands deep (JSON.stringify would overflow the stack).
 */
export function showJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = JSON.stringify(value);
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}
