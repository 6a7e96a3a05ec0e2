import { describe, expect, it } from 'vitest';
import { Value } from '../../src/engine/value.js';
import {
  LOSSES,
  accuracy,
  binaryCrossEntropy,
  hingeLoss,
  l2Regularization,
  lossFunction,
  meanSquaredError,
  sumSquaredError,
} from '../../src/nn/loss.js';

const leaves = (xs: number[]): Value[] => xs.map((x) => new Value(x));

/** The loss's value and the gradient it gives each output. */
function evaluate(loss: (o: readonly Value[], t: readonly number[]) => Value, outputs: number[], targets: number[]) {
  const vs = leaves(outputs);
  const l = loss(vs, targets);
  l.backward();
  return { value: l.data, grads: vs.map((v) => v.grad) };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('sumSquaredError', () => {
  it('sums (output - target)^2 and gives 2 (output - target) as gradient', () => {
    const { value, grads } = evaluate(sumSquaredError, [0.5, -1, 2], [1, -1, 0]);
    expect(value).toBe(0.25 + 0 + 4);
    expect(grads).toEqual([-1, 0, 4]);
  });

  it('is 0 when every output hits its target', () => {
    expect(evaluate(sumSquaredError, [1, -1], [1, -1]).value).toBe(0);
  });
});

describe('meanSquaredError', () => {
  it('averages (output - target)^2 and gives 2 (output - target) / n as gradient', () => {
    const { value, grads } = evaluate(meanSquaredError, [0.5, -1, 2, 3], [1, -1, 0, 3]);
    expect(value).toBeCloseTo(4.25 / 4, 15);
    expect(grads[0]).toBeCloseTo(-1 / 4, 15);
    expect(grads[1]).toBe(0);
    expect(grads[2]).toBeCloseTo(4 / 4, 15);
    expect(grads[3]).toBe(0);
  });
});

describe('hingeLoss', () => {
  it('averages max(0, 1 - y * score) and gives -y / n where the margin is violated', () => {
    // margins 1 - y s: -1, 0.5, 1.3, -1
    const { value, grads } = evaluate(hingeLoss, [2, 0.5, -0.3, -2], [1, 1, 1, -1]);
    expect(value).toBeCloseTo((0.5 + 1.3) / 4, 15);
    expect(grads).toEqual([0, -0.25, -0.25, 0]);
  });

  it('pushes a negative sample with a high score down', () => {
    const { value, grads } = evaluate(hingeLoss, [0.5], [-1]);
    expect(value).toBe(1.5);
    expect(grads).toEqual([1]);
  });

  it('is 0 when every sample is beyond the margin', () => {
    const { value, grads } = evaluate(hingeLoss, [1.5, -3], [1, -1]);
    expect(value).toBe(0);
    expect(grads).toEqual([0, 0]);
  });
});

describe('binaryCrossEntropy', () => {
  it('averages log(1 + exp(-y * score)) with gradient -y sigmoid(-y * score) / n', () => {
    const { value, grads } = evaluate(binaryCrossEntropy, [0, 2], [1, -1]);
    expect(value).toBeCloseTo((Math.log(2) + Math.log(1 + Math.exp(2))) / 2, 14);
    expect(grads[0]).toBeCloseTo(-0.5 / 2, 14);
    expect(grads[1]).toBeCloseTo(sigmoid(2) / 2, 14);
  });

  it('equals the cross-entropy of sigmoid(score) against labels mapped to 0/1', () => {
    const scores = [-2.5, -0.3, 0.7, 4];
    const labels = [1, -1, 1, -1];
    const ce = scores.map((s, i) => {
      const p = sigmoid(s);
      const t = (labels[i]! + 1) / 2;
      return -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
    });
    const expected = ce.reduce((a, b) => a + b, 0) / ce.length;
    expect(evaluate(binaryCrossEntropy, scores, labels).value).toBeCloseTo(expected, 12);
  });

  it('stays finite, with gradient -y, for a confidently wrong score', () => {
    const { value, grads } = evaluate(binaryCrossEntropy, [-1000, 800], [1, -1]);
    expect(value).toBeCloseTo((1000 + 800) / 2, 9);
    expect(grads[0]).toBeCloseTo(-0.5, 12);
    expect(grads[1]).toBeCloseTo(0.5, 12);
  });

  it('is near 0, with a near-0 gradient, for a confidently right score', () => {
    const { value, grads } = evaluate(binaryCrossEntropy, [1000, -800], [1, -1]);
    expect(value).toBe(0);
    expect(grads[0]).toBeCloseTo(0, 300);
    expect(grads[1]).toBeCloseTo(0, 300);
  });
});

describe('l2Regularization', () => {
  it('is alpha * sum of p^2 with gradient 2 alpha p', () => {
    const ps = leaves([1, -2, 3]);
    const reg = l2Regularization(ps, 0.1);
    reg.backward();
    expect(reg.data).toBeCloseTo(1.4, 15);
    expect(ps.map((p) => p.grad)).toEqual([0.2, -0.4, expect.closeTo(0.6, 15)]);
  });

  it('adds to a data loss so that both gradients reach a shared parameter', () => {
    const w = new Value(0.5);
    const loss = sumSquaredError([w.mul(2)], [0]).add(l2Regularization([w], 0.01));
    loss.backward();
    // d/dw [(2w)^2 + 0.01 w^2] = 8w + 0.02w
    expect(loss.data).toBeCloseTo(1 + 0.0025, 15);
    expect(w.grad).toBeCloseTo(4 + 0.01, 15);
  });
});

describe('loss argument checks', () => {
  const losses = [sumSquaredError, meanSquaredError, hingeLoss, binaryCrossEntropy];

  it('rejects a different number of outputs and targets', () => {
    for (const loss of losses) expect(() => loss(leaves([1, 2]), [1])).toThrow(/got 2 outputs for 1 targets/);
  });

  it('rejects an empty batch', () => {
    for (const loss of losses) expect(() => loss([], [])).toThrow(RangeError);
  });
});

describe('lossFunction and LOSSES', () => {
  it('maps each loss name to its function', () => {
    expect(lossFunction('sse')).toBe(sumSquaredError);
    expect(lossFunction('mse')).toBe(meanSquaredError);
    expect(lossFunction('hinge')).toBe(hingeLoss);
    expect(lossFunction('bce')).toBe(binaryCrossEntropy);
  });

  it('marks hinge and bce as classification losses and sse and mse as not', () => {
    expect(Object.keys(LOSSES).sort()).toEqual(['bce', 'hinge', 'mse', 'sse']);
    expect(LOSSES.hinge.classification).toBe(true);
    expect(LOSSES.bce.classification).toBe(true);
    expect(LOSSES.sse.classification).toBe(false);
    expect(LOSSES.mse.classification).toBe(false);
  });
});

describe('accuracy', () => {
  it('is the fraction of scores whose sign matches the label', () => {
    expect(accuracy([0.5, -0.2, 0.1, -3], [1, -1, -1, 1])).toBe(0.5);
    expect(accuracy([2, -2], [1, -1])).toBe(1);
    expect(accuracy([-2, 2], [1, -1])).toBe(0);
  });

  it('counts a score of exactly 0 as a negative prediction', () => {
    expect(accuracy([0, 0], [-1, 1])).toBe(0.5);
  });

  it('is 0 for no samples', () => {
    expect(accuracy([], [])).toBe(0);
  });
});
