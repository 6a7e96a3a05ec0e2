import { describe, expect, it } from 'vitest';
import { ColumnTape } from '../../src/engine/column-tape.js';
import { Value } from '../../src/engine/value.js';
import { MLP } from '../../src/nn/mlp.js';

/**
 * Softmax cross-entropy over K outputs for a one-hot target, without a branch on the data:
 * log(sum exp(z_k - m)) + m - sum onehot_k z_k, with m = max z built from relu
 * (max(a, b) = a + relu(b - a)). The kind of term a K-class loss gives the tape.
 */
function crossEntropy(z: readonly Value[], oneHot: readonly Value[]): Value {
  let m = z[0] as Value;
  for (let k = 1; k < z.length; k++) m = m.add((z[k] as Value).sub(m).relu());
  let total = (z[0] as Value).sub(m).exp();
  for (let k = 1; k < z.length; k++) total = total.add((z[k] as Value).sub(m).exp());
  let picked = (z[0] as Value).mul(oneHot[0] as Value);
  for (let k = 1; k < z.length; k++) picked = picked.add((z[k] as Value).mul(oneHot[k] as Value));
  return total.log().add(m).sub(picked);
}

const POINTS = [
  [0.3, -1.2],
  [2.5, 0.7],
  [-1.1, -0.4],
  [0.0, 0.0],
  [40, -35], // large scores: the max keeps exp finite
];
const CLASSES = [0, 2, 1, 1, 2];
const K = 3;

function columns(): Float64Array[] {
  const inputs = [0, 1].map((j) => Float64Array.from(POINTS, (p) => p[j] as number));
  const oneHot = Array.from({ length: K }, (_, k) => Float64Array.from(CLASSES, (c) => (c === k ? 1 : 0)));
  return [...inputs, ...oneHot];
}

describe('ColumnTape', () => {
  it('replays a K-output model with a softmax cross-entropy term: terms and gradients as the Value graph gives them', () => {
    const model = new MLP(2, [5, K], { activation: 'tanh', outputActivation: 'linear', seed: 3 });
    const params = model.parameters();
    const x = [new Value(0), new Value(0)];
    const oneHot = Array.from({ length: K }, () => new Value(0));
    const outputs = model.forward(x);
    const tape = new ColumnTape({ columns: [...x, ...oneHot], params, outputs, term: crossEntropy(outputs, oneHot) });
    model.zeroGrad();
    tape.forward(columns(), POINTS.length);
    tape.backward(1);
    const tapeGrads = params.map((p) => p.grad);
    const tapeTerms = Array.from(tape.term());

    model.zeroGrad();
    const terms = POINTS.map((p, s) => {
      const z = model.forward(p);
      return crossEntropy(z, Array.from({ length: K }, (_, k) => new Value(CLASSES[s] === k ? 1 : 0)));
    });
    let sum = terms[0] as Value;
    for (let s = 1; s < terms.length; s++) sum = sum.add(terms[s] as Value);
    sum.backward();

    expect(tapeTerms).toEqual(terms.map((t) => t.data));
    expect(tapeTerms.every(Number.isFinite)).toBe(true);
    const scale = Math.max(...params.map((p) => Math.abs(p.grad)));
    tapeGrads.forEach((g, i) => expect(Math.abs(g - (params[i] as Value).grad)).toBeLessThanOrEqual(1e-12 * scale));
    for (let k = 0; k < K; k++) expect(Array.from(tape.output(k))).toEqual(POINTS.map((p) => (model.forward(p)[k] as Value).data));
  });

  it('evaluates the outputs alone, without the term, for any number of samples', () => {
    const model = new MLP(2, [4, 1], { activation: 'relu', outputActivation: 'linear', seed: 5 });
    const x = [new Value(0), new Value(0)];
    const y = new Value(0);
    const outputs = model.forward(x);
    const tape = new ColumnTape({ columns: [...x, y], params: model.parameters(), outputs, term: outputs[0]!.mul(y) });
    const many = Array.from({ length: 3000 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    tape.forward([0, 1].map((j) => Float64Array.from(many, (p) => p[j] as number)).concat([new Float64Array(3000)]), 3000, false);
    expect(tape.output(0)[2999]).toBe((model.forward(many[2999] as number[])[0] as Value).data);
    expect(tape.samples).toBe(3000);
  });

  it('refuses columns of the wrong number or too short, and a term it was not given', () => {
    const w = new Value(2);
    const x = new Value(0);
    const tape = new ColumnTape({ columns: [x], params: [w], outputs: [w.mul(x)] });
    expect(() => tape.forward([], 1, false)).toThrow(/expected 1 columns, got 0/);
    expect(() => tape.forward([new Float64Array(1)], 2, false)).toThrow(/has 1 samples, expected 2/);
    expect(() => tape.forward([new Float64Array(1)], 1, true)).toThrow(/no loss term/);
  });
});
