import { describe, expect, it } from 'vitest';
import { Value } from '../../src/engine/value.js';
import {
  LOSSES,
  accuracy,
  argmax,
  batchLoss,
  classAccuracy,
  crossEntropy,
  softmax,
  binaryCrossEntropy,
  hingeLoss,
  l2Regularization,
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

describe('LOSSES', () => {
  it('says what targets each loss scores', () => {
    expect(Object.keys(LOSSES).sort()).toEqual(['bce', 'ce', 'hinge', 'mse', 'sse']);
    expect(LOSSES.hinge.targets).toBe('binary');
    expect(LOSSES.bce.targets).toBe('binary');
    expect(LOSSES.sse.targets).toBe('any');
    expect(LOSSES.mse.targets).toBe('any');
    expect(LOSSES.ce.targets).toBe('classes');
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

describe('softmax cross-entropy (ce)', () => {
  /** The loss and the gradient of each score, for one sample's scores and class. */
  function ce(scores: number[], y: number) {
    const vs = scores.map((z) => new Value(z));
    const loss = crossEntropy([vs], [y]);
    loss.backward();
    return { value: loss.data, grads: vs.map((v) => v.grad) };
  }

  /** -log softmax(z)[y] and softmax(z) - onehot(y), worked out by hand (plain exp: small scores only). */
  function byHand(z: number[], y: number) {
    const e = z.map(Math.exp);
    const total = e.reduce((a, b) => a + b, 0);
    return { value: -Math.log((e[y] as number) / total), grads: e.map((x, k) => x / total - (k === y ? 1 : 0)) };
  }

  it('is -log softmax[class], with gradient softmax - onehot, as worked out by hand', () => {
    for (const [z, y] of [
      [[1, 2, 3], 0],
      [[0.5, -1.25, 2, 0.1], 2],
      [[-3, -3, -3], 1], // equal scores: the max's relu chain sits on its kinks
      [[2, 2, -1], 0],
    ] as [number[], number][]) {
      const got = ce(z, y);
      const want = byHand(z, y);
      expect(got.value).toBeCloseTo(want.value, 14);
      got.grads.forEach((g, k) => expect(g).toBeCloseTo(want.grads[k] as number, 14));
    }
    expect(ce([0, 0, 0], 2).value).toBeCloseTo(Math.log(3), 15);
  });

  it('matches central finite differences', () => {
    const z = [0.3, -0.7, 1.1, 0.2];
    const h = 1e-6;
    const { grads } = ce(z, 3);
    z.forEach((_, k) => {
      const at = (d: number) => ce(z.map((v, j) => (j === k ? v + d : v)), 3).value;
      expect(grads[k]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 8);
    });
  });

  it('does not overflow on large scores: the max is taken off before exp', () => {
    const { value, grads } = ce([1000, 990, -1000], 1);
    expect(value).toBeCloseTo(10 + Math.log(1 + Math.exp(-10)), 10);
    expect(grads.every(Number.isFinite)).toBe(true);
    expect(grads[0]).toBeCloseTo(1 / (1 + Math.exp(-10)), 12);
    expect(ce([800, -800, 0], 0).value).toBeCloseTo(0, 12);
  });

  it('is the mean over the samples, and its targets are one-hot', () => {
    const a = [1, 2, 0.5].map((z) => new Value(z));
    const b = [0, -1, 3].map((z) => new Value(z));
    expect(crossEntropy([a, b], [2, 0]).data).toBeCloseTo((byHand([1, 2, 0.5], 2).value + byHand([0, -1, 3], 0).value) / 2, 14);
    expect(LOSSES.ce.targetNumbers(1, 3)).toEqual([0, 1, 0]);
    expect(softmax([1, 2, 3]).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 15);
  });

  it('squared errors over K outputs score against the one-hot target', () => {
    const outs = [0.2, 0.9, -0.1].map((z) => new Value(z));
    expect(batchLoss('sse', [outs], [1]).data).toBeCloseTo(0.2 ** 2 + 0.1 ** 2 + 0.1 ** 2, 15);
  });

  it('accuracy of K classes is by the largest score', () => {
    expect(argmax([0.1, 0.7, 0.2])).toBe(1);
    expect(argmax([0.5, 0.5, 0.1])).toBe(0);
    expect(classAccuracy([[1, 0, 0], [0, 0, 2], [0, 3, 1]], [0, 1, 1])).toBeCloseTo(2 / 3, 15);
  });
});
