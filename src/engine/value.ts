/**
 * A scalar autograd engine in the spirit of Karpathy's micrograd (micrograd/engine.py).
 *
 * A Value holds a number, the gradient of some output with respect to it, and the (at most
 * two) values it was made from. Each operation computes its result and names a local backward
 * rule; `backward()` orders the graph topologically and applies the chain rule from the output.
 */

/** Operation codes: a small integer per node instead of a closure per node. */
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

const OP_NAMES = ['', '+', '*', '**', 'exp', 'log', 'tanh', 'relu', 'sigmoid'] as const;

/** Counts traversals, so nodes can be marked visited without a Set per call (see postOrder). */
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
  /** @internal 2g when traversal g expanded this node, 2g + 1 once it emitted it (< 0: see Tape) */
  _visit = 0;
  // Numbers from the start, so V8 keeps them as in-place doubles: `p.data -= lr * p.grad`
  // then allocates nothing.
  data = 0;
  grad = 0;
  /** @internal constant exponent of a pow node */
  _k = 0;

  constructor(data: number, children: readonly Value[] = NO_CHILDREN, op = '', label = '') {
    this.data = data;
    if (label !== '') labels.set(this, label);
    if (children.length === 0 && op === '') return;
    if (children.length > 2) throw new RangeError(`a Value has at most 2 children, got ${children.length}`);
    this._a = children[0] ?? null;
    this._b = children[1] ?? null;
    const code = OP_NAMES.indexOf(op as (typeof OP_NAMES)[number]);
    // A hand-made node with an unknown op is displayed but has no backward rule.
    if (code > 0) this._op = code as OpCode;
    else handMadeOps.set(this, op);
  }

  /** A name shown in graph views ('' for none). */
  get label(): string {
    return labels.get(this) ?? '';
  }

  set label(name: string) {
    if (name === '') labels.delete(this);
    else labels.set(this, name);
  }

  /** The operation that made this value ('' for a leaf), as shown in graphs. */
  get op(): string {
    if (this._op === Op.pow) return `**${this._k}`;
    return this._op === Op.leaf ? (handMadeOps.get(this) ?? '') : OP_NAMES[this._op];
  }

  /** The values this one was made from, in operand order. */
  get children(): Value[] {
    if (this._a === null) return [];
    return this._b === null ? [this._a] : [this._a, this._b];
  }

  add(other: Operand): Value {
    const o = toValue(other);
    return node(this.data + o.data, Op.add, this, o);
  }

  mul(other: Operand): Value {
    const o = toValue(other);
    return node(this.data * o.data, Op.mul, this, o);
  }

  pow(exponent: number): Value {
    const out = node(this.data ** exponent, Op.pow, this, null);
    out._k = exponent;
    return out;
  }

  exp(): Value {
    return node(Math.exp(this.data), Op.exp, this, null);
  }

  log(): Value {
    return node(Math.log(this.data), Op.log, this, null);
  }

  tanh(): Value {
    return node(Math.tanh(this.data), Op.tanh, this, null);
  }

  relu(): Value {
    return node(this.data < 0 ? 0 : this.data, Op.relu, this, null);
  }

  sigmoid(): Value {
    return node(1 / (1 + Math.exp(-this.data)), Op.sigmoid, this, null);
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

  /** Add this node's contribution to the gradients of its operands (the chain rule, one link). */
  _backward(): void {
    const a = this._a as Value;
    const g = this.grad;
    switch (this._op) {
      case Op.add:
        a.grad += g;
        (this._b as Value).grad += g;
        break;
      case Op.mul: {
        const b = this._b as Value;
        a.grad += b.data * g;
        b.grad += a.data * g;
        break;
      }
      case Op.pow:
        a.grad += this._k * a.data ** (this._k - 1) * g;
        break;
      case Op.exp:
        a.grad += this.data * g;
        break;
      case Op.log:
        a.grad += (1 / a.data) * g;
        break;
      case Op.tanh:
        a.grad += (1 - this.data * this.data) * g;
        break;
      case Op.relu:
        a.grad += this.data > 0 ? g : 0;
        break;
      case Op.sigmoid:
        a.grad += this.data * (1 - this.data) * g;
        break;
    }
  }

  /** Set this value's grad to 1 and propagate gradients to every value it depends on. */
  backward(): void {
    const n = postOrder(this, scratchOrder, scratchStack);
    this.grad = 1;
    for (let i = n - 1; i >= 0; i--) (scratchOrder[i] as Value)._backward();
    scratchOrder.fill(RELEASED, 0, n);
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
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

/**
 * Every value `root` depends on, each after all of its operands (root last): the post-order of
 * a depth-first search that visits operand a before b, as a recursive one would. Iterative, so a
 * chain of a million nodes does not overflow the stack.
 */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [];
  postOrder(root, order, []);
  return order;
}

/** Filler for the reused arrays of `backward()`, so that they keep no graph alive. */
const RELEASED = new Value(0);
const scratchOrder: Value[] = [];
const scratchStack: Value[] = [];

/**
 * Write the post-order of `root` into `order` (from index 0) and return its length. A node is
 * marked 2g when first expanded and 2g + 1 when emitted in traversal g; a node pushed twice
 * before its expansion is emitted once, from the entry that expanded it. The arrays are indexed
 * rather than pushed and popped, and `backward()` reuses them: growing them anew on every call
 * cost as much as the traversal itself.
 */
function postOrder(root: Value, order: Value[], stack: Value[]): number {
  const expanded = 2 * ++visitGeneration;
  const emitted = expanded + 1;
  stack[0] = root;
  let top = 0;
  let highest = 0;
  let n = 0;
  while (top >= 0) {
    const v = stack[top] as Value;
    if (v._visit < expanded) {
      v._visit = expanded;
      // b below a, so that a's subtree is finished first.
      const b = v._b;
      if (b !== null && b._visit < expanded) stack[++top] = b;
      const a = v._a;
      if (a !== null && a._visit < expanded) stack[++top] = a;
      if (top > highest) highest = top;
    } else {
      top--;
      if (v._visit === expanded) {
        v._visit = emitted;
        order[n++] = v;
      }
    }
  }
  if (stack === scratchStack) stack.fill(RELEASED, 0, highest + 1);
  return n;
}
