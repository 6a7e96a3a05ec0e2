import { describe, expect, it } from 'vitest';
import { Value } from '../../src/engine/value.js';
import { SGD, constantLr, linearDecay } from '../../src/nn/optim.js';

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
});
