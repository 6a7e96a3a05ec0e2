/**
 * A compiled tape: the structure of a Value graph recorded once and replayed, forward and
 * backward, over flat Float64Arrays with no allocation per step. A full-batch training step
 * builds the same graph every time, only with new parameter values, so recording it once is
 * enough.
 *
 * Leaves that are parameters are read from their Value at every forward and receive their
 * gradient at every backward; every other leaf is a constant captured when recording. The
 * replay applies the same operations in the same order as `Value.backward()`, so values and
 * gradients are identical to the graph's, bit for bit.
 */
import { ADD, EXP, LOG, MUL, Op, POW, RELU, SIGMOID, TANH, unknownOp, type PrimitiveOp } from './ops.js';
import { NodeIndex, topologicalOrder, type Value } from './value.js';

/**
 * A neuron's weighted sum c + a1*b1 + ... + an*bn, summed left to right as the chain of add and
 * mul nodes does, recorded as one instruction (a tape-only op code).
 */
const DOT = 9;
/** What an instruction does: a primitive of ops.ts or the tape's fused weighted sum. */
type TapeOp = PrimitiveOp | typeof DOT;

export class Tape {
  /** Parameter values and gradients live in these Values; the tape copies in and out. */
  readonly params: readonly Value[];
  /** Number of instructions replayed per pass (a fused weighted sum counts once). */
  readonly length: number;
  /** Nodes of the recorded graph, before fusing. */
  readonly nodes: number;
  private readonly val: Float64Array;
  private readonly grad: Float64Array;
  /** Slot of each parameter, or -1 for a parameter the root does not depend on. */
  private readonly paramSlots: Int32Array;
  private readonly outputSlots: Int32Array;
  private readonly rootSlot: number;
  /** Instruction i writes slot `leaves + i`. */
  private readonly leaves: number;
  private readonly op: Uint8Array;
  private readonly a: Int32Array;
  /** Second operand; for a DOT, the number of products. */
  private readonly b: Int32Array;
  /** A pow's exponent; for a DOT, where its operands start in `terms`. */
  private readonly k: Float64Array;
  /** DOT operands: c, then a1, b1, a2, b2, ... */
  private readonly terms: Int32Array;

  /**
   * Record the graph of `root`. `outputs` are other nodes of that graph whose values should be
   * readable after each forward (a model's per-sample outputs, say).
   */
  constructor(root: Value, params: readonly Value[], outputs: readonly Value[] = []) {
    const index = new NodeIndex(topologicalOrder(root));
    const { order } = index;
    const n = order.length;
    const pos = (v: Value): number => index.of(v);
    const isOp = (v: Value): boolean => v._op !== Op.leaf;
    for (const o of outputs) {
      if (!index.has(o)) throw new RangeError('every output must be part of the graph of the root');
    }
    const { soleUse, user } = countUses(index, [root, ...outputs]);
    const { fusedHead, absorbed } = planFusion(index, soleUse, user);
    const { slot, leaves, count, termCount } = allocateSlots(index, fusedHead, absorbed);

    // Phase 4, emit the instructions.
    this.params = params;
    this.nodes = n;
    this.leaves = leaves;
    this.length = count;
    this.val = new Float64Array(leaves + count);
    this.grad = new Float64Array(leaves + count);
    this.op = new Uint8Array(count);
    this.a = new Int32Array(count);
    this.b = new Int32Array(count);
    this.k = new Float64Array(count);
    this.terms = new Int32Array(termCount);
    const slotOf = (v: Value): number => slot[pos(v)] as number;

    let t = 0;
    for (let i = 0; i < n; i++) {
      const v = order[i] as Value;
      if (!isOp(v)) {
        this.val[slot[i] as number] = v.data; // constants keep this value; parameters are re-read
        continue;
      }
      if (absorbed[i] === 1) continue;
      const j = (slot[i] as number) - leaves;
      const links = fusedHead.get(i);
      if (links === undefined) {
        this.op[j] = v._op;
        this.a[j] = slotOf(v._a as Value);
        this.b[j] = v._b === null ? -1 : slotOf(v._b);
        this.k[j] = v._k;
        continue;
      }
      // links run from the head down; the sum runs from the innermost term up.
      this.op[j] = DOT;
      this.b[j] = links.length;
      this.k[j] = t;
      this.terms[t++] = slotOf((links[links.length - 1] as Value)._a as Value);
      for (let m = links.length - 1; m >= 0; m--) {
        const product = (links[m] as Value)._b as Value;
        this.terms[t++] = slotOf(product._a as Value);
        this.terms[t++] = slotOf(product._b as Value);
      }
    }

    this.rootSlot = slot[n - 1] as number;
    this.paramSlots = Int32Array.from(params, (p) => (index.has(p) ? (slot[pos(p)] as number) : -1));
    this.outputSlots = Int32Array.from(outputs, (o) => slot[pos(o)] as number);
  }

  /** Recompute every node from the parameters' current values; returns the root's value. */
  forward(): number {
    const { val, op, a, b, k, terms, leaves, params, paramSlots } = this;
    for (let i = 0; i < params.length; i++) {
      const s = paramSlots[i] as number;
      if (s >= 0) val[s] = (params[i] as Value).data;
    }
    const count = this.length;
    for (let j = 0; j < count; j++) {
      const x = val[a[j] as number] as number;
      let y: number;
      switch (op[j] as TapeOp) {
        case DOT: {
          let t = k[j] as number;
          const end = t + 1 + 2 * (b[j] as number);
          y = val[terms[t++] as number] as number;
          for (; t < end; t += 2) y += (val[terms[t] as number] as number) * (val[terms[t + 1] as number] as number);
          break;
        }
        // One case per primitive, each a direct call of its rule, which V8 inlines.
        case Op.add:
          y = ADD.forward(x, val[b[j] as number] as number, 0);
          break;
        case Op.mul:
          y = MUL.forward(x, val[b[j] as number] as number, 0);
          break;
        case Op.pow:
          y = POW.forward(x, 0, k[j] as number);
          break;
        case Op.exp:
          y = EXP.forward(x, 0, 0);
          break;
        case Op.log:
          y = LOG.forward(x, 0, 0);
          break;
        case Op.tanh:
          y = TANH.forward(x, 0, 0);
          break;
        case Op.relu:
          y = RELU.forward(x, 0, 0);
          break;
        case Op.sigmoid:
          y = SIGMOID.forward(x, 0, 0);
          break;
        default:
          return unknownOp(op[j] as never);
      }
      val[leaves + j] = y;
    }
    return val[this.rootSlot] as number;
  }

  /**
   * Add the gradient of the root with respect to each parameter into its `grad`, as
   * `root.backward()` does. Uses the values of the last `forward()`.
   */
  backward(): void {
    const { val, grad, op, a, b, k, terms, leaves, params, paramSlots } = this;
    grad.fill(0);
    grad[this.rootSlot] = 1;
    for (let j = this.length - 1; j >= 0; j--) {
      const g = grad[leaves + j] as number;
      const x = a[j] as number;
      switch (op[j] as TapeOp) {
        case DOT: {
          // The graph's order: the products from the last to the second, then the first
          // term, then the first product.
          const start = k[j] as number;
          for (let t = start + 2 * (b[j] as number) - 1; t > start; t -= 2) {
            if (t === start + 1) grad[terms[start] as number] += g;
            const p = terms[t] as number;
            const q = terms[t + 1] as number;
            grad[p] += (val[q] as number) * g;
            grad[q] += (val[p] as number) * g;
          }
          break;
        }
        case Op.add: {
          const y = b[j] as number;
          grad[x] += ADD.da(val[x] as number, val[y] as number, val[leaves + j] as number, 0) * g;
          grad[y] += ADD.db(val[x] as number, val[y] as number, val[leaves + j] as number, 0) * g;
          break;
        }
        case Op.mul: {
          const y = b[j] as number;
          grad[x] += MUL.da(val[x] as number, val[y] as number, val[leaves + j] as number, 0) * g;
          grad[y] += MUL.db(val[x] as number, val[y] as number, val[leaves + j] as number, 0) * g;
          break;
        }
        case Op.pow:
          grad[x] += POW.da(val[x] as number, 0, val[leaves + j] as number, k[j] as number) * g;
          break;
        case Op.exp:
          grad[x] += EXP.da(val[x] as number, 0, val[leaves + j] as number, 0) * g;
          break;
        case Op.log:
          grad[x] += LOG.da(val[x] as number, 0, val[leaves + j] as number, 0) * g;
          break;
        case Op.tanh:
          grad[x] += TANH.da(val[x] as number, 0, val[leaves + j] as number, 0) * g;
          break;
        case Op.relu:
          grad[x] += RELU.da(val[x] as number, 0, val[leaves + j] as number, 0) * g;
          break;
        case Op.sigmoid:
          grad[x] += SIGMOID.da(val[x] as number, 0, val[leaves + j] as number, 0) * g;
          break;
        default:
          unknownOp(op[j] as never);
      }
    }
    for (let i = 0; i < params.length; i++) {
      const s = paramSlots[i] as number;
      if (s >= 0) (params[i] as Value).grad += grad[s] as number;
    }
  }

  /** The value of `outputs[i]` after the last forward. */
  output(i: number): number {
    return this.val[this.outputSlots[i] as number] as number;
  }

  /** The root's value after the last forward. */
  get value(): number {
    return this.val[this.rootSlot] as number;
  }
}

/** How the nodes of an order are used (phase 1 of recording a tape). */
export interface Uses {
  /** Times each node is an operand. */
  uses: Int32Array;
  /** The last node that uses each node as an operand (-1: none). */
  user: Int32Array;
  /** True when node i may be fused into its user: used once, and not pinned. */
  soleUse: (i: number) => boolean;
}

/**
 * Phase 1, count uses: who uses each node. A node used once, by one op and by nobody outside
 * (it is not one of the `pinned` roots or outputs, read after a forward), can be fused away.
 */
export function countUses(index: NodeIndex, pinned: readonly Value[]): Uses {
  const { order } = index;
  const n = order.length;
  const uses = new Int32Array(n);
  const user = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = order[i] as Value;
    if (v._op === Op.leaf) continue;
    uses[index.of(v._a as Value)]++;
    user[index.of(v._a as Value)] = i;
    if (v._b !== null) {
      uses[index.of(v._b)]++;
      user[index.of(v._b)] = i;
    }
  }
  const isPinned = new Uint8Array(n);
  for (const v of pinned) isPinned[index.of(v)] = 1;
  return { uses, user, soleUse: (i) => uses[i] === 1 && isPinned[i] === 0 };
}

/**
 * Phase 2, plan fusion: the weighted sums to record as one DOT each (head position -> links,
 * from the head down), and the nodes they absorb. A chain is fused only when that keeps every
 * floating-point sum in the graph's order.
 */
function planFusion(index: NodeIndex, soleUse: (i: number) => boolean, user: Int32Array): { fusedHead: Map<number, Value[]>; absorbed: Uint8Array } {
  const { order } = index;
  const pos = (v: Value): number => index.of(v);
  const isLink = (v: Value): boolean => v._op === Op.add && v._b !== null && v._b._op === Op.mul && soleUse(pos(v._b));
  const fusedHead = new Map<number, Value[]>();
  const absorbed = new Uint8Array(order.length);
  const check = new ReorderCheck(order.length, pos);
  for (const links of findChains(order, pos, isLink, soleUse, user)) {
    if (!check.reordersNothing(order, links)) continue;
    fusedHead.set(pos(links[0] as Value), links);
    for (let j = 0; j < links.length; j++) {
      const link = links[j] as Value;
      if (j > 0) absorbed[pos(link)] = 1;
      absorbed[pos(link._b as Value)] = 1;
    }
  }
  return { fusedHead, absorbed };
}

/** Phase 3, allocate slots: leaves first, then one per instruction, in graph order. */
function allocateSlots(
  index: NodeIndex,
  fusedHead: Map<number, Value[]>,
  absorbed: Uint8Array,
): { slot: Int32Array; leaves: number; count: number; termCount: number } {
  const { order } = index;
  const n = order.length;
  const isOp = (i: number): boolean => (order[i] as Value)._op !== Op.leaf;
  const slot = new Int32Array(n).fill(-1);
  let leaves = 0;
  for (let i = 0; i < n; i++) if (!isOp(i)) slot[i] = leaves++;
  let count = 0;
  let termCount = 0;
  for (let i = 0; i < n; i++) {
    if (!isOp(i) || absorbed[i] === 1) continue;
    slot[i] = leaves + count++;
    const links = fusedHead.get(i);
    if (links !== undefined) termCount += 1 + 2 * links.length;
  }
  return { slot, leaves, count, termCount };
}

/**
 * Maximal chains of links (v = u + a*b with a private product) where each inner link is used
 * only by the next one: the chain of adds a neuron's weighted sum builds. Each chain is listed
 * from its head (the final sum) down to its innermost link.
 */
export function findChains(
  order: readonly Value[],
  pos: (v: Value) => number,
  isLink: (v: Value) => boolean,
  soleUse: (i: number) => boolean,
  user: Int32Array,
): Value[][] {
  const extendsNext = (i: number): boolean => {
    if (!soleUse(i)) return false;
    const next = order[user[i] as number] as Value;
    return isLink(next) && next._a === order[i];
  };
  const chains: Value[][] = [];
  for (let i = 0; i < order.length; i++) {
    const v = order[i] as Value;
    if (!isLink(v) || extendsNext(i)) continue;
    const links = [v];
    let inner = v._a as Value;
    while (isLink(inner) && soleUse(pos(inner))) {
      links.push(inner);
      inner = inner._a as Value;
    }
    chains.push(links);
  }
  return chains;
}

/**
 * Fusing moves every gradient contribution of a chain to the head's place in the backward
 * order. That is only exact if no other node in between adds to the same operands: otherwise
 * a floating-point sum would change its order. Checks the nodes between the chain's first
 * product and its head; chains are marked by number so that nothing is allocated per chain.
 */
class ReorderCheck {
  private readonly member: Int32Array;
  private readonly operand: Int32Array;
  private chain = 0;

  constructor(
    n: number,
    private readonly pos: (v: Value) => number,
  ) {
    this.member = new Int32Array(n);
    this.operand = new Int32Array(n);
  }

  /** True when fusing `links` (listed from the head down) keeps every sum in the graph's order. */
  reordersNothing(order: readonly Value[], links: readonly Value[]): boolean {
    const { member, operand, pos } = this;
    const id = ++this.chain;
    operand[pos((links[links.length - 1] as Value)._a as Value)] = id;
    for (const link of links) {
      const product = link._b as Value;
      member[pos(link)] = id;
      member[pos(product)] = id;
      operand[pos(product._a as Value)] = id;
      operand[pos(product._b as Value)] = id;
    }
    const head = pos(links[0] as Value);
    for (let i = pos((links[links.length - 1] as Value)._b as Value) + 1; i < head; i++) {
      const v = order[i] as Value;
      if (member[i] === id || v._op === Op.leaf) continue;
      if (operand[pos(v._a as Value)] === id || (v._b !== null && operand[pos(v._b)] === id)) return false;
    }
    return true;
  }
}
