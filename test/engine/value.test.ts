import fc from 'fast-check';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Value, topologicalOrder, topologicalOrderOf } from '../../src/engine/value.js';

/** fast-check settings shared by every property: seeded, so a failure reproduces exactly. */
const RUNS = { seed: 42, numRuns: 200 } as const;

const real = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
/** Away from zero on both sides: a safe divisor. */
const awayFromZero = fc.oneof(real(0.5, 5), real(-5, -0.5));

interface OpCase {
  name: string;
  /** The domain of each argument, kept where the function is smooth. */
  args: fc.Arbitrary<number>[];
  /** Argument names, for failure messages. */
  names: string[];
  /** Which arguments are Values with a gradient (pow's exponent is a plain number). */
  wrt: number[];
  /** The operation through the engine; `xs` holds the leaves for `wrt` and plain numbers otherwise. */
  apply: (xs: Array<Value | number>) => Value;
  /** The same function in plain arithmetic. */
  expected: (xs: number[]) => number;
}

const v = (x: Value | number): Value => x as Value;
const n = (x: Value | number): number => x as number;

/** One table drives both the forward-value tests and the derivative tests. */
const OPS: OpCase[] = [
  { name: 'add', args: [real(-5, 5), real(-5, 5)], names: ['x', 'y'], wrt: [0, 1], apply: ([x, y]) => v(x!).add(v(y!)), expected: ([x, y]) => x! + y! },
  { name: 'sub', args: [real(-5, 5), real(-5, 5)], names: ['x', 'y'], wrt: [0, 1], apply: ([x, y]) => v(x!).sub(v(y!)), expected: ([x, y]) => x! - y! },
  { name: 'mul', args: [real(-5, 5), real(-5, 5)], names: ['x', 'y'], wrt: [0, 1], apply: ([x, y]) => v(x!).mul(v(y!)), expected: ([x, y]) => x! * y! },
  { name: 'div', args: [real(-5, 5), awayFromZero], names: ['x', 'y'], wrt: [0, 1], apply: ([x, y]) => v(x!).div(v(y!)), expected: ([x, y]) => x! / y! },
  { name: 'pow', args: [real(0.2, 4), real(-3, 3)], names: ['x', 'k'], wrt: [0], apply: ([x, k]) => v(x!).pow(n(k!)), expected: ([x, k]) => x! ** k! },
  { name: 'neg', args: [real(-5, 5)], names: ['x'], wrt: [0], apply: ([x]) => v(x!).neg(), expected: ([x]) => -x! },
  { name: 'exp', args: [real(-5, 5)], names: ['x'], wrt: [0], apply: ([x]) => v(x!).exp(), expected: ([x]) => Math.exp(x!) },
  { name: 'log', args: [real(0.1, 10)], names: ['x'], wrt: [0], apply: ([x]) => v(x!).log(), expected: ([x]) => Math.log(x!) },
  { name: 'tanh', args: [real(-5, 5)], names: ['x'], wrt: [0], apply: ([x]) => v(x!).tanh(), expected: ([x]) => Math.tanh(x!) },
  {
    name: 'relu',
    args: [real(-5, 5).filter((x) => Math.abs(x) > 1e-3)], // away from the kink at 0
    names: ['x'],
    wrt: [0],
    apply: ([x]) => v(x!).relu(),
    expected: ([x]) => Math.max(0, x!),
  },
  { name: 'sigmoid', args: [real(-10, 10)], names: ['x'], wrt: [0], apply: ([x]) => v(x!).sigmoid(), expected: ([x]) => 1 / (1 + Math.exp(-x!)) },
];

/** Leaves for the differentiable arguments, plain numbers for the rest. */
function inputs(op: OpCase, xs: number[]): Array<Value | number> {
  return xs.map((x, i) => (op.wrt.includes(i) ? new Value(x) : x));
}

const H = 1e-6;

/** The central difference (f(x + h) - f(x - h)) / 2h in argument `i`, through the engine's forward pass. */
function centralDifference(op: OpCase, xs: number[], i: number): number {
  const at = (dx: number): number => op.apply(inputs(op, xs.map((x, j) => (j === i ? x + dx : x)))).data;
  return (at(H) - at(-H)) / (2 * H);
}

/**
 * Backward's gradient in every differentiable argument against the central difference; throws
 * an error that names the op, the argument, the point and both derivatives.
 */
function checkDerivatives(op: OpCase, xs: number[]): void {
  const args = inputs(op, xs);
  op.apply(args).backward();
  for (const i of op.wrt) {
    const analytic = (args[i] as Value).grad;
    const numeric = centralDifference(op, xs, i);
    const tolerance = 1e-5 * Math.max(1, Math.abs(analytic), Math.abs(numeric));
    if (!(Math.abs(analytic - numeric) <= tolerance)) {
      throw new Error(
        `${op.name}: d/d${op.names[i]} at (${xs.join(', ')}): backward() gave ${analytic}, central difference gave ${numeric}`,
      );
    }
  }
}

describe('Value operations (one table for values and derivatives)', () => {
  for (const op of OPS) {
    it(`${op.name} computes the same value as plain arithmetic`, () => {
      fc.assert(
        fc.property(fc.tuple(...op.args), (xs) => {
          const got = op.apply(inputs(op, xs)).data;
          const want = op.expected(xs);
          if (!(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)))) {
            throw new Error(`${op.name} at (${xs.join(', ')}): got ${got}, expected ${want}`);
          }
        }),
        RUNS,
      );
    });

    it(`${op.name} has the derivative of its central difference at many points`, () => {
      fc.assert(
        fc.property(fc.tuple(...op.args), (xs) => checkDerivatives(op, xs)),
        RUNS,
      );
    });
  }

  it('the derivative check fails with a message naming the op, the argument and both derivatives', () => {
    // A hand-made node with an unknown op has no backward rule, so its gradient stays 0.
    const broken: OpCase = {
      name: 'double',
      args: [real(-1, 1)],
      names: ['x'],
      wrt: [0],
      apply: ([x]) => new Value(2 * v(x!).data, [v(x!)], 'double'),
      expected: ([x]) => 2 * x!,
    };
    let message = '';
    try {
      checkDerivatives(broken, [0.5]);
    } catch (err) {
      message = (err as Error).message;
    }
    const match = /^double: d\/dx at \(0\.5\): backward\(\) gave 0, central difference gave (\S+)$/.exec(message);
    expect(match, message).not.toBeNull();
    expect(Number(match![1])).toBeCloseTo(2, 6);
  });
});

describe('Value hand-derived cases', () => {
  it('reproduces the micrograd README example', () => {
    const a = new Value(-4.0);
    const b = new Value(2.0);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(new Value(1).add(c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2.0);
    g = g.add(new Value(10.0).div(f));
    g.backward();

    // By hand: c = 3a + 4b + 3 = -1, d = 12ab + 12b^3 + b - a = 6 (relu(b + a) = relu(-2) = 0),
    // e = -7, f = 49, g = f/2 + 10/f; dg/de = 2e (1/2 - 10/f^2), de/da = 4 - 12b, de/db = 3 - 12a - 36b^2.
    const dgde = 2 * -7 * (0.5 - 10 / 49 ** 2);
    expect(c.data).toBe(-1);
    expect(d.data).toBe(6);
    expect(g.data).toBeCloseTo(24.5 + 10 / 49, 12);
    expect(a.grad).toBeCloseTo(dgde * (4 - 12 * 2), 10);
    expect(b.grad).toBeCloseTo(dgde * (3 - 12 * -4 - 36 * 2 ** 2), 10);
    // The figures the README prints.
    expect(g.data.toFixed(4)).toBe('24.7041');
    expect(a.grad.toFixed(4)).toBe('138.8338');
    expect(b.grad.toFixed(4)).toBe('645.5773');
  });

  it('back-propagates through a tanh neuron as in the micrograd lecture', () => {
    const x1 = new Value(2, [], '', 'x1');
    const x2 = new Value(0, [], '', 'x2');
    const w1 = new Value(-3, [], '', 'w1');
    const w2 = new Value(1, [], '', 'w2');
    const b = new Value(6.881373587019543, [], '', 'b');
    const o = x1.mul(w1).add(x2.mul(w2)).add(b).tanh();
    o.backward();
    expect(o.data).toBeCloseTo(Math.SQRT1_2, 12);
    // do/dn = 1 - tanh^2 = 1/2
    expect(x1.grad).toBeCloseTo(-1.5, 12);
    expect(w1.grad).toBeCloseTo(1, 12);
    expect(x2.grad).toBeCloseTo(0.5, 12);
    expect(w2.grad).toBe(0);
    expect(b.grad).toBeCloseTo(0.5, 12);
  });

  it('gives relu a zero gradient at exactly 0', () => {
    const x = new Value(0);
    const y = x.relu();
    y.backward();
    expect(y.data).toBe(0);
    expect(x.grad).toBe(0);
  });

  it('starts every gradient at 0 and sets the output gradient to 1', () => {
    const a = new Value(3);
    const out = a.mul(2);
    expect(a.grad).toBe(0);
    expect(out.grad).toBe(0);
    out.backward();
    expect(out.grad).toBe(1);
    expect(a.grad).toBe(2);
  });

  it('backward on a leaf sets its gradient to 1', () => {
    const a = new Value(7);
    a.backward();
    expect(a.grad).toBe(1);
  });
});

describe('gradient accumulation', () => {
  it('a.add(a) gives a.grad == 2', () => {
    const a = new Value(3);
    a.add(a).backward();
    expect(a.grad).toBe(2);
  });

  it('a.mul(a) gives a.grad == 2a', () => {
    const a = new Value(-1.5);
    a.mul(a).backward();
    expect(a.grad).toBe(-3);
  });

  it('adds the contributions of every path through a shared node', () => {
    const a = new Value(2);
    const b = a.mul(3); // used twice below
    const out = b.mul(b).add(b); // b^2 + b, d/da = (2b + 1) * 3
    out.backward();
    expect(b.grad).toBe(13);
    expect(a.grad).toBe(39);
  });

  it('a second backward without zeroing adds to the leaf gradients', () => {
    const a = new Value(2);
    const out = a.mul(5);
    out.backward();
    out.backward();
    expect(a.grad).toBe(10);
  });
});

describe('plain-number operands', () => {
  const cases: Array<[string, (a: Value) => Value, number, number]> = [
    // [name, op on a = 3, expected data, expected d/da]
    ['add', (a) => a.add(2), 5, 1],
    ['sub', (a) => a.sub(2), 1, 1],
    ['mul', (a) => a.mul(2), 6, 2],
    ['div', (a) => a.div(2), 1.5, 0.5],
    ['pow', (a) => a.pow(2), 9, 6],
  ];
  for (const [name, op, data, grad] of cases) {
    it(`${name} accepts a plain number as its operand`, () => {
      const a = new Value(3);
      const out = op(a);
      out.backward();
      expect(out.data).toBeCloseTo(data, 15);
      expect(a.grad).toBeCloseTo(grad, 15);
    });
  }

  it('a number operand gives the same value and gradient as the same number wrapped in a Value', () => {
    const binary: Array<(a: Value, b: Value | number) => Value> = [
      (a, b) => a.add(b),
      (a, b) => a.sub(b),
      (a, b) => a.mul(b),
      (a, b) => a.div(b),
    ];
    fc.assert(
      fc.property(real(-5, 5), awayFromZero, fc.constantFrom(0, 1, 2, 3), (x, y, which) => {
        const op = binary[which]!;
        const a1 = new Value(x);
        const out1 = op(a1, y);
        out1.backward();
        const a2 = new Value(x);
        const out2 = op(a2, new Value(y));
        out2.backward();
        expect(out1.data).toBeCloseTo(out2.data, 12);
        expect(a1.grad).toBeCloseTo(a2.grad, 12);
      }),
      RUNS,
    );
  });
});

describe('deep graphs', () => {
  it('back-propagates through a chain of 1,000,000 nodes without overflowing the stack', () => {
    const a = new Value(1);
    let cur = a;
    for (let i = 0; i < 1_000_000; i++) cur = cur.mul(1.000001);
    cur.backward();
    // d/da of a * m^N is m^N, which is also the output's value at a = 1: about e.
    expect(a.grad).toBeCloseTo(cur.data, 12);
    expect(Math.abs(a.grad / Math.exp(1e6 * Math.log1p(1e-6)) - 1)).toBeLessThan(1e-8);
  });
});

/** A random graph: leaves, then nodes whose operands are earlier values (so often shared). */
function randomGraph(ops: ReadonlyArray<readonly [kind: number, a: number, b: number]>): Value[] {
  const values = [new Value(0.5), new Value(-1.5), new Value(2)];
  for (const [kind, a, b] of ops) {
    const x = values[a % values.length];
    const y = values[b % values.length];
    values.push(kind === 0 ? x.add(y) : kind === 1 ? x.mul(y) : kind === 2 ? x.tanh() : x.pow(2));
  }
  return values;
}

/** The definition: a recursive depth-first search, operand a before b, each value after its operands. */
function recursivePostOrder(roots: readonly Value[]): Value[] {
  const seen = new Set<Value>();
  const order: Value[] = [];
  const visit = (v: Value): void => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const child of v.children) visit(child);
    order.push(v);
  };
  for (const root of roots) visit(root);
  return order;
}

const graphOps = fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.nat()), { minLength: 1, maxLength: 60 });

describe('topological order', () => {
  it('is the post-order of a recursive depth-first search, operand a before b', () => {
    fc.assert(
      fc.property(graphOps, (ops) => {
        const values = randomGraph(ops);
        const root = values[values.length - 1];
        expect(topologicalOrder(root)).toEqual(recursivePostOrder([root]));
      }),
      RUNS,
    );
  });

  it('of several roots lists each value once, in the roots\' orders in turn', () => {
    fc.assert(
      fc.property(graphOps, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (ops, picks) => {
        const values = randomGraph(ops);
        const roots = picks.map((i) => values[i % values.length]);
        expect(topologicalOrderOf(roots)).toEqual(recursivePostOrder(roots));
      }),
      RUNS,
    );
  });

  it('leaves no node linked to another after backward or an order, so no graph is kept alive', () => {
    const values = randomGraph([[1, 0, 1], [0, 3, 2], [2, 4, 0], [3, 5, 0], [0, 6, 3]]);
    const root = values[values.length - 1];
    root.backward();
    expect(values.filter((v) => v._next !== null)).toEqual([]);
    topologicalOrderOf([values[4], root]);
    expect(values.filter((v) => v._next !== null)).toEqual([]);
  });

  it('gives backward the same gradients twice in a row (the marks of one traversal do not hide nodes from the next)', () => {
    const values = randomGraph([[1, 0, 1], [0, 3, 0], [1, 4, 3], [2, 5, 5]]);
    const root = values[values.length - 1];
    root.backward();
    const first = values.map((v) => v.grad);
    for (const v of values) v.grad = 0;
    root.backward();
    expect(values.map((v) => v.grad)).toEqual(first);
  });
});

describe('graph structure', () => {
  it('keeps children in operand order', () => {
    const a = new Value(1, [], '', 'a');
    const b = new Value(2, [], '', 'b');
    expect(a.mul(b).children).toEqual([a, b]);
    expect(b.mul(a).children).toEqual([b, a]);
    expect(a.add(b).children[0]).toBe(a);
    expect(a.add(b).children[1]).toBe(b);
    expect(a.exp().children).toEqual([a]);
    expect(a.children).toEqual([]);
  });

  it('wraps a number operand in a new leaf as the second child', () => {
    const a = new Value(1);
    const [first, second] = a.add(5).children;
    expect(first).toBe(a);
    expect(second!.data).toBe(5);
    expect(second!.op).toBe('');
  });

  it('names each op', () => {
    const a = new Value(2);
    const b = new Value(3);
    expect(a.op).toBe('');
    expect(a.add(b).op).toBe('+');
    expect(a.mul(b).op).toBe('*');
    expect(a.pow(2).op).toBe('**2');
    expect(a.pow(-1).op).toBe('**-1');
    expect(a.exp().op).toBe('exp');
    expect(a.log().op).toBe('log');
    expect(a.tanh().op).toBe('tanh');
    expect(a.relu().op).toBe('relu');
    expect(a.sigmoid().op).toBe('sigmoid');
    // Derived ops are built from the primitives.
    expect(a.neg().op).toBe('*');
    expect(a.sub(b).op).toBe('+');
    expect(a.div(b).op).toBe('*');
  });

  it('builds sub from add and neg, and div from mul and pow(-1)', () => {
    const a = new Value(2);
    const b = new Value(3);
    const d = a.sub(b);
    expect(d.children[0]).toBe(a);
    expect(d.children[1]!.op).toBe('*');
    expect(d.children[1]!.children[0]).toBe(b);
    const q = a.div(b);
    expect(q.children[0]).toBe(a);
    expect(q.children[1]!.op).toBe('**-1');
    expect(q.children[1]!.children[0]).toBe(b);
  });

  it('constructs a node by hand with data, children, op and label', () => {
    const a = new Value(2, [], '', 'a');
    const b = new Value(3, [], '', 'b');
    const c = new Value(5, [a, b], '+', 'c');
    expect(c.data).toBe(5);
    expect(c.grad).toBe(0);
    expect(c.label).toBe('c');
    expect(c.op).toBe('+');
    expect(c.children).toEqual([a, b]);
    c.backward();
    expect(a.grad).toBe(1);
    expect(b.grad).toBe(1);
  });

  it('shows the op name of a hand-made node whose op it does not know', () => {
    const a = new Value(1);
    expect(new Value(2, [a], 'custom').op).toBe('custom');
  });

  it('rejects more than two children', () => {
    const a = new Value(1);
    expect(() => new Value(3, [a, a, a], '+')).toThrow(RangeError);
  });

  it('defaults to an empty label and no children', () => {
    const a = new Value(4);
    expect(a.label).toBe('');
    expect(a.children).toEqual([]);
  });

  it('prints itself with its data and grad', () => {
    const a = new Value(2.5);
    expect(a.toString()).toBe('Value(data=2.5, grad=0)');
    a.mul(3).backward();
    expect(String(a)).toBe('Value(data=2.5, grad=3)');
  });

  it('shows as micrograd prints it at a Node prompt: data, grad and the op, not its fields', () => {
    const a = new Value(-2);
    const b = new Value(3);
    expect(inspect(a.mul(b))).toBe("Value(data=-6, grad=0, op='*')");
    expect(inspect(a)).toBe('Value(data=-2, grad=0)');
    expect(inspect(a.pow(2))).toBe("Value(data=4, grad=0, op='**2')");
    expect(inspect([a], { depth: 0 })).toBe('[ Value(data=-2, grad=0) ]');
    expect(inspect(a.tanh())).not.toMatch(/_a|_b|_op|_visit|_k/);
  });
});
