import { UserError } from '../errors.js';

/** Epochs a second while playing; Infinity is `max`, as fast as training goes. */
export type Pace = number;

/** The ladder `<` and `>` walk, slowest first. */
export const PACES: readonly Pace[] = [1, 2, 5, 10, 20, 50, 100, 200, 500, Infinity];
/** Up to this pace every epoch gets its own frame; faster, several share one. */
export const OWN_FRAME_PACE = 20;
/** The largest pace --pace takes as a number (above it, use max). */
export const MAX_FINITE_PACE = 1000;

/** The next pace up the ladder, or null at max. */
export function paceUp(pace: Pace): Pace | null {
  return PACES.find((p) => p > pace) ?? null;
}

/** The next pace down the ladder, or null at the slowest. */
export function paceDown(pace: Pace): Pace | null {
  return [...PACES].reverse().find((p) => p < pace) ?? null;
}

/** `5/s`, `0.5/s` or `max`. */
export function formatPace(pace: Pace): string {
  return Number.isFinite(pace) ? `${Number(pace.toPrecision(3))}/s` : 'max';
}

/** `--pace N|max`: epochs a second, more than 0 and at most MAX_FINITE_PACE, or max. */
export function parsePace(text: string): Pace {
  if (text.trim() === 'max') return Infinity;
  const x = /^\s*(\d+\.?\d*|\.\d+)\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(x > 0 && x <= MAX_FINITE_PACE)) {
    throw new UserError(`--pace must be a number of epochs a second from more than 0 to ${MAX_FINITE_PACE}, or max (got "${text}")`);
  }
  return x;
}
