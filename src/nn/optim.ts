import type { Value } from '../engine/value.js';

/** A learning rate as a function of the step number k (0-based). */
export type Schedule = (k: number) => number;

export function constantLr(lr: number): Schedule {
  return () => lr;
}

/** From `start` at step 0 down to `end` at step `steps`, linearly, then `end`. */
export function linearDecay(start: number, end: number, steps: number): Schedule {
  return (k) => (k >= steps ? end : start - ((start - end) * k) / steps);
}

export interface SGDOptions {
  /** Fraction of the previous update carried into the next. Default 0: plain gradient descent. */
  momentum?: number;
}

/** Gradient descent: p.data -= lr * p.grad, or with momentum v = momentum * v + grad, p.data -= lr * v. */
export class SGD {
  readonly params: readonly Value[];
  readonly momentum: number;
  private readonly velocity: Float64Array;

  constructor(params: readonly Value[], options: SGDOptions = {}) {
    const { momentum = 0 } = options;
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
    this.params = params;
    this.momentum = momentum;
    this.velocity = new Float64Array(params.length);
  }

  step(lr: number): void {
    const { params, momentum, velocity } = this;
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as Value;
      if (momentum === 0) {
        p.data -= lr * p.grad;
      } else {
        const v = momentum * (velocity[i] as number) + p.grad;
        velocity[i] = v;
        p.data -= lr * v;
      }
    }
  }

  /** Forget the accumulated velocity (after the parameters were reset). */
  reset(): void {
    this.velocity.fill(0);
  }
}
