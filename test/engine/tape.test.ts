import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MLP,
  Tape,
  Value,
  l2Regularization,
  lossFunction,
  makeDataset,
  type Activation,
  type LossName,
} from '../../src/index.js';

function relativeError(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

interface Case {
  name: string;
  sizes: number[];
  hidden: Activation;
  output: Activation;
  loss: LossName;
  l2: number;
  data: { x: number[][]; y: number[] };
  lr: number;
}

const classic = makeDataset('classic');
const moons = makeDataset('moons', { size: 40 });
const blobs = makeDataset('blobs', { size: 30 });

const CASES: Case[] = [
  { name: 'classic tanh, sse', sizes: [3, 4, 4, 1], hidden: 'tanh', output: 'tanh', loss: 'sse', l2: 0, data: classic, lr: 0.05 },
  { name: 'moons relu/linear, hinge + L2', sizes: [2, 8, 8, 1], hidden: 'relu', output: 'linear', loss: 'hinge', l2: 1e-4, data: moons, lr: 0.1 },
  { name: 'blobs sigmoid/tanh, mse + L2', sizes: [2, 6, 1], hidden: 'sigmoid', output: 'tanh', loss: 'mse', l2: 1e-3, data: blobs, lr: 0.2 },
  { name: 'moons linear/tanh, sse', sizes: [2, 5, 1], hidden: 'linear', output: 'tanh', loss: 'sse', l2: 0, data: moons, lr: 0.01 },
  { name: 'blobs tanh/linear, hinge', sizes: [2, 4, 4, 1], hidden: 'tanh', output: 'linear', loss: 'hinge', l2: 0, data: blobs, lr: 0.05 },
];

function model(c: Case): MLP {
  return new MLP(c.sizes[0] as number, c.sizes.slice(1), { activation: c.hidden, outputActivation: c.output, seed: 7 });
}

function graphOf(c: Case, m: MLP): { loss: Value; outputs: Value[] } {
  const outputs = c.data.x.map((row) => m.forward(row)[0] as Value);
  let loss = lossFunction(c.loss)(outputs, c.data.y);
  if (c.l2 > 0) loss = loss.add(l2Regularization(m.parameters(), c.l2));
  return { loss, outputs };
}

describe('Tape', () => {
  for (const c of CASES) {
    it(`gives the graph's losses, outputs and gradients over 100 steps: ${c.name}`, () => {
      const onGraph = model(c);
      const onTape = model(c);
      const graphParams = onGraph.parameters();
      const tapeParams = onTape.parameters();
      const recorded = graphOf(c, onTape);
      const tape = new Tape(recorded.loss, tapeParams, recorded.outputs);
      let worst = 0;
      for (let k = 0; k < 100; k++) {
        const { loss, outputs } = graphOf(c, onGraph);
        onGraph.zeroGrad();
        loss.backward();
        onTape.zeroGrad();
        const tapeLoss = tape.forward();
        tape.backward();

        worst = Math.max(worst, relativeError(loss.data, tapeLoss));
        outputs.forEach((o, i) => (worst = Math.max(worst, relativeError(o.data, tape.output(i)))));
        graphParams.forEach((p, i) => (worst = Math.max(worst, relativeError(p.grad, (tapeParams[i] as Value).grad))));
        for (const params of [graphParams, tapeParams]) for (const p of params) p.data -= c.lr * p.grad;
      }
      expect(worst).toBe(0); // bit for bit, as the tape promises
    });
  }

  it('reproduces the moons-100 reference losses of the original micrograd exactly', () => {
    const fixture = (file: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8'));
    const data = fixture('moons100.json') as { X: number[][]; y: number[] };
    const init = fixture('init_2_16_16_1.json') as { layers: Array<{ W: number[][]; b: number[] }> };
    const m = new MLP(2, [16, 16, 1], { activation: 'relu', outputActivation: 'linear' });
    m.setParameters(init.layers.flatMap(({ W, b }) => W.flatMap((row, o) => [...row, b[o] as number])));
    const params = m.parameters();
    const outputs = data.X.map((row) => m.forward(row)[0] as Value);
    const tape = new Tape(lossFunction('hinge')(outputs, data.y).add(l2Regularization(params, 1e-4)), params, outputs);
    const losses: number[] = [];
    for (let k = 0; k <= 100; k++) {
      losses.push(tape.forward());
      m.zeroGrad();
      tape.backward();
      for (const p of params) p.data -= (1.0 - (0.9 * k) / 100) * p.grad;
    }
    // test/fixtures/README.md
    expect([losses[0], losses[1], losses[10], losses[99], losses[100]]).toEqual([
      2.2577982918690505, 2.314883816531084, 0.1620893102694266, 0.012581267757934484, 0.012523436623577498,
    ]);
  });

  it('fuses the weighted sums of an MLP into fewer instructions than nodes', () => {
    const c = CASES[1] as Case;
    const m = model(c);
    const { loss } = graphOf(c, m);
    const tape = new Tape(loss, m.parameters());
    expect(tape.length).toBeLessThan(tape.nodes / 3);
  });

  it('replays every operation with the gradients backward() gives', () => {
    const build = (x: Value, y: Value): Value =>
      x.mul(y).add(x.pow(3)).sub(y.div(x)).tanh().add(x.exp().log()).add(y.sigmoid()).add(x.sub(y).relu()).add(y.neg().relu());
    const [x1, y1, x2, y2] = [new Value(0.7), new Value(-1.3), new Value(0.7), new Value(-1.3)];
    const out = build(x1, y1);
    out.backward();
    const tape = new Tape(build(x2, y2), [x2, y2]);
    expect(tape.forward()).toBe(out.data);
    tape.backward();
    expect([x2.grad, y2.grad]).toEqual([x1.grad, y1.grad]);
  });

  it('reads the parameters at every forward, so values set from outside take effect', () => {
    const w = new Value(2);
    const tape = new Tape(w.mul(3).add(1), [w]);
    expect(tape.forward()).toBe(7);
    w.data = -1;
    expect(tape.forward()).toBe(-2);
  });

  it('keeps other leaves at the value they had when recorded', () => {
    const w = new Value(2);
    const x = new Value(5);
    const tape = new Tape(w.mul(x), [w]);
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
    const tape = new Tape(w.mul(w), [w, unused]);
    tape.forward();
    tape.backward();
    tape.backward();
    expect(w.grad).toBe(12);
    expect(unused.grad).toBe(0.5);
  });

  it('rejects an output that is not part of the graph', () => {
    const w = new Value(1);
    expect(() => new Tape(w.mul(2), [w], [w.add(1)])).toThrow(RangeError);
  });

  it('records a chain of 200,000 nodes without overflowing the stack', () => {
    const x = new Value(1);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(1.000001).tanh();
    const tape = new Tape(y, [x]);
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
    new Tape(loss, [w]);
    loss.backward();
    expect(w.grad).toBe(5);
  });
});
