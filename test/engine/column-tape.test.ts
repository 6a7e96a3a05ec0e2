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
    expect(tape.output(0)).toHaveLength(3000);
  });

  it('gives a weight used twice in one weighted sum, over several blocks of samples, the gradient backward() gives', () => {
    const [w, v, c] = [new Value(0.3), new Value(-0.8), new Value(0.1)];
    const xs = Array.from({ length: 6 }, () => new Value(0));
    // c + w*x1 + v*x2 + w*x3 + v*x4 + w*x5 + v*x6: one fused sum whose weights repeat
    const sumOf = (x: readonly Value[]): Value => x.reduce((acc, xi, i) => acc.add((i % 2 === 0 ? w : v).mul(xi)), c as Value).tanh();
    const tape = new ColumnTape({ columns: xs, params: [w, v, c], outputs: [], term: sumOf(xs) });
    const n = 700;
    const rows = Array.from({ length: n }, (_, s) => Array.from({ length: 6 }, (_, i) => Math.sin(s * 7 + i)));
    tape.forward([0, 1, 2, 3, 4, 5].map((i) => Float64Array.from(rows, (r) => r[i] as number)), n);
    tape.backward(1);
    const fromTape = [w.grad, v.grad, c.grad];
    const terms = Array.from(tape.term());
    w.grad = v.grad = c.grad = 0;
    const graphTerms = rows.map((r) => sumOf(r.map((x) => new Value(x))));
    let total = graphTerms[0] as Value;
    for (let s = 1; s < n; s++) total = total.add(graphTerms[s] as Value);
    total.backward();
    expect(terms).toEqual(graphTerms.map((t) => t.data));
    [w, v, c].forEach((p, i) => expect(Math.abs((fromTape[i] as number) - p.grad)).toBeLessThanOrEqual(1e-12 * Math.abs(p.grad)));
  });

  it("fuses each of an MLP's weighted sums into one instruction", () => {
    const model = new MLP(2, [8, 8, 1], { activation: 'relu', outputActivation: 'linear', seed: 5 });
    const x = [new Value(0), new Value(0)];
    const tape = new ColumnTape({ columns: x, params: model.parameters(), outputs: model.forward(x) });
    // a DOT_PLUS_BIAS per neuron, a relu per hidden one (of 2 * 17 + 2 * 8 * 10 + 2 * 9 nodes)
    expect(tape.length).toBe(8 + 8 + 1 + 8 + 8);
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

/** A tape of one whole graph: no columns, one sample, the root as its term (as the loss's head and the chain bench use it). */
function wholeGraph(root: Value, params: Value[]): { forward(): number; backward(): void } {
  const tape = new ColumnTape({ columns: [], params, outputs: [], term: root });
  return {
    forward: () => {
      tape.forward([], 1);
      return tape.term()[0] as number;
    },
    backward: () => tape.backward(1),
  };
}

describe('ColumnTape of a whole graph (one sample)', () => {
  it('replays every operation with the gradients backward() gives', () => {
    const build = (x: Value, y: Value): Value =>
      x.mul(y).add(x.pow(3)).sub(y.div(x)).tanh().add(x.exp().log()).add(y.sigmoid()).add(x.sub(y).relu()).add(y.neg().relu());
    const [x1, y1, x2, y2] = [new Value(0.7), new Value(-1.3), new Value(0.7), new Value(-1.3)];
    const out = build(x1, y1);
    out.backward();
    const tape = wholeGraph(build(x2, y2), [x2, y2]);
    expect(tape.forward()).toBe(out.data);
    tape.backward();
    // x and y feed several operations: the tape may add their shares in another order (see column-tape.ts)
    expect(Math.abs(x2.grad - x1.grad)).toBeLessThanOrEqual(1e-12 * Math.abs(x1.grad));
    expect(Math.abs(y2.grad - y1.grad)).toBeLessThanOrEqual(1e-12 * Math.abs(y1.grad));
  });

  it('reads the parameters at every forward, so values set from outside take effect', () => {
    const w = new Value(2);
    const tape = wholeGraph(w.mul(3).add(1), [w]);
    expect(tape.forward()).toBe(7);
    w.data = -1;
    expect(tape.forward()).toBe(-2);
  });

  it('keeps other leaves at the value they had when recorded', () => {
    const w = new Value(2);
    const x = new Value(5);
    const tape = wholeGraph(w.mul(x), [w]);
    x.data = 100;
    expect(tape.forward()).toBe(10);
    tape.backward();
    expect(w.grad).toBe(5);
    expect(x.grad).toBe(0);
  });

  it('adds into grad like backward() and leaves a parameter outside the graph alone', () => {
    const w = new Value(3);
    const unused = new Value(1);
    unused.grad = 0.5;
    const tape = wholeGraph(w.mul(w), [w, unused]);
    tape.forward();
    tape.backward();
    tape.backward();
    expect(w.grad).toBe(12);
    expect(unused.grad).toBe(0.5);
  });

  it('records a chain of 200,000 nodes without overflowing the stack', () => {
    const x = new Value(1);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1.000001).tanh();
    const tape = wholeGraph(y, [x]);
    expect(tape.forward()).toBe(y.data);
    tape.backward();
    const fromTape = x.grad;
    x.grad = 0;
    y.backward();
    expect(fromTape).toBe(x.grad);
  });

  it('leaves the graph usable: a later backward() on it still sees every node', () => {
    const w = new Value(2);
    const loss = w.mul(w).add(w);
    wholeGraph(loss, [w]);
    loss.backward();
    expect(w.grad).toBe(5);
  });
});
