import { formatNumber } from '../format.js';
import type { Value } from './value.js';

/**
 * The op table's formulas with a node's own numbers in them, for views that show a learner
 * what the engine computes. Nothing here computes a derivative: the numbers are the table's
 * `da`/`db`, the very functions `_backward()` multiplies by.
 */

/** One operand's link of the chain rule at a node. */
export interface LocalTerm {
  operand: Value;
  /** d node / d operand at these numbers: what backward multiplies the node's grad by. */
  local: number;
  /** The local derivative in symbols (`1 - out^2`) and with the numbers (`1 - 0.7616^2`). */
  formula: string;
  numbers: string;
}

/** The names the table's formulas use, with this node's numbers. */
function symbols(v: Value): Record<string, number> {
  return { a: v._a?.data ?? 0, b: v._b?.data ?? 0, out: v.data, k: v._k };
}

/**
 * Put numbers in for the names a, b, out and k. A negative number is bracketed unless it stands
 * alone inside brackets already or at the start: `tanh(-2.674)`, `-1.08 + 0.405`, `0.2 * (-3)`;
 * a negative base always is: `(-0.89)^2`, not `-0.89^2`, which reads as -(0.89^2).
 */
function substitute(formula: string, values: Record<string, number>, format: (x: number) => string): string {
  return formula.replace(/\b(a|b|out|k)\b/g, (name, _symbol: string, at: number) => {
    const s = format(values[name]);
    const enclosed = (at === 0 || formula[at - 1] === '(') && (at + name.length === formula.length || formula[at + name.length] === ')');
    const base = formula[at + name.length] === '^';
    return s.startsWith('-') && (base || (!enclosed && at > 0)) ? `(${s})` : s;
  });
}

/** `tanh(0.97)`, `0.5 * (-0.3)`: the forward of a node made by a primitive, with its operands' numbers ('' for a leaf). */
export function forwardNumbers(v: Value, format: (x: number) => string = formatNumber): string {
  const rule = v.rule;
  return rule === undefined ? '' : substitute(rule.formula, symbols(v), format);
}

/** The forward in symbols: `a * b`, `tanh(a)` ('' for a leaf). */
export function forwardFormula(v: Value): string {
  return v.rule?.formula ?? '';
}

/**
 * The local derivative with its numbers, ready to multiply by: bracketed when its formula is more
 * than one name or number, so `(1 - 0.1067^2) · -1.787` reads as the product it is.
 */
export function factor(term: LocalTerm): string {
  return /^[\w.]+$/.test(term.formula) ? term.numbers : `(${term.numbers})`;
}

/** Each operand's local derivative at this node: the numbers `_backward()` multiplies by, and their formulas. */
export function localTerms(v: Value, format: (x: number) => string = formatNumber): LocalTerm[] {
  const rule = v.rule;
  if (rule === undefined) return [];
  const locals = v.localDerivatives();
  const values = symbols(v);
  return v.children.map((operand, i) => {
    const formula = rule.derivatives[i];
    return { operand, local: locals[i], formula, numbers: substitute(formula, values, format) };
  });
}
