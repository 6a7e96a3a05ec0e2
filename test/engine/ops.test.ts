import { describe, expect, it } from 'vitest';
import { OPS, PRIMITIVES, Op, ruleNamed, ruleOf, type OpRule } from '../../src/engine/ops.js';
import { Value } from '../../src/engine/value.js';

/** Points inside each primitive's smooth domain: [a, b, k] (b only for binary ops, k only for pow). */
const POINTS: Record<string, Array<[number, number, number]>> = {
  '+': [[0.5, -1.25, 0], [-3, 2, 0]],
  '*': [[0.5, -1.25, 0], [-3, 2, 0]],
  '**': [[1.5, 0, 2], [0.7, 0, -1], [2.3, 0, 0.5]],
  exp: [[0.3, 0, 0], [-2, 0, 0]],
  log: [[0.3, 0, 0], [4, 0, 0]],
  tanh: [[0.3, 0, 0], [-1.7, 0, 0]],
  relu: [[0.3, 0, 0], [-1.7, 0, 0]],
  sigmoid: [[0.3, 0, 0], [-1.7, 0, 0]],
};

/** The same node built through Value's method. */
function viaValue(rule: OpRule, a: Value, b: Value, k: number): Value {
  switch (rule.code) {
    case Op.add:
      return a.add(b);
    case Op.mul:
      return a.mul(b);
    case Op.pow:
      return a.pow(k);
    case Op.exp:
      return a.exp();
    case Op.log:
      return a.log();
    case Op.tanh:
      return a.tanh();
    case Op.relu:
      return a.relu();
    case Op.sigmoid:
      return a.sigmoid();
  }
}

const H = 1e-6;

describe('the op table', () => {
  it('lists each primitive at its own code, with a unique name and one formula per operand', () => {
    OPS.forEach((rule, code) => {
      if (code === Op.leaf) expect(rule).toBeUndefined();
      else expect(rule?.code).toBe(code);
    });
    expect(new Set(PRIMITIVES.map((r) => r.name)).size).toBe(PRIMITIVES.length);
    for (const rule of PRIMITIVES) expect(rule.derivatives).toHaveLength(rule.arity);
  });

  it('has test points for every primitive', () => {
    expect(Object.keys(POINTS).sort()).toEqual(PRIMITIVES.map((r) => r.name).sort());
  });

  for (const rule of PRIMITIVES) {
    it(`${rule.name}: each local derivative is the central difference of its forward`, () => {
      for (const [a, b, k] of POINTS[rule.name] ?? []) {
        const out = rule.forward(a, b, k);
        const dA = (rule.forward(a + H, b, k) - rule.forward(a - H, b, k)) / (2 * H);
        expect(rule.da(a, b, out, k)).toBeCloseTo(dA, 6);
        if (rule.arity === 2) {
          const dB = (rule.forward(a, b + H, k) - rule.forward(a, b - H, k)) / (2 * H);
          expect(rule.db(a, b, out, k)).toBeCloseTo(dB, 6);
        }
      }
    });

    it(`${rule.name}: Value computes the table's forward, and backward() adds the table's local derivatives times grad`, () => {
      for (const [a0, b0, k] of POINTS[rule.name] ?? []) {
        const a = new Value(a0);
        const b = new Value(b0);
        const out = viaValue(rule, a, b, k);
        expect(out.data).toBe(rule.forward(a0, b0, k));
        expect(out.rule).toBe(rule);
        const local = out.localDerivatives();
        expect(local).toEqual(rule.arity === 2 ? [rule.da(a0, b0, out.data, k), rule.db(a0, b0, out.data, k)] : [rule.da(a0, 0, out.data, k)]);
        out.grad = 0.75;
        out._backward();
        expect(a.grad).toBe((local[0] as number) * 0.75);
        if (rule.arity === 2) expect(b.grad).toBe((local[1] as number) * 0.75);
      }
    });
  }

  it('finds rules by code and by name, and refuses the leaf code', () => {
    expect(ruleOf(Op.tanh).name).toBe('tanh');
    expect(ruleNamed('*')?.code).toBe(Op.mul);
    expect(ruleNamed('double')).toBeUndefined();
    expect(() => ruleOf(Op.leaf)).toThrow(RangeError);
    expect(() => ruleOf(42)).toThrow(RangeError);
  });
});

describe('hand-made nodes', () => {
  it("get the rule of a primitive's name when its operand count fits", () => {
    const a = new Value(2);
    const b = new Value(3);
    const c = new Value(6, [a, b], '*');
    expect(c.rule?.code).toBe(Op.mul);
    c.backward();
    expect([a.grad, b.grad]).toEqual([3, 2]);
  });

  it("refuse '**', whose rule needs an exponent", () => {
    expect(() => new Value(9, [new Value(3)], '**')).toThrow(/exponent/);
  });

  it('refuse a primitive name with the wrong number of operands', () => {
    expect(() => new Value(5, [new Value(3)], '+')).toThrow(/takes 2 operands, got 1/);
    expect(() => new Value(5, [new Value(3), new Value(2)], 'tanh')).toThrow(/takes 1 operand, got 2/);
  });

  it('keep a name of their own for display, with no rule and no local derivatives', () => {
    const a = new Value(1);
    const d = new Value(2, [a], 'double');
    expect(d.op).toBe('double');
    expect(d.rule).toBeUndefined();
    expect(d.localDerivatives()).toEqual([]);
    d.backward();
    expect(a.grad).toBe(0);
  });

  it('a leaf has no rule and no local derivatives', () => {
    expect(new Value(1).rule).toBeUndefined();
    expect(new Value(1).localDerivatives()).toEqual([]);
  });
});
