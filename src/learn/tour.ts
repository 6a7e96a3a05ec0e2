import { toTextTree } from '../engine/graph.js';
import { factor, localTerms } from '../engine/explain.js';
import { topologicalOrder, Value } from '../engine/value.js';
import { formatNumber as n, formatOperand as o } from '../format.js';
import { sumSquaredError } from '../nn/loss.js';
import { Layer, MLP, Neuron } from '../nn/mlp.js';
import { Rng } from '../rng.js';

/**
 * The guided tour: short screens from a derivative to a trained network, in the order a
 * learner meets micrograd. Every number on a screen is computed by the engine when the screen
 * is drawn, from the screen's one live number, which ↑/↓ change.
 */
export interface TourScreen {
  title: string;
  /** What ↑/↓ do here. */
  poke: string;
  /** The live number's starting value, and how far one press moves it. */
  start: number;
  step: number;
  /** The number the title shows for `k`, when it is not `k` itself (the learning rate a step number picks). */
  shown?(k: number): number;
  /** The screen's lines for the live number `k`. */
  lines(k: number): string[];
}

/** The classic example: four samples of three inputs, targets ±1. */
const XS = [
  [2, 3, -1],
  [3, -1, 0.5],
  [0.5, 1, 1],
  [1, 1, -1],
];
const YS = [1, -1, -1, 1];

function labelled(data: number, label: string): Value {
  return new Value(data, [], '', label);
}

/** The classic example's MLP after `steps` steps of p.data += -0.1 * p.grad, with each step's loss. */
function classic(steps: number): { model: MLP; losses: number[]; loss: Value } {
  const model = new MLP(3, [4, 4, 1]);
  const losses: number[] = [];
  const lossOf = (): Value => sumSquaredError(XS.map((x) => model.forward(x)[0]), YS);
  for (let k = 0; k < steps; k++) {
    const loss = lossOf();
    model.zeroGrad();
    loss.backward();
    for (const p of model.parameters()) p.data += -0.1 * p.grad;
    losses.push(loss.data);
  }
  const loss = lossOf();
  model.zeroGrad();
  loss.backward();
  return { model, losses, loss };
}

/** The update screen's learning rate: 0.1 at its start, doubled or halved by each ↑/↓. */
function learningRate(k: number): number {
  return 0.1 * 2 ** (Math.round(k) - 1);
}

export const TOUR: readonly TourScreen[] = [
  {
    title: 'A derivative is a slope',
    poke: 'x',
    start: 3,
    step: 0.5,
    lines: (x) => {
      const f = (v: Value): Value => v.pow(2).mul(3).sub(v.mul(4)).add(5);
      const h = 0.001;
      const a = labelled(x, 'x');
      const y = f(a);
      const yh = f(new Value(x + h));
      y.backward();
      const fine = (v: number): string => String(Number(v.toPrecision(8)));
      return [
        'f(x) = 3x^2 - 4x + 5. Nudge x by a tiny h and see how much f moves:',
        '',
        `  f(${n(x)}) = ${fine(y.data)}`,
        `  f(${n(x)} + ${h}) = ${fine(yh.data)}`,
        `  slope = (f(x + h) - f(x)) / h = ${fine((yh.data - y.data) / h)}`,
        '',
        `The engine's backward() gives the exact slope: x.grad = ${n(a.grad)}.`,
        'That number is the derivative: how fast f changes when x changes.',
        'Where f falls, the slope is negative; at the bottom of the curve it is 0.',
      ];
    },
  },
  {
    title: 'A Value and its graph',
    poke: 'a',
    start: 2,
    step: 1,
    lines: (av) => {
      const a = labelled(av, 'a');
      const b = labelled(-3, 'b');
      const c = labelled(10, 'c');
      const e = a.mul(b);
      e.label = 'e';
      const d = e.add(c);
      d.label = 'd';
      const f = labelled(-2, 'f');
      const L = d.mul(f);
      L.label = 'L';
      return [
        'A Value holds a number (data), a grad, and the values it was made from.',
        'L = (a*b + c) * f builds this graph; each node names the op that made it:',
        '',
        ...toTextTree(L).trimEnd().split('\n').map((line) => `  ${line}`),
        '',
        'Nothing is differentiated yet: every grad is 0 until backward() runs.',
      ];
    },
  },
  {
    title: 'The chain rule: tanh(x*w + b)',
    poke: 'w',
    start: -3,
    step: 0.5,
    lines: (wv) => {
      const x = labelled(2, 'x');
      const w = labelled(wv, 'w');
      const b = labelled(6.8813735870195432, 'b');
      const xw = x.mul(w);
      const nn = xw.add(b);
      const out = nn.tanh();
      out.backward();
      const [tanhTerm] = localTerms(out);
      const [, wTerm] = localTerms(xw);
      return [
        'A neuron: out = tanh(x*w + b). backward() starts with out.grad = 1 and walks back,',
        'multiplying by each local derivative on the way (the chain rule):',
        '',
        `  x*w = ${n(xw.data)},  n = x*w + b = ${n(nn.data)},  out = tanh(n) = ${n(out.data)}`,
        `  n.grad   = ${tanhTerm?.formula} = ${tanhTerm?.numbers} = ${n(nn.grad)}`,
        `  x*w.grad = 1 * n.grad = ${n(xw.grad)}  (a sum passes its grad on unchanged)`,
        `  w.grad   = x * (x*w).grad = ${wTerm?.numbers} * ${o(xw.grad)} = ${n(w.grad)}  (d(a*b)/db = ${wTerm?.formula})`,
        `  b.grad   = ${n(b.grad)},  x.grad = ${n(x.grad)}`,
        '',
        'Each link knows only its own local rule; multiplied, they give d out / d w.',
      ];
    },
  },
  {
    title: 'Used twice: grads add up (+=)',
    poke: 'a',
    start: 3,
    step: 1,
    lines: (av) => {
      const a = labelled(av, 'a');
      const b = a.add(a);
      b.backward();
      const terms = localTerms(b);
      return [
        `b = a + a with a = ${n(av)}, so b = ${n(b.data)}. a is used twice.`,
        '',
        `backward: each use sends its share to a: ${terms.map((t) => `${factor(t)} * b.grad`).join(' and ')}.`,
        `With +=, a.grad = ${terms.map((t) => n(t.local)).join(' + ')} = ${n(a.grad)}: right, since b = 2a.`,
        `With =, the second share would overwrite the first: a.grad = ${n(terms[1]?.local ?? 0)}. Wrong.`,
        '',
        'That is why every rule in the engine does operand.grad += local * grad,',
        'and why grads must be set to 0 before each backward pass (zero grad).',
      ];
    },
  },
  {
    title: 'Topological order',
    poke: 'a',
    start: 2,
    step: 1,
    lines: (av) => {
      const a = labelled(av, 'a');
      const b = labelled(-3, 'b');
      const e = a.mul(b);
      e.label = 'e';
      const d = e.add(labelled(10, 'c'));
      d.label = 'd';
      const L = d.mul(labelled(-2, 'f'));
      L.label = 'L';
      L.backward();
      const order = topologicalOrder(L);
      const name = (v: Value): string => v.label || v.op;
      return [
        'A node can pass its grad back only once its own grad is complete: after every node',
        'that uses it. Sorting the graph so that each node comes after its operands does it:',
        '',
        `  topological order: ${order.map(name).join(', ')}`,
        `  backward visits:   ${[...order].reverse().map(name).join(', ')}`,
        '',
        ...[...order].reverse().map((v) => `  ${name(v).padEnd(2)} data ${n(v.data).padStart(6)}  grad ${n(v.grad)}`),
      ];
    },
  },
  {
    title: 'A neuron',
    poke: 'x1',
    start: 2,
    step: 0.5,
    lines: (x1) => {
      const neuron = new Neuron(2, 'tanh', new Rng(7));
      const out = neuron.forward([x1, 0.5]);
      const [w1, w2] = neuron.w.map((w) => w.data);
      return [
        `${String(neuron)}: weights w, a bias b, and tanh (from the engine, seed 7).`,
        '',
        `  inputs x = [${n(x1)}, 0.5]`,
        `  w = [${n(w1 ?? 0)}, ${n(w2 ?? 0)}], b = ${n(neuron.b.data)}`,
        `  out = tanh(b + w1*x1 + w2*x2) = ${n(out.data)}`,
        '',
        'A neuron is only Values: products, a sum and tanh, built on every call.',
        'Its parameters are the Values training will change: w and b.',
      ];
    },
  },
  {
    title: 'A layer',
    poke: 'x1',
    start: 2,
    step: 0.5,
    lines: (x1) => {
      const layer = new Layer(2, 3, 'tanh', new Rng(7));
      const outs = layer.forward([x1, 0.5]);
      return [
        'A layer: several neurons reading the same inputs, each with its own weights.',
        '',
        `  inputs x = [${n(x1)}, 0.5]`,
        ...outs.map((v, j) => `  neuron ${j + 1}: out = ${n(v.data)}`),
        '',
        `${layer.parameters().length} parameters: ${layer.neurons.length} neurons of ${layer.neurons[0]?.w.length} weights and a bias each.`,
      ];
    },
  },
  {
    title: 'An MLP',
    poke: 'x1',
    start: 2,
    step: 0.5,
    lines: (x1) => {
      const model = new MLP(3, [4, 4, 1]);
      const out = model.forward([x1, 3, -1])[0];
      const nodes = topologicalOrder(out).length;
      return [
        'Layers in a row: each layer reads the outputs of the one before.',
        '',
        `  MLP(3, [4, 4, 1]): ${model.parameters().length} parameters`,
        `  input [${n(x1)}, 3, -1] gives out = ${n(out.data)}`,
        `  that one output is a graph of ${nodes} Values`,
        '',
        'This is the classic example\'s network; the trainer opens on it.',
      ];
    },
  },
  {
    title: 'The forward pass',
    poke: 'sample',
    start: 1,
    step: 1,
    lines: (k) => {
      const i = ((Math.round(k) - 1) % 4 + 4) % 4;
      const model = new MLP(3, [4, 4, 1]);
      const outs = XS.map((x) => model.forward(x)[0]);
      return [
        'Forward: run every sample through the network and keep the outputs.',
        '',
        ...XS.map((x, j) => `${j === i ? '>' : ' '} x = [${x.join(', ')}]  target ${YS[j]}  output ${n(outs[j].data)}`),
        '',
        `Sample ${i + 1} wants ${YS[i]} and gets ${n(outs[i].data)}. How wrong is that, in one number?`,
      ];
    },
  },
  {
    title: 'The loss',
    poke: 'the first target',
    start: 1,
    step: 0.5,
    lines: (y1) => {
      const model = new MLP(3, [4, 4, 1]);
      const ys = [y1, ...YS.slice(1)];
      const outs = XS.map((x) => model.forward(x)[0]);
      const loss = sumSquaredError(outs, ys);
      const terms = outs.map((out, j) => out.sub(ys[j]).pow(2));
      return [
        'Squared error: (output - target)^2 per sample, summed; 0 when all are right.',
        '',
        ...terms.map((t, j) => `  (${n(outs[j].data)} - ${o(ys[j])})^2 = ${n(t.data)}`),
        `  loss = ${n(loss.data)}`,
        '',
        'The loss is one Value at the end of one big graph: backward() starts there.',
      ];
    },
  },
  {
    title: 'Zero grad',
    poke: 'backward passes',
    start: 1,
    step: 1,
    lines: (k) => {
      const passes = Math.max(1, Math.round(k));
      const model = new MLP(3, [4, 4, 1]);
      const w = model.parameters()[0];
      const loss = sumSquaredError(XS.map((x) => model.forward(x)[0]), YS);
      const grads: number[] = [];
      for (let p = 0; p < passes; p++) {
        loss.backward();
        grads.push(w.grad);
      }
      return [
        `backward() ${passes} time${passes === 1 ? '' : 's'} on the same loss, without zeroing (↑ adds a pass):`,
        '',
        ...grads.map((g, p) => `  after pass ${p + 1}: L1.N1.w1.grad = ${n(g)}`),
        '',
        'Grads add up (+=): each pass piles on the last, and the step is too big.',
        'Every training step sets all grads to 0 first: zero grad.',
      ];
    },
  },
  {
    title: 'Backward',
    poke: 'parameter',
    start: 1,
    step: 1,
    lines: (k) => {
      const { model, loss } = classic(0);
      const names = model.parameterNames();
      const params = model.parameters();
      const first = Math.max(0, Math.min(params.length - 6, Math.round(k) - 1));
      return [
        `loss.backward() fills each parameter's grad, d loss / d p (loss ${n(loss.data)}).`,
        '',
        ...params.slice(first, first + 6).map((p, j) => `  ${names[first + j].padEnd(9)} data ${n(p.data).padStart(8)}  grad ${n(p.grad)}`),
        '',
        'A positive grad says: raise this weight and the loss goes up. So lower it.',
      ];
    },
  },
  {
    title: 'The update',
    poke: 'the learning rate',
    start: 1,
    step: 1,
    shown: learningRate,
    lines: (k) => {
      const lr = learningRate(k);
      const { model, loss } = classic(0);
      const p = model.parameters()[0];
      const before = p.data;
      const grad = p.grad;
      for (const q of model.parameters()) q.data += -lr * q.grad;
      const after = sumSquaredError(XS.map((x) => model.forward(x)[0]), YS);
      return [
        `Move every parameter against its grad: p.data += -lr * p.grad, lr = ${n(lr)}.`,
        '',
        `  L1.N1.w1: ${n(before)} + ${o(-lr)} * ${o(grad)} = ${n(p.data)}`,
        `  loss before ${n(loss.data)}, after ${n(after.data)}`,
        '',
        'A small step lowers the loss; too large a step overshoots and it goes up.',
      ];
    },
  },
  {
    title: 'The loop',
    poke: 'steps',
    start: 20,
    step: 5,
    lines: (k) => {
      const steps = Math.max(1, Math.round(k));
      const { losses, loss } = classic(steps);
      const every = Math.ceil(steps / 8);
      return [
        `forward, loss, zero grad, backward, update: ${steps} times on the classic example.`,
        '',
        ...losses.flatMap((l, i) => (i % every === 0 ? [`  step ${String(i + 1).padStart(String(steps).length)}: loss ${n(l)}`] : [])),
        `  after ${steps} steps: ${n(loss.data)}`,
        '',
        'That loop is all of training.', // where enter takes the learner next: the tour's view says
      ];
    },
  },
];
