import { describe, expect, it } from 'vitest';
import { factor, forwardFormula, forwardNumbers, localTerms } from '../../src/engine/explain.js';
import { Value } from '../../src/engine/value.js';

describe('explain: the op table with a node\'s numbers', () => {
  it('shows a forward with its operands, a negative operand bracketed unless it stands alone', () => {
    const a = new Value(0.5);
    const b = new Value(-0.3);
    expect(forwardFormula(a.mul(b))).toBe('a * b');
    expect(forwardNumbers(a.mul(b))).toBe('0.5 * (-0.3)');
    expect(forwardNumbers(b.mul(a))).toBe('-0.3 * 0.5');
    expect(forwardNumbers(new Value(-2.674).tanh())).toBe('tanh(-2.674)');
    expect(forwardNumbers(a.pow(2))).toBe('0.5^2');
    expect(forwardNumbers(b.pow(2))).toBe('(-0.3)^2'); // not -0.3^2, which is -(0.3^2)
    expect(forwardNumbers(a)).toBe('');
  });

  it('gives each operand the local derivative backward() multiplies by, with its formula and numbers', () => {
    const x = new Value(0.97);
    const t = x.tanh();
    const [term] = localTerms(t);
    expect(term?.operand).toBe(x);
    expect(term?.formula).toBe('1 - out^2');
    expect(term?.numbers).toBe(`1 - ${Number(t.data.toPrecision(4))}^2`);
    expect(term?.local).toBe(1 - t.data * t.data);
    t.grad = 0.31;
    t._backward();
    expect(x.grad).toBe((term?.local as number) * 0.31);

    const a = new Value(2);
    const b = new Value(-3);
    const terms = localTerms(a.mul(b));
    expect(terms.map((u) => [u.operand, u.local, u.formula, u.numbers])).toEqual([
      [a, -3, 'b', '-3'],
      [b, 2, 'a', '2'],
    ]);
    expect(localTerms(a)).toEqual([]);
  });

  it('brackets a compound local derivative as a factor, and leaves a single name or number bare', () => {
    const a = new Value(0.5);
    const b = new Value(-0.3);
    const factors = (v: Value): string[] => localTerms(v).map(factor);
    expect(factors(new Value(0.1067).tanh())).toEqual([`(1 - ${Number(Math.tanh(0.1067).toPrecision(4))}^2)`]);
    expect(factors(a.mul(b))).toEqual(['-0.3', '0.5']);
    expect(factors(a.add(b))).toEqual(['1', '1']);
    expect(factors(a.pow(3))).toEqual(['(3 * 0.5^(3-1))']);
    expect(factors(a.exp())).toEqual([String(Number(Math.exp(0.5).toPrecision(4)))]);
    expect(factors(a.log())).toEqual(['(1 / 0.5)']);
    expect(factors(a.sigmoid())[0]).toMatch(/^\([\d.]+ \* \(1 - [\d.]+\)\)$/);
    expect(factors(a.relu())[0]).toMatch(/^\(1 if 0\.5 > 0, else 0\)$/);
  });
});
