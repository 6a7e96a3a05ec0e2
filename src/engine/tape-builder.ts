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

export class TapeBuilder {
  /** Per leaf: its kind, its index among forward's columns or the params (-1 for a constant), its value, its column (-1: none). */
  readonly leafKind: LeafKind[] = [];
  readonly leafIndex: number[] = [];
  readonly leafValue: number[] = [];
  readonly leafColumn: number[] = [];
  /** Per instruction: its op, the column it writes, its operand columns (b: a DOT_PLUS_BIAS's products), a pow's exponent or where a DOT_PLUS_BIAS's operands start in `terms`. */
  readonly op: Instruction[] = [];
  readonly out: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly k: number[] = [];
  /** Per instruction: 1 for a DOT_PLUS_BIAS whose weights are all different leaves (its backward can take four at a pass). */
  readonly distinctWeights: number[] = [];
  /** DOT_PLUS_BIAS operands: the bias leaf, then a weight leaf and a feature column per product. */
  readonly terms: number[] = [];
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
  /** Per parameter: its leaf, or -1 before something reads it. */
  private readonly paramLeaf: Int32Array;

  constructor(
    /** How many columns `forward` receives. */
    readonly columnCount: number,
    readonly params: readonly Value[],
  ) {
    this.inputLeaf = new Int32Array(columnCount).fill(-1);
    this.paramLeaf = new Int32Array(params.length).fill(-1);
  }

  /** The column holding forward's column `i` (the same column each time it is asked for). */
  input(i: number): number {
    if (this.inputLeaf[i] < 0) this.inputLeaf[i] = this.leaf(Leaf.column, i, 0);
    return this.columnOf(this.inputLeaf[i]);
  }

  /** The leaf of parameter `i` (one leaf however often it is read). */
  param(i: number): number {
    if (this.paramLeaf[i] < 0) this.paramLeaf[i] = this.leaf(Leaf.param, i, this.params[i].data);
    return this.paramLeaf[i];
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
    if (this.leafColumn[l] < 0) this.leafColumn[l] = this.columns++;
    return this.leafColumn[l];
  }

  /** c + w1*x1 + ... + wn*xn from the bias leaf, the weight leaves and the feature columns; returns its column. */
  dot(bias: number, weights: readonly number[], features: readonly number[]): number {
    const start = this.terms.length;
    this.terms.push(bias);
    let distinct = 1;
    for (let i = 0; i < weights.length; i++) {
      this.terms.push(weights[i], features[i]);
      if (distinct === 1 && weights.indexOf(weights[i]) !== i) distinct = 0;
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
    return Int32Array.from(this.inputLeaf, (l) => (l < 0 ? -1 : this.leafColumn[l]));
  }
}
