import { Value } from '../engine/value.js';
import { formatNumber as n, formatOperand as o } from '../format.js';

/** A learning rate as a function of the step number k (0-based). */
export type Schedule = (k: number) => number;

export function constantLr(lr: number): Schedule {
  return () => lr;
}

/** From `start` at step 0 down to `end` at step `steps`, linearly, then `end`. */
export function linearDecay(start: number, end: number, steps: number): Schedule {
  return (k) => (k >= steps ? end : start - ((start - end) * k) / steps);
}

/** Half a cosine from `start` at step 0 down to `end` at step `steps`, then `end`. */
export function cosineDecay(start: number, end: number, steps: number): Schedule {
  return (k) => (k >= steps ? end : end + ((start - end) * (1 + Math.cos((Math.PI * k) / steps))) / 2);
}

/** `start`, halved every `every` steps. */
export function stepDecay(start: number, every: number): Schedule {
  return (k) => start * 0.5 ** Math.floor(k / every);
}

/** How a run's learning rate moves over its epochs (see `scheduleFor`). */
export type ScheduleName = 'constant' | 'linear' | 'cosine' | 'step';

export const SCHEDULES: readonly ScheduleName[] = ['constant', 'linear', 'cosine', 'step'];

/** A run's schedule: its kind, the rate linear and cosine end at, and how often step halves. */
export interface ScheduleSpec {
  kind: ScheduleName;
  /** linear and cosine: the rate they head for, reached at step `epochs` (one past the target's last epoch; default 0). */
  final?: number;
  /** step: halve every this many epochs (default DEFAULT_LR_STEP). */
  every?: number;
}

export const DEFAULT_LR_STEP = 100;

/**
 * The rate of each epoch k (0-based) of a run of `epochs` epochs that starts at `base`: the
 * schedule runs over the epoch target, so a larger target stretches it.
 */
export function scheduleFor(spec: ScheduleSpec, base: number, epochs: number): Schedule {
  const final = spec.final ?? 0;
  switch (spec.kind) {
    case 'constant':
      return constantLr(base);
    case 'linear':
      return linearDecay(base, final, epochs);
    case 'cosine':
      return cosineDecay(base, final, epochs);
    case 'step':
      return stepDecay(base, spec.every ?? DEFAULT_LR_STEP);
  }
}

export type OptimizerName = 'sgd' | 'adam';

export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];

/**
 * What an optimiser carries from one update to the next, one number per parameter in each buffer
 * (SGD with momentum: `velocity`; Adam: `m` and `v`), and the number of updates taken. A resumed
 * run needs it to continue exactly as the run that never stopped.
 */
export interface OptimizerState {
  steps: number;
  buffers: Record<string, Float64Array>;
}

/** Updates parameters from their gradients: the one place the update rules live. */
export interface Optimizer {
  readonly params: readonly Value[];
  /** One update of every parameter from its gradient, at learning rate `lr`. */
  step(lr: number): void;
  /** Forget everything carried between updates (after the parameters were reset). */
  reset(): void;
  /** A copy of what is carried between updates. */
  state(): OptimizerState;
  /** Take on a state from `state()` of an optimiser of the same kind and size; throws a RangeError otherwise. */
  setState(state: OptimizerState): void;
  /** Write what is carried between updates into `into`, an earlier `state()` of this optimiser, without allocating. */
  copyStateInto(into: OptimizerState): void;
  /**
   * What `step(lr)` would do if the grads were `grads`, without doing it: each parameter's update
   * and its rule; with `indices`, only those parameters' (in that order).
   */
  preview(grads: ArrayLike<number>, lr: number, indices?: readonly number[]): UpdatePreview[];
}

/** One parameter's update as the optimiser would make it, for a learner: its rule and numbers. */
export interface UpdatePreview {
  before: number;
  after: number;
  /** The rule in symbols: `p - lr · grad`. */
  formula: string;
  /** The rule with this parameter's numbers: `0.1234 - 0.1 · 0.034`. */
  numbers: string;
  /** How the rule's running terms take this grad, with the numbers (Adam's m and v), when the rule has its own line for them. */
  terms?: string;
}

export interface SGDOptions {
  /** Fraction of the previous update carried into the next. Default 0: plain gradient descent. */
  momentum?: number;
}

/**
 * Holds named per-parameter buffers and the update count, and copies them in and out: what SGD
 * and Adam share.
 */
abstract class Buffered implements Optimizer {
  protected steps = 0;
  protected readonly buffers: Record<string, Float64Array>;

  constructor(
    readonly params: readonly Value[],
    names: readonly string[],
  ) {
    this.buffers = Object.fromEntries(names.map((n) => [n, new Float64Array(params.length)]));
  }

  abstract step(lr: number): void;

  /** The same optimiser on other parameters, with nothing carried yet. */
  protected abstract twin(params: readonly Value[]): Buffered;

  /** Parameter i's rule with its numbers, given the state before (`this`) and after (`after(buffer)`, its number once updated) the update. */
  protected abstract describe(i: number, before: number, grad: number, lr: number, after: (buffer: string) => number): Omit<UpdatePreview, 'before' | 'after'>;

  /** The buffer `name` at parameter i. */
  protected at(name: string, i: number): number {
    return this.buffers[name]?.[i] ?? 0;
  }

  /**
   * Runs `step` itself on copies of the parameters that hold `grads`, from a copy of the state:
   * the preview is the update, not a second copy of its formula.
   */
  preview(grads: ArrayLike<number>, lr: number, indices?: readonly number[]): UpdatePreview[] {
    const which = indices ?? this.params.map((_, i) => i);
    const copies = which.map((i) => {
      const c = new Value(this.params[i].data);
      c.grad = grads[i];
      return c;
    });
    // Every rule updates each parameter from its own numbers alone: a twin of the chosen ones, with their part of the state.
    const twin = this.twin(copies);
    const buffers = Object.fromEntries(Object.entries(this.buffers).map(([name, b]) => [name, Float64Array.from(which, (i) => b[i])]));
    twin.setState({ steps: this.steps, buffers });
    twin.step(lr);
    return copies.map((c, k) => {
      const i = which[k];
      const before = this.params[i].data;
      return { before, after: c.data, ...this.describe(i, before, grads[i], lr, (buffer) => twin.at(buffer, k)) };
    });
  }

  reset(): void {
    this.steps = 0;
    for (const b of Object.values(this.buffers)) b.fill(0);
  }

  state(): OptimizerState {
    return { steps: this.steps, buffers: Object.fromEntries(Object.entries(this.buffers).map(([n, b]) => [n, b.slice()])) };
  }

  copyStateInto(into: OptimizerState): void {
    into.steps = this.steps;
    for (const name in this.buffers) into.buffers[name].set(this.buffers[name]);
  }

  setState(state: OptimizerState): void {
    const names = Object.keys(this.buffers);
    const given = Object.keys(state.buffers);
    if (given.length !== names.length || !names.every((n) => state.buffers[n]?.length === this.params.length)) {
      throw new RangeError(`optimiser state must have ${names.join(', ') || 'no buffers'} of ${this.params.length} numbers each`);
    }
    if (!Number.isInteger(state.steps) || state.steps < 0) throw new RangeError(`optimiser steps must be an integer >= 0, got ${state.steps}`);
    this.steps = state.steps;
    for (const n of names) this.buffers[n].set(state.buffers[n]);
  }
}

/** Gradient descent: p.data -= lr * p.grad, or with momentum v = momentum * v + grad, p.data -= lr * v. */
export class SGD extends Buffered {
  readonly momentum: number;

  constructor(params: readonly Value[], options: SGDOptions = {}) {
    const { momentum = 0 } = options;
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`momentum must be in [0, 1), got ${momentum}`);
    super(params, momentum === 0 ? [] : ['velocity']);
    this.momentum = momentum;
  }

  protected twin(params: readonly Value[]): SGD {
    return new SGD(params, { momentum: this.momentum });
  }

  protected describe(i: number, before: number, grad: number, lr: number, after: (buffer: string) => number): Omit<UpdatePreview, 'before' | 'after'> {
    if (this.momentum === 0) return { formula: 'p - lr · grad', numbers: `${n(before)} - ${o(lr)} · ${o(grad)}` };
    const v = after('velocity');
    return {
      formula: 'p - lr · v, v = momentum · v + grad',
      numbers: `${n(before)} - ${o(lr)} · ${o(v)}, v = ${n(this.momentum)} · ${o(this.at('velocity', i))} + ${o(grad)}`,
    };
  }

  step(lr: number): void {
    const { params, momentum } = this;
    const velocity = this.buffers.velocity;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (velocity === undefined) {
        p.data -= lr * p.grad;
      } else {
        const v = momentum * velocity[i] + p.grad;
        velocity[i] = v;
        p.data -= lr * v;
      }
    }
    this.steps++;
  }
}

export interface AdamOptions {
  /** Decay of the running mean of gradients. Default 0.9. */
  beta1?: number;
  /** Decay of the running mean of squared gradients. Default 0.999. */
  beta2?: number;
  /** Added to the root of the second moment so that a zero gradient does not divide by zero. Default 1e-8. */
  epsilon?: number;
}

/**
 * Adam (Kingma and Ba, 2015): m = b1*m + (1-b1)*g, v = b2*v + (1-b2)*g², then with the bias
 * corrections m̂ = m/(1-b1^t), v̂ = v/(1-b2^t) at update t: p.data -= lr * m̂ / (√v̂ + ε).
 */
export class Adam extends Buffered {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(params: readonly Value[], options: AdamOptions = {}) {
    super(params, ['m', 'v']);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
    for (const [name, b] of [['beta1', beta1], ['beta2', beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new RangeError(`${name} must be in [0, 1), got ${b}`);
    }
    if (!(epsilon > 0)) throw new RangeError(`epsilon must be > 0, got ${epsilon}`);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  protected twin(params: readonly Value[]): Adam {
    return new Adam(params, { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon });
  }

  protected describe(i: number, before: number, grad: number, lr: number, after: (buffer: string) => number): Omit<UpdatePreview, 'before' | 'after'> {
    const { beta1, beta2 } = this;
    const t = this.steps + 1;
    const m = after('m');
    const v = after('v');
    return {
      formula: 'p - lr · m_hat / (sqrt(v_hat) + eps)',
      numbers: `${n(before)} - ${o(lr)} · ${o(m / (1 - beta1 ** t))} / (sqrt(${n(v / (1 - beta2 ** t))}) + ${n(this.epsilon)})`,
      // The running means of grad and grad^2, then their bias correction at update t.
      terms:
        `m = ${n(beta1)} · ${o(this.at('m', i))} + ${n(1 - beta1)} · ${o(grad)} = ${n(m)}, ` +
        `v = ${n(beta2)} · ${o(this.at('v', i))} + ${n(1 - beta2)} · ${o(grad)}^2 = ${n(v)}: means of grad, grad^2; ` +
        `m_hat = m / (1 - ${n(beta1)}^${t}), v_hat = v / (1 - ${n(beta2)}^${t})`,
    };
  }

  step(lr: number): void {
    const { params, beta1, beta2, epsilon } = this;
    const m = this.buffers.m;
    const v = this.buffers.v;
    const t = ++this.steps;
    const correct1 = 1 - beta1 ** t;
    const correct2 = 1 - beta2 ** t;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const g = p.grad;
      const mi = beta1 * m[i] + (1 - beta1) * g;
      const vi = beta2 * v[i] + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      p.data -= (lr * (mi / correct1)) / (Math.sqrt(vi / correct2) + epsilon);
    }
  }
}

/** The optimiser a run names: SGD (with `momentum`, 0 for plain descent) or Adam with its usual defaults. */
export function makeOptimizer(name: OptimizerName, params: readonly Value[], momentum = 0): Optimizer {
  return name === 'adam' ? new Adam(params) : new SGD(params, { momentum });
}
