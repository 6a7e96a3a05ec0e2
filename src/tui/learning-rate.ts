import { parseDecimal } from '../io/number.js';

/** The 1-2-5 ladder that `+` and `-` walk: 1e-5, 2e-5, 5e-5, ... 0.1, 0.2, 0.5, 1, 2, 5, 10. */
export const LR_LADDER: readonly number[] = (() => {
  const steps: number[] = [];
  for (let exp = -5; exp <= 0; exp++) for (const m of [1, 2, 5]) steps.push(Number(`${m}e${exp}`));
  steps.push(10);
  return steps;
})();

const EPS = 1e-9;

/** The next ladder value above `lr`, or null at the top. */
export function lrUp(lr: number): number | null {
  return LR_LADDER.find((x) => x > lr * (1 + EPS)) ?? null;
}

/** The next ladder value below `lr`, or null at the bottom. */
export function lrDown(lr: number): number | null {
  for (let i = LR_LADDER.length - 1; i >= 0; i--) {
    const x = LR_LADDER[i];
    if (x < lr * (1 - EPS)) return x;
  }
  return null;
}

/** A typed learning rate, or an error message saying what is accepted. */
export function parseRate(text: string): number | string {
  const value = parseDecimal(text);
  if (!(Number.isFinite(value) && value > 0)) {
    return `learning rate must be a finite number > 0, like 0.05 or 1e-3 (got "${text}")`;
  }
  return value;
}
