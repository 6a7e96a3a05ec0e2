/**
 * The program a column tape replays, written one instruction at a time. Two writers use it: the
 * graph recorder (graph-recorder.ts), which reads any one-sample Value graph, and recorders that
 * know their model's structure and emit its instructions straight from it (an MLP's neurons, in
 * src/nn/compiled.ts), with no graph to build and analyse.
 *
 * Every value a replay keeps per sample lives in a numbered column; `ColumnTape` gives each
 * column a block of samples. Leaves are the tape's inputs: columns fed by `forward`,
 * parameters (read at every forward, given their gradient by backward) and constants.
 */
import type { PrimitiveOp } from './ops.js';
import type { Value } from './value.js';

/**
 * A neuron's weighted sum c + w1*x1 + ... + wn*xn, as one instruction: c and every w are
 * parameters or constants (one number for all samples), each x a column. A tape-only kernel
 * built from add and mul: its rules are theirs (d/dc = 1, d/dw = x, d/dx = w), and it adds in
 * the order the graph adds, from the bias up.
 */
export const DOT_PLUS_BIAS = 9;
export type Instruction = PrimitiveOp | typeof DOT_PLUS_BIAS;

/** What a leaf is. */
export const Leaf = {
  /** A value per sample, fed by `forward`. */
  column: 0,
  /** Read at every forward and given its gradient (summed over samples) by backward. */
  param: 1,
  /** Captured when recording, the same for every sample. */
  constant: 2,
} as const;
export type LeafKind = (typeof Leaf)[keyof typeof Leaf];

/**
 * Numbers appended one at a time, in a typed array that doubles when full. Its buffer lives
 * outside V8's heap: JS arrays grown by push allocated about seven times their size there, and
 * a build that fills the young generation pays for a collection (measured in docs/performance.md).
 */
export class NumberList {
  private data = new Float64Array(64);
  length = 0;

  push(x: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = x;
  }

  /** Append `n` copies of `x`; returns the appended part, to write into (valid until the next push). */
  extend(n: number, x: number): Float64Array {
    this.reserve(n);
    this.data.fill(x, this.length, this.length + n);
    this.length += n;
    return this.data.subarray(this.length - n, this.length);
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, x: number): void {
    this.data[i] = x;
  }

  /** Room for `n` more numbers. */
  private reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const more = new Float64Array(Math.max(2 * this.data.length, this.length + n));
    more.set(this.data);
    this.data = more;
  }

  /** The numbers so far (a view, valid until the next push). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class TapeBuilder {
  /** Per leaf: its kind, its index among forward's columns or the params (-1 for a constant), its value, its column (-1: none). */
  readonly leafKind = new NumberList();
  readonly leafIndex = new NumberList();
  readonly leafValue = new NumberList();
  readonly leafColumn = new NumberList();
  /** Per instruction: its op, the column it writes, its operand columns (b: a DOT_PLUS_BIAS's products), a pow's exponent or where a DOT_PLUS_BIAS's operands start in `terms`. */
  readonly op = new NumberList();
  readonly out = new NumberList();
  readonly a = new NumberList();
  readonly b = new NumberList();
  readonly k = new NumberList();
  /** Per instruction: 1 for a DOT_PLUS_BIAS whose weights are all different leaves (its backward can take four at a pass). */
  readonly distinctWeights = new NumberList();
  /** DOT_PLUS_BIAS operands: the bias leaf, then a weight leaf and a feature column per product. */
  readonly terms = new NumberList();
  /** Columns given a number so far. */
  columns = 0;
  /** Instructions the outputs need: the ones replayed without the term. */
  modelLength = 0;
  /** The columns of the outputs and of the term (-1: none), once `finish` names them. */
  outputColumns: readonly number[] = [];
  termColumn = -1;
  /** Columns of nodes whose value and gradient per sample stay readable by Value. */
  readonly watched = new Map<Value, number>();
  /** Per column of `forward`: its leaf, or -1 before something reads it. */
  private readonly inputLeaf: Int32Array;
  /** Per leaf: 1 + the last instruction that read it as a weight (0: none), to tell whether a DOT_PLUS_BIAS's weights are all different. */
  private readonly weighedBy = new NumberList();

  /** Parameter i is leaf i (see `param`). */
  constructor(
    /** How many columns `forward` receives. */
    readonly columnCount: number,
    readonly params: readonly Value[],
  ) {
    this.inputLeaf = new Int32Array(columnCount).fill(-1);
    // The parameters' leaves in bulk, not one call per list per parameter: a large model's build
    // runs this once, interpreted. A parameter's value is read at every forward.
    const n = params.length;
    this.leafKind.extend(n, Leaf.param);
    const index = this.leafIndex.extend(n, 0);
    for (let i = 0; i < n; i++) index[i] = i;
    this.leafValue.extend(n, 0);
    this.leafColumn.extend(n, -1);
    this.weighedBy.extend(n, 0);
  }

  /** The column holding forward's column `i` (the same column each time it is asked for). */
  input(i: number): number {
    if (this.inputLeaf[i] < 0) this.inputLeaf[i] = this.leaf(Leaf.column, i, 0);
    return this.columnOf(this.inputLeaf[i]);
  }

  /**
   * The leaf of parameter `i`: leaf i. Every parameter has its leaf from the start, so that a
   * recorder that knows its model reads weights' leaves straight from their positions; one the
   * program does not read gets a gradient of 0 (its grad is left as it was).
   */
  param(i: number): number {
    return i;
  }

  /** A new constant leaf. */
  constant(value: number): number {
    return this.leaf(Leaf.constant, -1, value);
  }

  /**
   * The column of leaf `l`: a column leaf's samples, or a parameter or constant read per sample
   * (a parameter is broadcast into it at every forward, a constant once per size).
   */
  columnOf(l: number): number {
    if (this.leafColumn.get(l) < 0) this.leafColumn.set(l, this.columns++);
    return this.leafColumn.get(l);
  }

  /** c + w1*x1 + ... + wn*xn from the bias leaf, the weight leaves and the feature columns; returns its column. */
  dot(bias: number, weights: ArrayLike<number>, features: ArrayLike<number>): number {
    const start = this.terms.length;
    const terms = this.terms.extend(1 + 2 * weights.length, 0);
    const weighedBy = this.weighedBy.view();
    const mark = this.op.length + 1;
    terms[0] = bias;
    let distinct = 1;
    for (let i = 0; i < weights.length; i++) {
      terms[1 + 2 * i] = weights[i];
      terms[2 + 2 * i] = features[i];
      if (weighedBy[weights[i]] === mark) distinct = 0;
      weighedBy[weights[i]] = mark;
    }
    return this.emit(DOT_PLUS_BIAS, -1, weights.length, start, distinct);
  }

  /** A primitive op on operand columns a (and b for a binary one, else -1); k is a pow's exponent. Returns its column. */
  apply(op: PrimitiveOp, a: number, b: number, k: number): number {
    return this.emit(op, a, b, k, 0);
  }

  /** The instructions so far are the ones the outputs need. */
  endModel(): void {
    this.modelLength = this.op.length;
  }

  /** Name the columns a replay reads out: the outputs, and the term's (-1: no term). */
  finish(outputs: readonly number[], term: number): this {
    this.outputColumns = outputs;
    this.termColumn = term;
    return this;
  }

  private leaf(kind: LeafKind, index: number, value: number): number {
    this.leafKind.push(kind);
    this.leafIndex.push(index);
    this.leafValue.push(value);
    this.leafColumn.push(-1);
    this.weighedBy.push(0);
    return this.leafKind.length - 1;
  }

  private emit(op: Instruction, a: number, b: number, k: number, distinct: number): number {
    this.op.push(op);
    this.a.push(a);
    this.b.push(b);
    this.k.push(k);
    this.distinctWeights.push(distinct);
    this.out.push(this.columns);
    return this.columns++;
  }

  /** Per column of `forward`: the tape's column for it, or -1 when nothing reads it. */
  inputColumns(): Int32Array {
    return Int32Array.from(this.inputLeaf, (l) => (l < 0 ? -1 : this.leafColumn.get(l)));
  }
}
