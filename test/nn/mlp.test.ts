import fc from 'fast-check';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.js';
import { Value } from '../../src/engine/value.js';
import type { Activation } from '../../src/nn/activation.js';
import { Layer, MLP, Neuron } from '../../src/nn/mlp.js';

const RUNS = { seed: 42, numRuns: 50 } as const;

const values = (m: MLP): number[] => m.parameters().map((p) => p.data);

const ACT: Record<Activation, (x: number) => number> = {
  tanh: Math.tanh,
  relu: (x) => Math.max(0, x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  linear: (x) => x,
};

/** The network's output computed in plain numbers from its parameter list, independently of forward(). */
function plainForward(sizes: number[], params: number[], x: number[], hidden: Activation, output: Activation): number[] {
  let k = 0;
  let act = x;
  for (let l = 1; l < sizes.length; l++) {
    const next: number[] = [];
    for (let j = 0; j < sizes[l]!; j++) {
      const w = params.slice(k, k + act.length);
      k += act.length;
      const b = params[k++]!;
      const sum = w.reduce((s, wi, i) => s + wi * act[i]!, b);
      next.push(ACT[l === sizes.length - 1 ? output : hidden](sum));
    }
    act = next;
  }
  expect(k).toBe(params.length);
  return act;
}

describe('MLP parameters', () => {
  it('MLP(3, [4, 4, 1]) has 41 parameters', () => {
    expect(new MLP(3, [4, 4, 1]).parameters()).toHaveLength(41);
  });

  it('has (nin + 1) * nout parameters per layer', () => {
    expect(new MLP(2, [16, 16, 1]).parameters()).toHaveLength(3 * 16 + 17 * 16 + 17);
    expect(new MLP(5, [1]).parameters()).toHaveLength(6);
  });

  it('lists parameters layer by layer, neuron by neuron, weights then bias', () => {
    const m = new MLP(3, [4, 4, 1]);
    const expected: Value[] = [];
    for (const layer of m.layers) for (const neuron of layer.neurons) expected.push(...neuron.w, neuron.b);
    const params = m.parameters();
    expect(params).toHaveLength(expected.length);
    params.forEach((p, i) => expect(p).toBe(expected[i]));
    expect(params[3]).toBe(m.layers[0]!.neurons[0]!.b);
    expect(params[4]).toBe(m.layers[0]!.neurons[1]!.w[0]);
    expect(params[40]).toBe(m.layers[2]!.neurons[0]!.b);
  });

  it('names parameters L<layer>.N<neuron>.w<input> and .b, 1-based, in parameter order', () => {
    const names = new MLP(3, [4, 4, 1]).parameterNames();
    expect(names).toHaveLength(41);
    expect(names.slice(0, 5)).toEqual(['L1.N1.w1', 'L1.N1.w2', 'L1.N1.w3', 'L1.N1.b', 'L1.N2.w1']);
    expect(names.slice(16, 21)).toEqual(['L2.N1.w1', 'L2.N1.w2', 'L2.N1.w3', 'L2.N1.w4', 'L2.N1.b']);
    expect(names.slice(-5)).toEqual(['L3.N1.w1', 'L3.N1.w2', 'L3.N1.w3', 'L3.N1.w4', 'L3.N1.b']);
    expect(new Set(names).size).toBe(41);
  });

  it('draws every weight and bias from [-1, 1]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (seed) => {
        for (const p of values(new MLP(4, [8, 8, 2], { seed }))) expect(Math.abs(p)).toBeLessThanOrEqual(1);
      }),
      RUNS,
    );
  });

  it('spreads the initial weights over [-1, 1] rather than a corner of it', () => {
    const ps = values(new MLP(2, [16, 16, 1], { seed: 7 }));
    expect(Math.min(...ps)).toBeLessThan(-0.9);
    expect(Math.max(...ps)).toBeGreaterThan(0.9);
    expect(Math.abs(ps.reduce((s, p) => s + p, 0) / ps.length)).toBeLessThan(0.15);
  });

  it('gives identical parameters for the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (seed) => {
        expect(values(new MLP(3, [4, 4, 1], { seed }))).toEqual(values(new MLP(3, [4, 4, 1], { seed })));
      }),
      RUNS,
    );
  });

  it('gives different parameters for different seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (seed, d) => {
        const a = values(new MLP(3, [4, 4, 1], { seed }));
        const b = values(new MLP(3, [4, 4, 1], { seed: seed + d }));
        expect(a.some((x, i) => x !== b[i])).toBe(true);
      }),
      RUNS,
    );
  });

  it('uses seed 42 by default', () => {
    expect(values(new MLP(3, [4, 4, 1]))).toEqual(values(new MLP(3, [4, 4, 1], { seed: 42 })));
  });

  it('gives each neuron its own weights', () => {
    const m = new MLP(3, [4, 1]);
    const [n1, n2] = m.layers[0]!.neurons;
    expect(n1!.w.map((w) => w.data)).not.toEqual(n2!.w.map((w) => w.data));
  });
});

describe('MLP construction', () => {
  it('rejects layer sizes that are not integers >= 1', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new MLP(3, [4, bad, 1])).toThrow(RangeError);
      expect(() => new MLP(bad, [1])).toThrow(/layer sizes must be integers >= 1/);
    }
  });

  it('rejects a network without layers', () => {
    expect(() => new MLP(3, [])).toThrow(RangeError);
  });

  it('records its sizes, input first', () => {
    expect(new MLP(3, [4, 4, 1]).sizes).toEqual([3, 4, 4, 1]);
  });

  it('uses tanh everywhere by default, as the classic example does', () => {
    const m = new MLP(3, [4, 4, 1]);
    for (const layer of m.layers) for (const neuron of layer.neurons) expect(neuron.activation).toBe('tanh');
    expect(m.forward([1, 2, 3])[0]!.op).toBe('tanh');
  });

  it('applies the hidden activation to every layer but the last, and the output activation to the last', () => {
    const m = new MLP(2, [3, 3, 2], { activation: 'relu', outputActivation: 'sigmoid' });
    expect(m.layers.map((l) => l.neurons.map((n) => n.activation))).toEqual([
      ['relu', 'relu', 'relu'],
      ['relu', 'relu', 'relu'],
      ['sigmoid', 'sigmoid'],
    ]);
  });

  it('prints its structure', () => {
    expect(String(new MLP(2, [2, 1], { activation: 'relu', outputActivation: 'linear' }))).toBe(
      'MLP of [Layer of [relu Neuron(2), relu Neuron(2)], Layer of [linear Neuron(2)]]',
    );
  });
});

describe('MLP forward', () => {
  const combos: Array<[Activation, Activation]> = [
    ['tanh', 'tanh'],
    ['relu', 'linear'],
    ['sigmoid', 'tanh'],
    ['linear', 'sigmoid'],
    ['relu', 'relu'],
  ];
  for (const [hidden, output] of combos) {
    it(`computes activation(b + w.x) layer by layer with ${hidden} hidden and ${output} output`, () => {
      const sizes = [3, 5, 4, 2];
      const m = new MLP(3, sizes.slice(1), { activation: hidden, outputActivation: output, seed: 3 });
      fc.assert(
        fc.property(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), (x) => {
          const got = m.forward(x).map((o) => o.data);
          const want = plainForward(sizes, values(m), x, hidden, output);
          expect(got).toHaveLength(2);
          got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
        }),
        RUNS,
      );
    });
  }

  it('returns one Value per output neuron', () => {
    const out = new MLP(2, [3, 4]).forward([0.1, 0.2]);
    expect(out).toHaveLength(4);
    for (const o of out) expect(o).toBeInstanceOf(Value);
  });

  it('accepts Values as inputs and back-propagates into them', () => {
    const m = new MLP(2, [3, 1], { seed: 5 });
    const xs = [new Value(0.5), new Value(-1)];
    const fromValues = m.forward(xs)[0]!;
    const fromNumbers = m.forward([0.5, -1])[0]!;
    expect(fromValues.data).toBe(fromNumbers.data);
    fromValues.backward();
    // d out / d x0 by central difference through the same network.
    const h = 1e-6;
    const fd = (m.forward([0.5 + h, -1])[0]!.data - m.forward([0.5 - h, -1])[0]!.data) / (2 * h);
    expect(xs[0]!.grad).toBeCloseTo(fd, 6);
    expect(xs[0]!.grad).not.toBe(0);
  });

  it('accepts a mix of numbers and Values', () => {
    const m = new MLP(2, [2, 1]);
    expect(m.forward([new Value(0.3), 0.7])[0]!.data).toBe(m.forward([0.3, 0.7])[0]!.data);
  });

  it('rejects an input of the wrong length', () => {
    const m = new MLP(3, [4, 1]);
    expect(() => m.forward([1, 2])).toThrow(RangeError);
    expect(() => m.forward([1, 2, 3, 4])).toThrow(/expected 3 inputs, got 4/);
  });
});

describe('Neuron and Layer', () => {
  it('a Neuron has nin weights and a bias, in that order', () => {
    const n = new Neuron(3);
    expect(n.w).toHaveLength(3);
    expect(n.parameters()).toEqual([...n.w, n.b]);
  });

  it('a Neuron computes activation(b + w.x)', () => {
    const n = new Neuron(2, 'linear', new Rng(9));
    const [w1, w2] = n.w.map((w) => w.data) as [number, number];
    expect(n.forward([2, -3]).data).toBeCloseTo(n.b.data + 2 * w1 - 3 * w2, 14);
    const t = new Neuron(2, 'tanh', new Rng(9));
    expect(t.forward([2, -3]).data).toBeCloseTo(Math.tanh(n.b.data + 2 * w1 - 3 * w2), 14);
  });

  it('a Layer has nout neurons of nin inputs and returns one output each', () => {
    const layer = new Layer(3, 4, 'relu', new Rng(1));
    expect(layer.neurons).toHaveLength(4);
    expect(layer.parameters()).toHaveLength(16);
    expect(layer.forward([1, 2, 3])).toHaveLength(4);
  });
});

describe('zeroGrad and setParameters', () => {
  it('zeroGrad sets every gradient to 0', () => {
    const m = new MLP(3, [4, 4, 1]);
    m.forward([1, 2, 3])[0]!.backward();
    expect(m.parameters().some((p) => p.grad !== 0)).toBe(true);
    m.zeroGrad();
    for (const p of m.parameters()) expect(p.grad).toBe(0);
  });

  it('zeroGrad leaves the parameter values alone', () => {
    const m = new MLP(3, [4, 1]);
    const before = values(m);
    m.forward([1, 2, 3])[0]!.backward();
    m.zeroGrad();
    expect(values(m)).toEqual(before);
  });

  it('setParameters writes the values in parameter order', () => {
    const m = new MLP(2, [2, 1]);
    const next = Array.from({ length: 9 }, (_, i) => i / 10);
    m.setParameters(next);
    expect(values(m)).toEqual(next);
    expect(m.layers[0]!.neurons[1]!.w[0]!.data).toBe(0.3);
    expect(m.layers[1]!.neurons[0]!.b.data).toBe(0.8);
  });

  it('setParameters accepts a Float64Array', () => {
    const m = new MLP(2, [1]);
    m.setParameters(new Float64Array([1, 2, 3]));
    expect(values(m)).toEqual([1, 2, 3]);
  });

  it('setParameters rejects the wrong number of values and changes nothing', () => {
    const m = new MLP(2, [2, 1]);
    const before = values(m);
    expect(() => m.setParameters([1, 2, 3])).toThrow(/expected 9 parameter values, got 3/);
    expect(() => m.setParameters(new Array(10).fill(0))).toThrow(RangeError);
    expect(values(m)).toEqual(before);
  });

  it('shows its shape at a Node prompt instead of every Value', () => {
    expect(inspect(new MLP(3, [4, 4, 1]))).toBe('MLP(3 -> 4 -> 4 -> 1, tanh, 41 parameters)');
    expect(inspect(new MLP(2, [16, 1], { activation: 'relu', outputActivation: 'linear' }))).toBe(
      'MLP(2 -> 16 -> 1, relu, linear output, 65 parameters)',
    );
    expect(inspect(new Layer(3, 4))).toBe('Layer(3 -> 4, tanh, 16 parameters)');
    expect(inspect(new Neuron(3, 'relu'))).toBe('Neuron(3 inputs, relu)');
  });
});
