/**
 * Records a one-sample Value graph into a tape's program (tape-builder.ts): any graph of the
 * primitive ops, with chains u + w*x (a neuron's weighted sum, built by add and mul) fused into
 * one DOT_PLUS_BIAS. Instructions come in the graph's topological order, so that per sample a
 * replay computes values and adds gradients in the order `backward()` on the graph does.
 */
import { Op, type PrimitiveOp } from './ops.js';
import { Leaf, type TapeBuilder } from './tape-builder.js';
import { NodeIndex, topologicalOrderOf, type Value } from './value.js';

export interface GraphSpec {
  /** Leaves with a value per sample: `columns[i]` is the builder's input i. */
  columns: readonly Value[];
  /** Leaves that are the builder's parameters: `params[i]` is its parameter i. */
  params: readonly Value[];
  /** The model's outputs for the sample. */
  outputs: readonly Value[];
  /** The sample's loss term, or null when only outputs are wanted. */
  term?: Value | null;
  /** Nodes whose value and gradient per sample stay readable (`valueAt`, `gradAt`): columns or instructions. */
  watch?: readonly Value[];
}

/** A leaf that stands for a column the builder already has (see `bound`). */
const BOUND = 3;

/**
 * Record the graph of `spec`'s outputs, then its term (the builder's model part ends between
 * them); returns their columns. `bound` maps leaves of the graph that stand for columns the
 * builder already has (a model recorded another way, whose outputs a loss term reads) to them.
 */
export function recordGraph(builder: TapeBuilder, spec: GraphSpec, bound: ReadonlyMap<Value, number> = new Map()): { outputs: number[]; term: number } {
  const { columns, params, outputs } = spec;
  const term = spec.term ?? null;
  const roots = term === null ? outputs : [...outputs, term];
  const index = new NodeIndex(topologicalOrderOf(roots));
  const { order } = index;
  const n = order.length;
  const pos = (v: Value): number => index.of(v);
  // The roots' orders come in turn, so the outputs' nodes come first: the model part.
  let modelNodes = 0;
  for (const o of outputs) modelNodes = Math.max(modelNodes, pos(o) + 1);

  // The passes below read the graph from typed arrays rather than from the Values, with no
  // closure per node and one traversal: they run once, mostly before V8 has compiled them, and
  // every closure hot enough is compiled on another thread, whose CPU time a build pays too.
  // Measured: building moons-1000's tape runner went from 58 to 46 ms of CPU (median of 12
  // cold processes each, load 7 on 2 cores).
  // Phase 1, the graph as arrays: each node's op and its operands' positions (-1: none; a
  // leaf reads none, even a hand-made node without a rule); the kinds of leaves.
  const op = new Uint8Array(n);
  const opA = new Int32Array(n).fill(-1);
  const opB = new Int32Array(n).fill(-1);
  const kind = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    op[i] = v._op;
    if (v._op === Op.leaf) continue;
    opA[i] = pos(v._a as Value);
    if (v._b !== null) opB[i] = pos(v._b);
  }
  const leafIndexOf = new Int32Array(n).fill(-1);
  columns.forEach((c, i) => {
    if (!index.has(c) || c._op !== Op.leaf) return;
    kind[pos(c)] = Leaf.column;
    leafIndexOf[pos(c)] = i;
  });
  params.forEach((p, i) => {
    if (!index.has(p) || kind[pos(p)] === Leaf.column) return;
    kind[pos(p)] = Leaf.param;
    leafIndexOf[pos(p)] = i;
  });
  for (const v of bound.keys()) if (index.has(v)) kind[pos(v)] = BOUND;
  /** 1 for a parameter or a constant: one number for every sample. */
  const scalar = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (op[i] === Op.leaf && kind[i] === -1) kind[i] = Leaf.constant;
    if (kind[i] === Leaf.param || kind[i] === Leaf.constant) scalar[i] = 1;
  }

  // Phase 2, count uses. A node used once, by one op and by nobody outside (not a root, read
  // after a forward), can be fused into its user.
  const uses = new Int32Array(n);
  const user = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (opA[i] >= 0) {
      uses[opA[i]]++;
      user[opA[i]] = i;
    }
    if (opB[i] >= 0) {
      uses[opB[i]]++;
      user[opB[i]] = i;
    }
  }
  const sole = new Uint8Array(n);
  for (let i = 0; i < n; i++) sole[i] = uses[i] === 1 ? 1 : 0;
  for (const r of roots) sole[pos(r)] = 0;

  // Phase 3, plan fusion: chains of links u + w*x (an add whose second operand is a product,
  // used only there, of a scalar w and a feature x) where each inner link is used only by the
  // next: the chain a neuron's weighted sum builds. A chain whose innermost bias is a scalar,
  // all on one side of the model/term line, becomes one DOT_PLUS_BIAS at its head.
  const link = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = opB[i];
    if (op[i] === Op.add && op[p] === Op.mul && sole[p] === 1 && (scalar[opA[p]] === 1 || scalar[opB[p]] === 1)) link[i] = 1;
  }
  /** The links of each fused chain, from its head down, one after the other; a head's first link is at chainStart. */
  const links = new Int32Array(n);
  const chainStart = new Int32Array(n).fill(-1);
  const chainLength = new Int32Array(n);
  const absorbed = new Uint8Array(n);
  let linked = 0;
  for (let head = 0; head < n; head++) {
    // Not a link, or an inner link of a longer chain.
    if (link[head] === 0 || (sole[head] === 1 && link[user[head]] === 1 && opA[user[head]] === head)) continue;
    let length = 1;
    let last = head;
    while (link[opA[last]] === 1 && sole[opA[last]] === 1) {
      length++;
      last = opA[last];
    }
    // Positions fall from the head down, so the innermost link tells whether all are on the head's side.
    if (scalar[opA[last]] === 0 || (head >= modelNodes && last < modelNodes)) continue;
    chainStart[head] = linked;
    chainLength[head] = length;
    for (let l = head, j = 0; j < length; j++, l = opA[l]) {
      links[linked++] = l;
      if (j > 0) absorbed[l] = 1;
      absorbed[opB[l]] = 1;
    }
  }
  /** The factor of fused product p that varies per sample: the one that is not the weight. */
  const featureOf = (p: number): number => (scalar[opA[p]] === 1 ? opB[p] : opA[p]);

  // Phase 4, columns: which nodes need a column of samples. An instruction writes one; an
  // operand read per sample needs one (a parameter or constant there is broadcast into it);
  // a DOT_PLUS_BIAS reads its bias and weights as single numbers.
  const needsColumn = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (op[i] === Op.leaf || absorbed[i] === 1) continue;
    if (chainStart[i] < 0) {
      needsColumn[opA[i]] = 1;
      if (opB[i] >= 0) needsColumn[opB[i]] = 1;
    } else {
      for (let j = chainStart[i]; j < chainStart[i] + chainLength[i]; j++) needsColumn[featureOf(opB[links[j]])] = 1;
    }
  }
  for (const r of roots) needsColumn[pos(r)] = 1;

  // Phase 5, emit in order (operands come before their users): each leaf the graph reads as a
  // leaf of the builder, each instruction that is not fused into another.
  const leafOf = new Int32Array(n).fill(-1);
  const column = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (i === modelNodes) builder.endModel();
    if (op[i] === Op.leaf) {
      if (kind[i] === BOUND) column[i] = bound.get(order[i]) as number;
      else if (kind[i] === Leaf.column) column[i] = builder.input(leafIndexOf[i]);
      else {
        leafOf[i] = kind[i] === Leaf.param ? builder.param(leafIndexOf[i]) : builder.constant(order[i].data);
        if (needsColumn[i] === 1) column[i] = builder.columnOf(leafOf[i]);
      }
    } else if (absorbed[i] === 0) {
      column[i] = chainStart[i] < 0 ? builder.apply(op[i] as PrimitiveOp, column[opA[i]], opB[i] < 0 ? -1 : column[opB[i]], order[i]._k) : emitChain(i);
    }
  }
  if (modelNodes === n) builder.endModel();

  /** The chain headed at `head` as one DOT_PLUS_BIAS: the links run from the head down, the sum from the bias up, as the graph adds. */
  function emitChain(head: number): number {
    const first = chainStart[head];
    const length = chainLength[head];
    const weights: number[] = [];
    const features: number[] = [];
    for (let m = first + length - 1; m >= first; m--) {
      const p = opB[links[m]];
      const x = featureOf(p);
      weights.push(leafOf[x === opA[p] ? opB[p] : opA[p]]);
      features.push(column[x]);
    }
    return builder.dot(leafOf[opA[links[first + length - 1]]], weights, features);
  }

  const columnOf = (v: Value): number => column[pos(v)];
  for (const v of spec.watch ?? []) {
    const c = index.has(v) ? columnOf(v) : -1;
    if (c < 0) throw new RangeError('a watched node must be a column or an instruction of the graph');
    builder.watched.set(v, c);
  }
  return { outputs: outputs.map(columnOf), term: term === null ? -1 : columnOf(term) };
}
