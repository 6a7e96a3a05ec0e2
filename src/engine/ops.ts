/**
 * The primitive operations, each described once: its code, its name in graphs, its forward
 * function and its local rule (the derivative of the result with respect to each operand).
 * `Value`, the tape, the graph printers and the op tests all read this table, so a view that
 * shows a rule with numbers shows the numbers `backward()` multiplies by.
 *
 * In every function `a` and `b` are the operands' values (b is 0 for a unary op), `out` is the
 * result and `k` a pow's constant exponent (0 otherwise).
 */

/** Operation codes: a small integer per node instead of a closure per node (see value.ts). */
export const Op = {
  leaf: 0,
  add: 1,
  mul: 2,
  pow: 3,
  exp: 4,
  log: 5,
  tanh: 6,
  relu: 7,
  sigmoid: 8,
} as const;
export type OpCode = (typeof Op)[keyof typeof Op];
/** The codes of operations, every code but `leaf`. */
export type PrimitiveOp = Exclude<OpCode, typeof Op.leaf>;

export interface OpRule {
  readonly code: PrimitiveOp;
  /** As shown in graphs; a pow node shows its exponent after it (`**2`). */
  readonly name: string;
  readonly arity: 1 | 2;
  /** The result from the operands. */
  forward(a: number, b: number, k: number): number;
  /** d out / d a: what `backward()` multiplies the result's grad by to add into a's grad. */
  da(a: number, b: number, out: number, k: number): number;
  /** d out / d b for a binary op (0 for a unary one). */
  db(a: number, b: number, out: number, k: number): number;
  /** The forward as a formula, for learners: `a * b`, `tanh(a)`. */
  readonly formula: string;
  /** The local derivative per operand as a formula in a, b, out and k: `1 - out^2`. */
  readonly derivatives: readonly string[];
}

const none = (): number => 0;

export const ADD: OpRule = {
  code: Op.add,
  name: '+',
  arity: 2,
  forward: (a, b) => a + b,
  da: () => 1,
  db: () => 1,
  formula: 'a + b',
  derivatives: ['1', '1'],
};

export const MUL: OpRule = {
  code: Op.mul,
  name: '*',
  arity: 2,
  forward: (a, b) => a * b,
  da: (_a, b) => b,
  db: (a) => a,
  formula: 'a * b',
  derivatives: ['b', 'a'],
};

export const POW: OpRule = {
  code: Op.pow,
  name: '**',
  arity: 1,
  forward: (a, _b, k) => a ** k,
  da: (a, _b, _out, k) => k * a ** (k - 1),
  db: none,
  formula: 'a^k',
  derivatives: ['k * a^(k-1)'],
};

export const EXP: OpRule = {
  code: Op.exp,
  name: 'exp',
  arity: 1,
  forward: (a) => Math.exp(a),
  da: (_a, _b, out) => out,
  db: none,
  formula: 'exp(a)',
  derivatives: ['out'],
};

export const LOG: OpRule = {
  code: Op.log,
  name: 'log',
  arity: 1,
  forward: (a) => Math.log(a),
  da: (a) => 1 / a,
  db: none,
  formula: 'log(a)',
  derivatives: ['1 / a'],
};

export const TANH: OpRule = {
  code: Op.tanh,
  name: 'tanh',
  arity: 1,
  forward: (a) => Math.tanh(a),
  da: (_a, _b, out) => 1 - out * out,
  db: none,
  formula: 'tanh(a)',
  derivatives: ['1 - out^2'],
};

export const RELU: OpRule = {
  code: Op.relu,
  name: 'relu',
  arity: 1,
  forward: (a) => (a < 0 ? 0 : a),
  da: (_a, _b, out) => (out > 0 ? 1 : 0),
  db: none,
  formula: 'max(0, a)',
  derivatives: ['1 if out > 0, else 0'],
};

export const SIGMOID: OpRule = {
  code: Op.sigmoid,
  name: 'sigmoid',
  arity: 1,
  forward: (a) => 1 / (1 + Math.exp(-a)),
  da: (_a, _b, out) => out * (1 - out),
  db: none,
  formula: '1 / (1 + exp(-a))',
  derivatives: ['out * (1 - out)'],
};

/** Every primitive, indexed by code (index 0, the leaf, has no rule). */
export const OPS: readonly (OpRule | undefined)[] = [undefined, ADD, MUL, POW, EXP, LOG, TANH, RELU, SIGMOID];

/** The primitives in code order. */
export const PRIMITIVES: readonly OpRule[] = OPS.filter((r): r is OpRule => r !== undefined);

/** The rule of an op code; throws for the leaf code or a code outside the table. */
export function ruleOf(code: number): OpRule {
  const rule = OPS[code];
  if (rule === undefined) throw new RangeError(`no operation has code ${code}`);
  return rule;
}

/** The rule named `name` ('+', '*', '**', 'exp', ...), or undefined. */
export function ruleNamed(name: string): OpRule | undefined {
  return PRIMITIVES.find((r) => r.name === name);
}

/** The end of an exhaustive switch over op codes: reached only by a code the switch forgot. */
export function unknownOp(code: never): never {
  throw new RangeError(`no case for operation code ${String(code)}`);
}
