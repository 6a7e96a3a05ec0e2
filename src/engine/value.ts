import { inspect } from 'node:util';

/**
 * A scalar autograd engine in the spirit of Karpathy's micrograd (micrograd/engine.py).
 *
 * A Value holds a number, the gradient of some output with respect to it, and the (at most
 * two) values it was made from. Each operation computes its result and names a local backward
 * rule; `backward()` orders the graph topologically and applies the chain rule from the output.
 */

import { ADD, EXP, LOG, MUL, Op, POW, RELU, SIGMOID, TANH, ruleNamed, ruleOf, unknownOp, type OpCode, type OpRule } from './ops.js';

export { Op, type OpCode } from './ops.js';

/*
 * Why op codes. micrograd gives every node a closure that knows its local rule:
 *
 *     def __mul__(self, other):
 *         out = Value(self.data * other.data, (self, other), '*')
 *         def _backward():
 *             self.grad += other.data * out.grad
 *             other.grad += self.data * out.grad
 *         out._backward = _backward
 *         return out
 *
 * Here a node stores a small integer `_op`, and the rule lives once, in the table of ops.ts:
 *
 *     mul(other) { return node(MUL.forward(this.data, o.data, 0), Op.mul, this, o); }
 *     // backward: a.grad += MUL.da(a, b, out, k) * out.grad, and the same for b with MUL.db
 *
 * Measured (Node 20, 2-core EPYC, the moons-100 graph step of MLP(2,[16,16,1]), 100 steps, best
 * of 5 alternating runs): a copy of this Value with a closure per node took 22 ms a step, this
 * one 7 ms. A closure and its context per node are garbage the young generation collects every
 * step; a code costs one small integer field.
 */

/** Counts traversals, so nodes can be marked visited without a Set per call (see linkPostOrder). */
let visitGeneration = 0;

export type Operand = Value | number;

const NO_CHILDREN: readonly Value[] = Object.freeze([]);

// Rarely set, so kept off the nodes. Measured: one field less per node took the moons-100
// graph step from about 12 to 4 ms, nearly all of it garbage collection (V8 then kept a larger
// young generation).
/** Display names of values. */
const labels = new WeakMap<Value, string>();
/** Op names of hand-made nodes outside the op codes. */
const handMadeOps = new WeakMap<Value, string>();

export class Value {
  // Fields the traversals read come first, next to each other.
  /** @internal first operand, or null for a leaf */
  _a: Value | null = null;
  /** @internal second operand of a binary op, or null */
  _b: Value | null = null;
  /** @internal operation that produced this value */
  _op: OpCode = Op.leaf;
  /** @internal the number of the last traversal that reached this node; < 0: see NodeIndex */
  _visit = 0;
  /** @internal the next node of a traversal's stack or order (see linkPostOrder); null outside one */
  _next: Value | null = null;
  // Numbers from the start, so V8 gives each a number box of its own (Node 20 keeps no double
  // inside an object) that writes update in place: `p.data -= lr * p.grad` allocates nothing.
  data = 0;
  grad = 0;

  /**
   * A leaf, or a node made by hand: `op` must be the name of a primitive with as many children
   * as it takes (it then gets that primitive's rule), or a name of your own, which is shown in
   * graphs but has no backward rule. A pow needs its exponent: build it with `pow(k)`.
   */
  constructor(data: number, children: readonly Value[] = NO_CHILDREN, op = '', label = '') {
    this.data = data;
    // Kept out of line: every operation constructs a node, and a short constructor is one V8
    // inlines into its callers together with the table's forward functions.
    if (label !== '' || op !== '' || children.length !== 0) makeByHand(this, children, op, label);
  }

  /** A name shown in graph views ('' for none). */
  get label(): string {
    return labels.get(this) ?? '';
  }

  set label(name: string) {
    if (name === '') labels.delete(this);
    else labels.set(this, name);
  }

  /** @internal the constant exponent of a pow node, 0 for any other */
  get _k(): number {
    return this instanceof Power ? this.exponent : 0;
  }

  /** The operation that made this value ('' for a leaf), as shown in graphs. */
  get op(): string {
    if (this._op === Op.leaf) return handMadeOps.get(this) ?? '';
    const { name } = ruleOf(this._op);
    return this._op === Op.pow ? `${name}${this._k}` : name;
  }

  /** The rule of the primitive that made this value, or undefined for a leaf or a hand-made op. */
  get rule(): OpRule | undefined {
    return this._op === Op.leaf ? undefined : ruleOf(this._op);
  }

  /**
   * The local derivative of this value with respect to each operand, in operand order: the
   * numbers `backward()` multiplies this value's grad by ([] for a leaf or a hand-made op).
   */
  localDerivatives(): number[] {
    const a = this._a;
    if (this._op === Op.leaf || a === null) return [];
    const rule = ruleOf(this._op);
    const b = this._b;
    if (b === null) return [rule.da(a.data, 0, this.data, this._k)];
    return [rule.da(a.data, b.data, this.data, this._k), rule.db(a.data, b.data, this.data, this._k)];
  }

  /** The values this one was made from, in operand order. */
  get children(): Value[] {
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  // Each primitive computes its result with the table's forward (a direct call V8 inlines).
  add(other: Operand): Value {
    const o = toValue(other);
    return node(ADD.forward(this.data, o.data, 0), Op.add, this, o);
  }

  mul(other: Operand): Value {
    const o = toValue(other);
    return node(MUL.forward(this.data, o.data, 0), Op.mul, this, o);
  }

  pow(exponent: number): Value {
    return new Power(this, exponent);
  }

  exp(): Value {
    return node(EXP.forward(this.data, 0, 0), Op.exp, this, null);
  }

  log(): Value {
    return node(LOG.forward(this.data, 0, 0), Op.log, this, null);
  }

  tanh(): Value {
    return node(TANH.forward(this.data, 0, 0), Op.tanh, this, null);
  }

  relu(): Value {
    return node(RELU.forward(this.data, 0, 0), Op.relu, this, null);
  }

  sigmoid(): Value {
    return node(SIGMOID.forward(this.data, 0, 0), Op.sigmoid, this, null);
  }

  // Derived ops, built from the primitives exactly as the original does.
  neg(): Value {
    return this.mul(-1);
  }

  sub(other: Operand): Value {
    return this.add(typeof other === 'number' ? -other : other.neg());
  }

  div(other: Operand): Value {
    return this.mul(typeof other === 'number' ? other ** -1 : other.pow(-1));
  }

  /**
   * Add this node's contribution to the gradients of its operands (the chain rule, one link):
   * operand.grad += localDerivatives()[i] * grad, computed in place so that it allocates nothing.
   */
  _backward(): void {
    const a = this._a;
    if (a === null) return;
    const g = this.grad;
    const out = this.data;
    // One case per primitive, each a direct call of its rule that V8 inlines: a call through
    // the table (OPS[code].da) is not inlined, boxes every number it passes and returns, and
    // took the moons-100 graph step from 6 to 36 ms.
    switch (this._op) {
      case Op.leaf:
        return; // a hand-made op without a rule
      case Op.add: {
        const b = this._b as Value;
        a.grad += ADD.da(a.data, b.data, out, 0) * g;
        b.grad += ADD.db(a.data, b.data, out, 0) * g;
        return;
      }
      case Op.mul: {
        const b = this._b as Value;
        a.grad += MUL.da(a.data, b.data, out, 0) * g;
        b.grad += MUL.db(a.data, b.data, out, 0) * g;
        return;
      }
      case Op.pow:
        a.grad += POW.da(a.data, 0, out, (this as Value as Power).exponent) * g;
        return;
      case Op.exp:
        a.grad += EXP.da(a.data, 0, out, 0) * g;
        return;
      case Op.log:
        a.grad += LOG.da(a.data, 0, out, 0) * g;
        return;
      case Op.tanh:
        a.grad += TANH.da(a.data, 0, out, 0) * g;
        return;
      case Op.relu:
        a.grad += RELU.da(a.data, 0, out, 0) * g;
        return;
      case Op.sigmoid:
        a.grad += SIGMOID.da(a.data, 0, out, 0) * g;
        return;
      default:
        unknownOp(this._op);
    }
  }

  /** Set this value's grad to 1 and propagate gradients to every value it depends on. */
  backward(): void {
    const order = linkPostOrder(this, nextTraversal(), null);
    this.grad = 1;
    applyRules(order);
  }

  /** `Value(data=-6, grad=0)` as micrograd prints it; a computed value also names its op. */
  toString(): string {
    const op = this.op;
    return `Value(data=${this.data}, grad=${this.grad}${op === '' ? '' : `, op='${op}'`})`;
  }

  /** What `console.log` and a Node prompt show: the same as toString, not the internal fields. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** The label, operands and op of a node made with `new Value(data, children, op, label)`. */
function makeByHand(v: Value, children: readonly Value[], op: string, label: string): void {
  if (label !== '') labels.set(v, label);
  if (children.length === 0 && op === '') return;
  if (children.length > 2) throw new RangeError(`a Value has at most 2 children, got ${children.length}`);
  v._a = children[0] ?? null;
  v._b = children[1] ?? null;
  const rule = ruleNamed(op);
  if (rule === undefined) {
    handMadeOps.set(v, op);
    return;
  }
  if (rule.code === Op.pow) throw new RangeError("a '**' node needs its exponent: build it with a.pow(k)");
  if (children.length !== rule.arity) {
    throw new RangeError(`'${op}' takes ${rule.arity} operand${rule.arity === 1 ? '' : 's'}, got ${children.length}`);
  }
  v._op = rule.code;
}

function toValue(x: Operand): Value {
  return typeof x === 'number' ? new Value(x) : x;
}

function node(data: number, op: OpCode, a: Value, b: Value | null): Value {
  const out = new Value(data);
  out._op = op;
  out._a = a;
  out._b = b;
  return out;
}

/** A pow node: the one operation with a constant, its exponent, so the only node with a field for it. */
class Power extends Value {
  constructor(
    base: Value,
    readonly exponent: number,
  ) {
    super(POW.forward(base.data, 0, exponent));
    this._op = Op.pow;
    this._a = base;
  }
}

/**
 * Every value `root` depends on, each after all of its operands (root last): the post-order of
 * a depth-first search that visits operand a before b, as a recursive one would. Iterative, so a
 * chain of a million nodes does not overflow the stack.
 */
export function topologicalOrder(root: Value): Value[] {
  return unlink(linkPostOrder(root, nextTraversal(), null));
}

/** Every value the roots depend on, each once and after its operands: the roots' orders in turn. */
export function topologicalOrderOf(roots: readonly Value[]): Value[] {
  const traversal = nextTraversal();
  let order: Value | null = null;
  for (const root of roots) order = linkPostOrder(root, traversal, order);
  return unlink(order);
}

/** The mark of a new traversal (see linkPostOrder). */
function nextTraversal(): number {
  return ++visitGeneration;
}

/**
 * Link the post-order of `root` through `_next` in front of `order`, skipping the nodes that
 * traversal `traversal` has reached already, and return the new list: newest first, so `root`
 * comes first and every node comes before its operands. A node is marked with the traversal's
 * number when reached. The depth-first stack is linked through `_next` as well (a node is on it
 * at most once, and leaves it before it is emitted).
 *
 * Why links rather than arrays: the nodes are new and an array kept between calls is old, and
 * V8 records every store of a new object into an old one for the next young collection. Storing
 * the order and the stack in reused arrays took 60% of the moons-100 graph step's traversal, and
 * new arrays of that size made V8 move the graph's nodes out of the young generation (measured:
 * 2.8x slower steps).
 */
function linkPostOrder(root: Value, traversal: number, order: Value | null): Value | null {
  if (root._visit >= traversal) return order;
  let stack: Value | null = null;
  let v = root;
  for (;;) {
    // Down the chain of first operands not reached yet, pushing each node passed.
    v._visit = traversal;
    for (let a = v._a; a !== null && a._visit < traversal; a = v._a) {
      v._next = stack;
      stack = v;
      v = a;
      v._visit = traversal;
    }
    // Up: emit each node whose operands are done; a second operand not reached yet is next.
    for (;;) {
      const b = v._b;
      if (b !== null && b._visit < traversal) {
        v._next = stack;
        stack = v;
        v = b;
        break;
      }
      v._next = order;
      order = v;
      if (stack === null) return order;
      v = stack;
      stack = v._next;
    }
  }
}

/** The linked order as an array, operands first, with every link cleared so it holds no graph. */
function unlink(order: Value | null): Value[] {
  const nodes: Value[] = [];
  for (let v = order; v !== null; v = clearNext(v)) nodes.push(v);
  return nodes.reverse();
}

/** `v._next`, cleared on `v`. */
function clearNext(v: Value): Value | null {
  const next = v._next;
  v._next = null;
  return next;
}

/**
 * The chain rule down the linked order from the root, clearing the links on the way. A function
 * of its own, as is `linkPostOrder`: V8 compiles a long loop while it runs (on-stack
 * replacement), and code after the loop that had not run yet then lacked type feedback and threw
 * the compiled code away on every call (measured: the moons-100 graph step went from 12 to 60 ms).
 */
function applyRules(order: Value | null): void {
  for (let v = order; v !== null; v = clearNext(v)) v._backward();
}

/**
 * Positions of the nodes of a topological order, for a compiler that records the graph (the
 * tape). A Map of millions of nodes took seconds, so the position lives on the node, in
 * `_visit`, as -1 - position: negative, so the next traversal (whose marks are positive) reads
 * every node as not visited yet. Valid until the next traversal of these nodes.
 */
export class NodeIndex {
  constructor(readonly order: readonly Value[]) {
    for (let i = 0; i < order.length; i++) order[i]._visit = -1 - i;
  }

  /** Position of `v` in the order (meaningful only when `has(v)`). */
  of(v: Value): number {
    return -1 - v._visit;
  }

  /** True when `v` is one of the ordered nodes. */
  has(v: Value): boolean {
    return v._visit < 0 && this.order[-1 - v._visit] === v;
  }
}

/**
 * The data of `values` as a Float64Array. A plain loop: `Float64Array.from(values, (v) => v.data)`
 * takes the iterator's slow path (measured: 100 ms for the 132k parameters of three layers of 256).
 */
export function dataOf(values: readonly Value[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i].data;
  return out;
}

/** The grads of `values` as a Float64Array (see `dataOf`). */
export function gradsOf(values: readonly Value[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i].grad;
  return out;
}
