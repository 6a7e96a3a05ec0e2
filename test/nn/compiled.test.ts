import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ColumnTape } from '../../src/engine/column-tape.js';
import { CompiledLoss, columnsOf } from '../../src/nn/compiled.js';
import { LOSSES } from '../../src/nn/loss.js';
import { MLP, Value, batchLoss, l2Regularization, makeDataset, type Activation, type LossName } from '../../src/index.js';

/**
 * The column-wise replay against the Value graph, step by step from identical parameters: for
 * an MLP the loss, the outputs and the gradients are the graph's bit for bit (the tape adds in
 * the graph's order; see column-tape.ts).
 */

interface Case {
  sizes: number[];
  hidden: Activation;
  output: Activation;
  loss: LossName;
  l2: number;
  data: { x: number[][]; y: number[] };
  lr: number;
  /** Steps compared (100 unless the batch is large). */
  steps?: number;
}

const classic = makeDataset('classic');
const moons = makeDataset('moons', { size: 40 });
const blobs = makeDataset('blobs', { size: 30 });
const one = { x: [[0.3, -0.7]], y: [1] };
/** More samples than a block of the tape holds (256), the last block part full. */
const manyMoons = makeDataset('moons', { size: 520 });
const spiral = makeDataset('spiral', { size: 45, classes: 3 });

const CASES: Case[] = [
  { sizes: [3, 4, 4, 1], hidden: 'tanh', output: 'tanh', loss: 'sse', l2: 0, data: classic, lr: 0.05 },
  { sizes: [2, 8, 8, 1], hidden: 'relu', output: 'linear', loss: 'hinge', l2: 1e-4, data: moons, lr: 0.1 },
  { sizes: [2, 6, 1], hidden: 'sigmoid', output: 'tanh', loss: 'mse', l2: 1e-3, data: blobs, lr: 0.2 },
  { sizes: [2, 5, 1], hidden: 'linear', output: 'tanh', loss: 'sse', l2: 0, data: moons, lr: 0.01 },
  { sizes: [2, 8, 1], hidden: 'tanh', output: 'linear', loss: 'bce', l2: 0, data: moons, lr: 0.5 },
  { sizes: [2, 6, 6, 1], hidden: 'relu', output: 'sigmoid', loss: 'bce', l2: 1e-3, data: blobs, lr: 0.5 },
  { sizes: [2, 4, 1], hidden: 'sigmoid', output: 'linear', loss: 'hinge', l2: 0, data: one, lr: 0.1 },
  { sizes: [2, 4, 1], hidden: 'tanh', output: 'linear', loss: 'bce', l2: 1e-2, data: one, lr: 3 },
  { sizes: [2, 5, 5, 1], hidden: 'relu', output: 'linear', loss: 'hinge', l2: 1e-4, data: manyMoons, lr: 0.3, steps: 30 },
  { sizes: [2, 6, 1], hidden: 'tanh', output: 'tanh', loss: 'mse', l2: 0, data: manyMoons, lr: 0.3, steps: 30 },
  { sizes: [2, 6, 5, 3], hidden: 'relu', output: 'linear', loss: 'ce', l2: 1e-3, data: spiral, lr: 0.5 },
  { sizes: [2, 4, 3], hidden: 'sigmoid', output: 'tanh', loss: 'ce', l2: 0, data: spiral, lr: 0.5 },
];

const name = (c: Case): string => `MLP(${c.sizes.join(',')}) ${c.hidden}/${c.output}, ${c.loss}${c.l2 > 0 ? ' + L2' : ''}, ${c.data.x.length} samples`;

function model(c: Case): MLP {
  return new MLP(c.sizes[0] as number, c.sizes.slice(1), { activation: c.hidden, outputActivation: c.output, seed: 7 });
}

function graphStep(c: Case, m: MLP): { loss: Value; outputs: Value[][] } {
  const outputs = c.data.x.map((row) => m.forward(row));
  let loss = batchLoss(c.loss, outputs, c.data.y);
  if (c.l2 > 0) loss = loss.add(l2Regularization(m.parameters(), c.l2));
  return { loss, outputs };
}

describe('CompiledLoss (column-wise replay)', () => {
  for (const c of CASES) {
    it(`equals the Value graph step by step over ${c.steps ?? 100} steps: ${name(c)}`, () => {
      const onGraph = model(c);
      const onTape = model(c);
      const compiled = new CompiledLoss(onTape, c.loss, c.l2);
      const batch = compiled.batch(c.data.x, c.data.y);
      const graphParams = onGraph.parameters();
      const tapeParams = onTape.parameters();
      for (let k = 0; k < (c.steps ?? 100); k++) {
        // identical parameters at every step: the tape's copy takes the graph's values
        tapeParams.forEach((p, i) => (p.data = (graphParams[i] as Value).data));
        const { loss, outputs } = graphStep(c, onGraph);
        onGraph.zeroGrad();
        loss.backward();
        onTape.zeroGrad();
        expect(compiled.run(batch, true)).toBe(loss.data);
        for (let k = 0; k < (c.sizes.at(-1) as number); k++) expect(Array.from(compiled.output(k))).toEqual(outputs.map((o) => (o[k] as Value).data));
        expect(tapeParams.map((p) => p.grad)).toEqual(graphParams.map((p) => p.grad));
        for (const p of graphParams) p.data -= c.lr * p.grad;
      }
    });
  }

  it('gives gradients that match central differences of its own loss (bce, tanh, L2)', () => {
    const c = CASES[7] as Case;
    const m = model(c);
    const compiled = new CompiledLoss(m, c.loss, c.l2);
    const batch = compiled.batch(moons.x, moons.y);
    const params = m.parameters();
    m.zeroGrad();
    compiled.run(batch, true);
    const h = 1e-6;
    for (const p of params) {
      const x = p.data;
      p.data = x + h;
      const up = compiled.run(batch, false);
      p.data = x - h;
      const down = compiled.run(batch, false);
      p.data = x;
      expect(p.grad).toBeCloseTo((up - down) / (2 * h), 6);
    }
  });

  it('keeps bce finite for huge scores, where exp would overflow', () => {
    const m = new MLP(1, [1], { activation: 'linear', outputActivation: 'linear', seed: 1 });
    m.setParameters([1000, 0]);
    const compiled = new CompiledLoss(m, 'bce');
    const batch = compiled.batch([[1], [-1]], [-1, -1]);
    m.zeroGrad();
    expect(compiled.run(batch, true)).toBeCloseTo(500, 9); // (1000 + ~0) / 2
    expect(m.parameters().map((p) => p.grad)).toEqual([0.5, 0.5]);
  });

  it('evaluates any number of points with the training replay, parameters as they are now', () => {
    const c = CASES[1] as Case;
    const m = model(c);
    const compiled = new CompiledLoss(m, c.loss, c.l2);
    compiled.run(compiled.batch(c.data.x, c.data.y), false);
    const points = [[0, 0], [1, -1], [-2, 0.5], [3, 3], [0.25, -0.75]];
    const [column] = compiled.evaluate(columnsOf(points), points.length);
    expect(Array.from(column as Float64Array)).toEqual(points.map((p) => (m.forward(p)[0] as Value).data));
    const many = Array.from({ length: 500 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const [big] = compiled.evaluate(columnsOf(many), many.length);
    expect(big?.[499]).toBe((m.forward(many[499] as number[])[0] as Value).data);
  });

  it('reproduces the moons-100 reference losses of the original micrograd exactly', () => {
    const fixture = (file: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8'));
    const data = fixture('moons100.json') as { X: number[][]; y: number[] };
    const init = fixture('init_2_16_16_1.json') as { layers: Array<{ W: number[][]; b: number[] }> };
    const m = new MLP(2, [16, 16, 1], { activation: 'relu', outputActivation: 'linear' });
    m.setParameters(init.layers.flatMap(({ W, b }) => W.flatMap((row, o) => [...row, b[o] as number])));
    const compiled = new CompiledLoss(m, 'hinge', 1e-4);
    const batch = compiled.batch(data.X, data.y);
    const losses: number[] = [];
    for (let k = 0; k <= 100; k++) {
      m.zeroGrad();
      losses.push(compiled.run(batch, true));
      for (const p of m.parameters()) p.data -= (1.0 - (0.9 * k) / 100) * p.grad;
    }
    // test/fixtures/README.md: ordered summation gives the last digits shown.
    expect([losses[0], losses[1], losses[10], losses[99], losses[100]]).toEqual([
      2.2577982918690505, 2.314883816531084, 0.1620893102694266, 0.012581267757934484, 0.012523436623577498,
    ]);
  });
});

describe('a trace: one sample of a batch alone, as the step computes it', () => {
  it('gives each layer\'s outputs and gradients as the Value graph of the batch, and shares that add up with the penalty to the step\'s gradient', () => {
    const model = new MLP(2, [5, 4, 1], { activation: 'relu', outputActivation: 'linear', seed: 7 });
    const compiled = new CompiledLoss(model, 'hinge', 1e-3);
    const batch = compiled.batch(moons.x, moons.y);
    const params = model.parameters();
    params.forEach((p) => (p.grad = 0.25)); // a trace leaves them alone
    const before = params.map((p) => p.data);

    // The batch's Value graph, layer by layer, with its backward.
    const layers = moons.x.map((row) => {
      const acts: Value[][] = [row.map((x) => new Value(x))];
      for (const layer of model.layers) acts.push(layer.forward(acts[acts.length - 1] as Value[]));
      return acts;
    });
    const loss = batchLoss('hinge', layers.map((acts) => acts[acts.length - 1] as Value[]), moons.y).add(l2Regularization(params, 1e-3));
    params.forEach((p) => (p.grad = 0));
    loss.backward();
    const step = params.map((p) => p.grad);
    params.forEach((p) => (p.grad = 0.25));

    const sum = new Float64Array(params.length);
    moons.x.forEach((_, s) => {
      const trace = compiled.trace(batch, s);
      (layers[s] as Value[][]).forEach((acts, l) =>
        acts.forEach((v, j) => {
          expect(trace.activations[l]?.[j]).toBe(v.data);
          expect(trace.gradients[l]?.[j]).toBeCloseTo(v.grad, 15);
        }),
      );
      trace.shares.forEach((g, i) => (sum[i] += g));
    });
    const penalty = compiled.l2Penalty();
    expect(penalty.value).toBeCloseTo(l2Regularization(params, 1e-3).data, 15);
    step.forEach((g, i) => expect((sum[i] as number) + (penalty.gradients[i] as number)).toBeCloseTo(g, 13));
    expect(params.map((p) => p.grad)).toEqual(params.map(() => 0.25));
    expect(params.map((p) => p.data)).toEqual(before);
  });
});

/**
 * CompiledLoss writes the model's instructions from the MLP's structure, not from a recorded
 * graph: its replay must give what the graph recorder's tape of the model's Value graph and
 * loss term gives, bit for bit: terms, gradients, hidden outputs, and a trace's every layer.
 */
describe("the model's instructions written from its structure", () => {
  for (const c of CASES.filter((c) => c.data !== one)) {
    it(`equal the recording of its Value graph: ${name(c)}`, () => {
      const m = model(c);
      const params = m.parameters();
      const compiled = new CompiledLoss(m, c.loss, 0);
      const batch = compiled.batch(c.data.x, c.data.y);

      const definition = LOSSES[c.loss];
      const x = Array.from({ length: c.sizes[0] as number }, () => new Value(0));
      const layers = [x];
      for (const layer of m.layers) layers.push(layer.forward(layers.at(-1) as Value[]));
      const outputs = layers.at(-1) as Value[];
      const numbers = definition.targetNumbers(0, outputs.length).map(() => new Value(0));
      const hidden = layers.slice(1, -1).flat();
      const recorded = new ColumnTape({ columns: [...x, ...numbers], params, outputs: [...outputs, ...hidden], term: definition.term(outputs, numbers), watch: layers.flat() });

      m.zeroGrad();
      const loss = compiled.run(batch, true);
      const grads = params.map((p) => p.grad);
      m.zeroGrad();
      recorded.forward(batch.columns, batch.n);
      recorded.backward(1 / (definition.reduction === 'mean' ? batch.n : 1));
      // No L2 and one term per sample: the loss is the reduced sum of the recorded tape's terms.
      const terms = Array.from(recorded.term());
      const total = terms.reduce((a, b) => a + b);
      expect(loss).toBe(definition.reduction === 'mean' ? total * (1 / batch.n) : total);
      expect(grads).toEqual(params.map((p) => p.grad));
      compiled.hidden(batch).flat().forEach((column, j) => expect(Array.from(column)).toEqual(Array.from({ length: batch.n }, (_, s) => recorded.valueAt(hidden[j] as Value, s))));

      const s = batch.n - 1;
      const trace = compiled.trace(batch, s);
      recorded.forward(batch.columns.map((col) => col.subarray(s, s + 1)), 1);
      recorded.backward(1 / (definition.reduction === 'mean' ? batch.n : 1));
      layers.forEach((layer, l) =>
        layer.forEach((v, j) => {
          expect(trace.activations[l]?.[j]).toBe(recorded.valueAt(v, 0));
          expect(trace.gradients[l]?.[j]).toBe(recorded.gradAt(v, 0));
        }),
      );
    });
  }
});
