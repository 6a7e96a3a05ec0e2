import { describe, expect, it } from 'vitest';
import { Value } from '../../src/engine/value.js';
import { Adam, SGD, constantLr, cosineDecay, linearDecay, makeOptimizer, scheduleFor, stepDecay } from '../../src/nn/optim.js';

function withGrads(data: number[], grads: number[]): Value[] {
  return data.map((d, i) => {
    const v = new Value(d);
    v.grad = grads[i]!;
    return v;
  });
}

describe('SGD without momentum', () => {
  it('moves each parameter by -lr * grad', () => {
    const ps = withGrads([1, -2, 0.5], [0.5, -1, 0]);
    new SGD(ps).step(0.1);
    expect(ps.map((p) => p.data)).toEqual([1 - 0.1 * 0.5, -2 + 0.1, 0.5]);
  });

  it('leaves the gradients alone', () => {
    const ps = withGrads([1, 2], [3, 4]);
    new SGD(ps).step(0.5);
    expect(ps.map((p) => p.grad)).toEqual([3, 4]);
  });

  it('uses only the current gradient on each step', () => {
    const ps = withGrads([0], [1]);
    const opt = new SGD(ps);
    opt.step(1);
    opt.step(1);
    expect(ps[0]!.data).toBe(-2);
    expect(opt.momentum).toBe(0);
  });

  it('minimises a quadratic together with backward()', () => {
    const x = new Value(5);
    const opt = new SGD([x]);
    for (let k = 0; k < 100; k++) {
      x.grad = 0;
      x.sub(3).pow(2).backward();
      opt.step(0.1);
    }
    expect(x.data).toBeCloseTo(3, 8);
  });
});

describe('SGD with momentum', () => {
  it('carries the velocity v = momentum * v + grad into each update', () => {
    const [p] = withGrads([1], [2]);
    const opt = new SGD([p!], { momentum: 0.9 });
    opt.step(0.1); // v = 2, p = 1 - 0.2
    expect(p!.data).toBeCloseTo(0.8, 15);
    p!.grad = 1;
    opt.step(0.1); // v = 0.9 * 2 + 1 = 2.8, p = 0.8 - 0.28
    expect(p!.data).toBeCloseTo(0.52, 15);
    p!.grad = 0;
    opt.step(0.1); // v = 2.52, p = 0.52 - 0.252
    expect(p!.data).toBeCloseTo(0.268, 15);
  });

  it('keeps a separate velocity per parameter', () => {
    const ps = withGrads([0, 0], [1, -1]);
    const opt = new SGD(ps, { momentum: 0.5 });
    opt.step(1);
    opt.step(1);
    expect(ps.map((p) => p.data)).toEqual([-2.5, 2.5]);
  });

  it('forgets the velocity on reset()', () => {
    const ps = withGrads([0], [1]);
    const opt = new SGD(ps, { momentum: 0.5 });
    opt.step(1);
    opt.reset();
    ps[0]!.data = 0;
    opt.step(1);
    expect(ps[0]!.data).toBe(-1);
  });

  it('rejects a momentum outside [0, 1)', () => {
    for (const momentum of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => new SGD([], { momentum })).toThrow(/momentum must be in \[0, 1\)/);
    }
  });
});

describe('Adam', () => {
  it('takes a first step of lr times the sign of the gradient (the bias correction undoes the zero start)', () => {
    const ps = withGrads([1, 1, 1], [0.5, -3, 1e-3]);
    new Adam(ps).step(0.1);
    // m̂ = g, v̂ = g²: the update is lr * g / (|g| + 1e-8).
    expect(ps.map((p) => p.data)).toEqual([1 - (0.1 * 0.5) / (0.5 + 1e-8), 1 + (0.1 * 3) / (3 + 1e-8), 1 - (0.1 * 1e-3) / (1e-3 + 1e-8)]);
  });

  it('follows m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g² with bias corrections, by hand for two steps', () => {
    const [p] = withGrads([0], [2]);
    const opt = new Adam([p!]);
    opt.step(0.01);
    p!.grad = -1;
    opt.step(0.01);
    const m = 0.9 * (0.1 * 2) + 0.1 * -1;
    const v = 0.999 * (0.001 * 4) + 0.001 * 1;
    const second = (0.01 * (m / (1 - 0.9 ** 2))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(p!.data).toBeCloseTo(0 - (0.01 * 2) / (2 + 1e-8) - second, 15);
    expect(opt.state().steps).toBe(2);
  });

  it('previews an update with the moments\' own line: m and v before and after, with this grad', () => {
    const ps = withGrads([1], [0.5]);
    const adam = new Adam(ps);
    adam.step(0.1);
    const [preview] = adam.preview([-2], 0.1);
    const m0 = adam.state().buffers.m![0]!;
    const v0 = adam.state().buffers.v![0]!;
    ps[0]!.grad = -2;
    adam.step(0.1);
    const { m, v } = adam.state().buffers;
    const p = (x: number): string => String(Number(x.toPrecision(4)));
    expect(preview?.terms).toBe(
      `m = 0.9 · ${p(m0)} + 0.1 · (-2) = ${p(m![0]!)}, v = 0.999 · ${p(v0)} + 0.001 · (-2)^2 = ${p(v![0]!)}: means of grad, grad^2; ` +
        'm_hat = m / (1 - 0.9^2), v_hat = v / (1 - 0.999^2)',
    );
    expect(preview?.after).toBe(ps[0]!.data);
    expect(new SGD(withGrads([1], [1]), { momentum: 0.9 }).preview([1], 0.1)[0]?.terms).toBeUndefined(); // its v is in its rule's numbers
  });

  it('minimises a quadratic together with backward()', () => {
    const x = new Value(5);
    const opt = new Adam([x]);
    for (let k = 0; k < 2000; k++) {
      x.grad = 0;
      x.sub(3).pow(2).backward();
      opt.step(0.05);
    }
    expect(x.data).toBeCloseTo(3, 4);
  });
});

describe('optimiser state', () => {
  it.each([
    ['sgd with momentum', () => makeOptimizer('sgd', withGrads([1, 2], [0.3, -0.2]), 0.9)],
    ['adam', () => makeOptimizer('adam', withGrads([1, 2], [0.3, -0.2]))],
  ])('%s continues exactly from a copy of its state', (_, make) => {
    const straight = make();
    const copy = make();
    for (let k = 0; k < 3; k++) {
      straight.step(0.1);
      copy.step(0.1);
    }
    const resumed = make();
    resumed.params.forEach((p, i) => (p.data = copy.params[i]!.data));
    resumed.setState(copy.state());
    straight.step(0.1);
    resumed.step(0.1);
    expect(resumed.params.map((p) => p.data)).toEqual(straight.params.map((p) => p.data));
    expect(resumed.state()).toEqual(straight.state());
  });

  it('state() is a copy, and reset() forgets everything', () => {
    const opt = makeOptimizer('adam', withGrads([1], [1]));
    opt.step(0.1);
    const saved = opt.state();
    opt.step(0.1);
    expect(saved.steps).toBe(1);
    expect(opt.state().buffers.m).not.toEqual(saved.buffers.m);
    opt.reset();
    expect(opt.state()).toEqual({ steps: 0, buffers: { m: new Float64Array(1), v: new Float64Array(1) } });
  });

  it('refuses a state of another kind or size', () => {
    const sgd = makeOptimizer('sgd', withGrads([1, 2], [0, 0]), 0.5);
    expect(() => sgd.setState(makeOptimizer('adam', withGrads([1, 2], [0, 0])).state())).toThrow('optimiser state must have velocity of 2 numbers each');
    expect(() => sgd.setState({ steps: 0, buffers: { velocity: new Float64Array(3) } })).toThrow(RangeError);
    expect(() => sgd.setState({ steps: -1, buffers: { velocity: new Float64Array(2) } })).toThrow('optimiser steps must be an integer >= 0, got -1');
  });
});

describe('learning-rate schedules', () => {
  it('constantLr gives the same rate at every step', () => {
    const lr = constantLr(0.05);
    expect([0, 1, 10, 1e6].map(lr)).toEqual([0.05, 0.05, 0.05, 0.05]);
  });

  it('linearDecay goes from start at step 0 to end at step `steps`', () => {
    const lr = linearDecay(1.0, 0.1, 100);
    expect(lr(0)).toBe(1.0);
    expect(lr(50)).toBeCloseTo(0.55, 15);
    expect(lr(100)).toBe(0.1);
  });

  it('linearDecay stays at end after `steps`', () => {
    const lr = linearDecay(1.0, 0.1, 100);
    expect(lr(101)).toBe(0.1);
    expect(lr(1000)).toBe(0.1);
  });

  it('linearDecay(1.0, 0.1, 100) is exactly 1.0 - 0.9 * k / 100, the reference workload schedule', () => {
    const lr = linearDecay(1.0, 0.1, 100);
    for (let k = 0; k < 100; k++) expect(lr(k)).toBe(1.0 - (0.9 * k) / 100);
  });

  it('linearDecay decreases step by step', () => {
    const lr = linearDecay(0.5, 0.01, 20);
    for (let k = 1; k <= 20; k++) expect(lr(k)).toBeLessThan(lr(k - 1));
  });

  it('cosineDecay follows half a cosine from start to end: hand-computed points', () => {
    const lr = cosineDecay(1, 0, 100);
    expect(lr(0)).toBe(1);
    expect(lr(25)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 15); // 0.8535...
    expect(lr(50)).toBeCloseTo(0.5, 15);
    expect(lr(100)).toBe(0);
    expect(cosineDecay(1, 0.2, 10)(5)).toBeCloseTo(0.6, 15);
  });

  it('stepDecay halves every `every` steps', () => {
    const lr = stepDecay(0.8, 10);
    expect([0, 9, 10, 19, 20, 25, 30].map(lr)).toEqual([0.8, 0.8, 0.4, 0.4, 0.2, 0.2, 0.1]);
  });

  it('scheduleFor runs a schedule over the epoch target: a larger target stretches it', () => {
    expect(scheduleFor({ kind: 'constant' }, 0.3, 10)(7)).toBe(0.3);
    expect(scheduleFor({ kind: 'linear', final: 0.1 }, 1, 100)(50)).toBeCloseTo(0.55, 15);
    expect(scheduleFor({ kind: 'linear', final: 0.1 }, 1, 200)(50)).toBeCloseTo(0.775, 15);
    expect(scheduleFor({ kind: 'linear' }, 1, 4)(3)).toBe(0.25); // to 0 by default
    expect(scheduleFor({ kind: 'cosine', final: 0 }, 2, 10)(5)).toBeCloseTo(1, 15);
    expect(scheduleFor({ kind: 'step', every: 3 }, 1, 100)(7)).toBe(0.25);
    expect(scheduleFor({ kind: 'step' }, 1, 1000)(250)).toBe(0.25); // every 100 epochs by default
  });
});
