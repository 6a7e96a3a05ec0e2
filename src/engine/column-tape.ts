/**
 * A column-wise tape: the graph of ONE sample (a model's forward pass and, optionally, that
 * sample's loss term) recorded once, then replayed for a whole batch, each instruction running
 * over every sample in a tight loop over Float64Arrays. Recording costs milliseconds whatever the
 * batch, memory is slots x batch, and the dispatch per instruction is paid once per batch.
 *
 * Leaves are of three kinds: columns (a different value per sample: the sample's inputs and the
 * numbers its loss term reads from its target), parameters (read at every forward, given their
 * gradient at every backward) and constants (captured when recording, the same for every sample).
 *
 * Per sample, values and gradients are computed in the graph's order, and a parameter's
 * gradient adds the samples in the order `backward()` on the batch's graph does, so an MLP's
 * losses, outputs and gradients equal the Value graph's bit for bit. A graph where one sample
 * uses a parameter in several places may add those in another order: equal to rounding, about
 * 1e-15 relative (the tests allow 1e-12).
 */
import { ADD, EXP, LOG, MUL, Op, POW, RELU, SIGMOID, TANH, unknownOp, type PrimitiveOp } from './ops.js';
import { countUses, findChains } from './tape.js';
import { NodeIndex, topologicalOrderOf, type Value } from './value.js';

/**
 * A neuron's weighted sum c + w1*x1 + ... + wn*xn, recorded as one instruction: c and every w
 * are parameters or constants (one number for all samples), each x a column. A tape-only
 * kernel built from add and mul: its rules are theirs (d/dc = 1, d/dw = x, d/dx = w).
 */
const DOT_PLUS_BIAS = 9;
type Instruction = PrimitiveOp | typeof DOT_PLUS_BIAS;

const enum Leaf {
  column,
  param,
  constant,
}

export interface ColumnTapeSpec {
  /** Leaves with a value per sample, in the order `forward` receives their columns. */
  columns: readonly Value[];
  /** Leaves read at every forward and given their gradient (summed over samples) by backward. */
  params: readonly Value[];
  /** The model's outputs for the sample. */
  outputs: readonly Value[];
  /** The sample's loss term, or null when only outputs are wanted. */
  term?: Value | null;
}

export class ColumnTape {
  readonly params: readonly Value[];
  /** Instructions replayed for the outputs alone, then for the term too. */
  readonly modelLength: number;
  readonly length: number;
  /** Nodes of the recorded sample graph, before fusing. */
  readonly nodes: number;
  private readonly columnCount: number;
  private readonly leaves: number;
  /** Per leaf: its kind, its index among the columns or the params (-1 for a constant). */
  private readonly leafKind: Uint8Array;
  private readonly leafIndex: Int32Array;
  /** Per leaf: a parameter's value this forward, a constant's value; and its gradient. */
  private readonly leafValue: Float64Array;
  private readonly leafGrad: Float64Array;
  /** Per leaf: its column, or -1 when only a DOT_PLUS_BIAS reads it (as one number). */
  private readonly leafColumn: Int32Array;
  private readonly op: Uint8Array;
  /** Operand columns; for a DOT_PLUS_BIAS, b is the number of products. */
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** A pow's exponent; for a DOT_PLUS_BIAS, where its operands start in `terms`. */
  private readonly k: Float64Array;
  /** DOT_PLUS_BIAS operands: the bias leaf, then weight leaf and feature column per product. */
  private readonly terms: Int32Array;
  private readonly outputColumns: Int32Array;
  private readonly termColumn: number;
  /** Instruction j writes column firstOutputColumn + j. */
  private readonly firstOutputColumn: number;
  private readonly columnsPerSample: number;
  /** Samples each column holds. */
  private capacity = 0;
  private val = new Float64Array(0);
  private grad = new Float64Array(0);
  private count = 0;

  constructor(spec: ColumnTapeSpec) {
    const { columns, params, outputs } = spec;
    const term = spec.term ?? null;
    // The outputs' nodes come first in the order of [outputs, term]: the model part.
    const modelNodes = topologicalOrderOf(outputs).length;
    const all = new NodeIndex(topologicalOrderOf(term === null ? outputs : [...outputs, term]));
    const { order } = all;
    const n = order.length;
    const pos = (v: Value): number => all.of(v);
    this.params = params;
    this.nodes = n;
    this.columnCount = columns.length;

    // Phase 1, kinds of leaves.
    const kind = new Int8Array(n).fill(-1);
    const leafIndexOf = new Int32Array(n).fill(-1);
    columns.forEach((c, i) => {
      if (!all.has(c) || c._op !== Op.leaf) return;
      kind[pos(c)] = Leaf.column;
      leafIndexOf[pos(c)] = i;
    });
    params.forEach((p, i) => {
      if (!all.has(p) || kind[pos(p)] === Leaf.column) return;
      kind[pos(p)] = Leaf.param;
      leafIndexOf[pos(p)] = i;
    });
    const isLeaf = (i: number): boolean => (order[i] as Value)._op === Op.leaf;
    for (let i = 0; i < n; i++) if (isLeaf(i) && kind[i] === -1) kind[i] = Leaf.constant;
    const scalar = (v: Value): boolean => kind[pos(v)] === Leaf.param || kind[pos(v)] === Leaf.constant;
    /** The factor of a fused product that varies per sample: the one that is not the weight. */
    const featureOf = (p: Value): Value => (scalar(p._a as Value) ? (p._b as Value) : (p._a as Value));

    // Phase 2, count uses.
    const { soleUse, user } = countUses(all, term === null ? outputs : [...outputs, term]);

    // Phase 3, plan fusion: chains u + w*x whose weights and innermost bias are scalars, on one side of the model/term line.
    const side = (v: Value): boolean => pos(v) < modelNodes;
    const product = (v: Value): Value | null => {
      const p = v._b;
      if (p === null || p._op !== Op.mul || !soleUse(pos(p))) return null;
      return scalar(p._a as Value) || scalar(p._b as Value) ? p : null;
    };
    const isLink = (v: Value): boolean => v._op === Op.add && product(v) !== null;
    const fused = new Map<number, Value[]>();
    const absorbed = new Uint8Array(n);
    for (const links of findChains(order, pos, isLink, soleUse, user)) {
      const head = links[0] as Value;
      const bias = (links[links.length - 1] as Value)._a as Value;
      if (!scalar(bias) || !links.every((l) => side(l) === side(head))) continue;
      fused.set(pos(head), links);
      links.forEach((link, j) => {
        if (j > 0) absorbed[pos(link)] = 1;
        absorbed[pos(link._b as Value)] = 1;
      });
    }

    // Phase 4, columns: which nodes need a column of samples. An instruction writes one; an
    // operand read per sample needs one (a parameter or constant there is broadcast into it);
    // a DOT_PLUS_BIAS reads its bias and weights as single numbers.
    const needsColumn = new Uint8Array(n);
    for (const o of outputs) needsColumn[pos(o)] = 1;
    for (let i = 0; i < n; i++) {
      const v = order[i] as Value;
      if (isLeaf(i)) {
        if (kind[i] === Leaf.column) needsColumn[i] = 1;
        continue;
      }
      if (absorbed[i] === 1) continue;
      needsColumn[i] = 1;
      const links = fused.get(i);
      if (links === undefined) {
        needsColumn[pos(v._a as Value)] = 1;
        if (v._b !== null) needsColumn[pos(v._b)] = 1;
      } else {
        for (const link of links) needsColumn[pos(featureOf(link._b as Value))] = 1;
      }
    }

    // Phase 5, allocate: a number per leaf, a column per leaf that needs one, then one per instruction.
    const leafNumber = new Int32Array(n).fill(-1);
    const column = new Int32Array(n).fill(-1);
    let leaves = 0;
    let leafColumns = 0;
    for (let i = 0; i < n; i++) {
      if (!isLeaf(i)) continue;
      leafNumber[i] = leaves++;
      if (needsColumn[i] === 1) column[i] = leafColumns++;
    }
    let count = 0;
    let termCount = 0;
    let modelLength = 0;
    for (let i = 0; i < n; i++) {
      if (isLeaf(i) || absorbed[i] === 1) continue;
      column[i] = leafColumns + count++;
      if (i < modelNodes) modelLength = count;
      const links = fused.get(i);
      if (links !== undefined) termCount += 1 + 2 * links.length;
    }
    this.leaves = leaves;
    this.firstOutputColumn = leafColumns;
    this.columnsPerSample = leafColumns + count;
    this.length = count;
    this.modelLength = modelLength;
    this.leafKind = new Uint8Array(leaves);
    this.leafIndex = new Int32Array(leaves);
    this.leafValue = new Float64Array(leaves);
    this.leafGrad = new Float64Array(leaves);
    this.leafColumn = new Int32Array(leaves);
    this.op = new Uint8Array(count);
    this.a = new Int32Array(count);
    this.b = new Int32Array(count);
    this.k = new Float64Array(count);
    this.terms = new Int32Array(termCount);
    const columnOf = (v: Value): number => column[pos(v)] as number;
    const leafOf = (v: Value): number => leafNumber[pos(v)] as number;

    // Phase 6, emit.
    for (let i = 0; i < n; i++) {
      if (!isLeaf(i)) continue;
      const l = leafNumber[i] as number;
      this.leafKind[l] = kind[i] as number;
      this.leafIndex[l] = leafIndexOf[i] as number;
      this.leafValue[l] = (order[i] as Value).data;
      this.leafColumn[l] = column[i] as number;
    }
    let t = 0;
    for (let i = 0; i < n; i++) {
      const v = order[i] as Value;
      if (isLeaf(i) || absorbed[i] === 1) continue;
      const j = (column[i] as number) - leafColumns;
      const links = fused.get(i);
      if (links === undefined) {
        this.op[j] = v._op;
        this.a[j] = columnOf(v._a as Value);
        this.b[j] = v._b === null ? -1 : columnOf(v._b);
        this.k[j] = v._k;
        continue;
      }
      // links run from the head down; the sum runs from the bias up, as the graph adds.
      this.op[j] = DOT_PLUS_BIAS;
      this.b[j] = links.length;
      this.k[j] = t;
      this.terms[t++] = leafOf((links[links.length - 1] as Value)._a as Value);
      for (let m = links.length - 1; m >= 0; m--) {
        const p = (links[m] as Value)._b as Value;
        const x = featureOf(p);
        this.terms[t++] = leafOf(x === p._a ? (p._b as Value) : (p._a as Value));
        this.terms[t++] = columnOf(x);
      }
    }
    this.outputColumns = Int32Array.from(outputs, columnOf);
    this.termColumn = term === null ? -1 : columnOf(term);
  }

  get outputCount(): number {
    return this.outputColumns.length;
  }

  /** Samples of the last forward. */
  get samples(): number {
    return this.count;
  }

  /**
   * Compute every sample's outputs (and term, with `withTerm`) from the parameters' current
   * values. `columns[i]` holds column leaf i for every sample; `n` samples are read.
   */
  forward(columns: readonly Float64Array[], n: number, withTerm = true): void {
    if (columns.length !== this.columnCount) throw new RangeError(`expected ${this.columnCount} columns, got ${columns.length}`);
    if (withTerm && this.termColumn < 0) throw new RangeError('this tape has no loss term');
    this.reserve(n);
    this.count = n;
    const { val, leafKind, leafIndex, leafValue, leafColumn, params, capacity } = this;
    for (let l = 0; l < this.leaves; l++) {
      const start = (leafColumn[l] as number) * capacity;
      if (leafKind[l] === Leaf.column) {
        const data = columns[leafIndex[l] as number] as Float64Array;
        if (data.length < n) throw new RangeError(`column ${leafIndex[l]} has ${data.length} samples, expected ${n}`);
        if (start >= 0) val.set(data.length === n ? data : data.subarray(0, n), start);
      } else if (leafKind[l] === Leaf.param) {
        leafValue[l] = (params[leafIndex[l] as number] as Value).data;
        if (start >= 0) val.fill(leafValue[l] as number, start, start + n);
      }
    }
    this.run(0, withTerm ? this.length : this.modelLength, n);
  }

  /**
   * Add the gradient of (seed x the sum of every sample's term) to each parameter's grad: the
   * term column's gradient is `seed` for every sample. Uses the values of the last forward.
   */
  backward(seed: number): void {
    const { grad, leafGrad, leafKind, leafIndex, leafColumn, params, capacity, count: n } = this;
    grad.fill(0, 0, this.columnsPerSample * capacity);
    // A parameter's sum starts from its grad and adds the samples from the last to the first:
    // the order in which backward() on a batch's graph (samples summed first to last) adds them.
    for (let l = 0; l < this.leaves; l++) {
      leafGrad[l] = leafKind[l] === Leaf.param ? (params[leafIndex[l] as number] as Value).grad : 0;
    }
    grad.fill(seed, this.termColumn * capacity, this.termColumn * capacity + n);
    this.unrun(n);
    for (let l = 0; l < this.leaves; l++) {
      if (leafKind[l] !== Leaf.param) continue;
      let g = leafGrad[l] as number;
      const start = (leafColumn[l] as number) * capacity;
      if (start >= 0) for (let i = start + n - 1; i >= start; i--) g += grad[i] as number;
      (params[leafIndex[l] as number] as Value).grad = g;
    }
  }

  /** Output `i` of every sample of the last forward (a view, valid until the next forward). */
  output(i: number): Float64Array {
    const start = (this.outputColumns[i] as number) * this.capacity;
    return this.val.subarray(start, start + this.count);
  }

  /** Every sample's loss term after the last forward (a view, valid until the next forward). */
  term(): Float64Array {
    const start = this.termColumn * this.capacity;
    return this.val.subarray(start, start + this.count);
  }

  /** Columns for at least `n` samples; constants are broadcast once per size. */
  private reserve(n: number): void {
    if (n <= this.capacity) return;
    const capacity = Math.max(n, 2 * this.capacity);
    this.capacity = capacity;
    this.val = new Float64Array(this.columnsPerSample * capacity);
    this.grad = new Float64Array(this.columnsPerSample * capacity);
    for (let l = 0; l < this.leaves; l++) {
      const c = this.leafColumn[l] as number;
      if (this.leafKind[l] === Leaf.constant && c >= 0) this.val.fill(this.leafValue[l] as number, c * capacity, (c + 1) * capacity);
    }
  }

  /** Instructions [from, to) forward over samples [0, n). */
  private run(from: number, to: number, n: number): void {
    const { val, op, a, b, k, terms, firstOutputColumn, leafValue, capacity: cap } = this;
    for (let j = from; j < to; j++) {
      const y = (firstOutputColumn + j) * cap;
      const x = (a[j] as number) * cap;
      const z = (b[j] as number) * cap;
      const e = k[j] as number;
      // One case per instruction, each a loop over samples calling its rule, which V8 inlines.
      switch (op[j] as Instruction) {
        case DOT_PLUS_BIAS: {
          let t = e;
          val.fill(leafValue[terms[t++] as number] as number, y, y + n);
          for (const end = t + 2 * (b[j] as number); t < end; t += 2) {
            const w = leafValue[terms[t] as number] as number;
            const xs = (terms[t + 1] as number) * cap;
            for (let s = 0; s < n; s++) val[y + s] = (val[y + s] as number) + w * (val[xs + s] as number);
          }
          break;
        }
        case Op.add:
          for (let s = 0; s < n; s++) val[y + s] = ADD.forward(val[x + s] as number, val[z + s] as number, 0);
          break;
        case Op.mul:
          for (let s = 0; s < n; s++) val[y + s] = MUL.forward(val[x + s] as number, val[z + s] as number, 0);
          break;
        case Op.pow:
          for (let s = 0; s < n; s++) val[y + s] = POW.forward(val[x + s] as number, 0, e);
          break;
        case Op.exp:
          for (let s = 0; s < n; s++) val[y + s] = EXP.forward(val[x + s] as number, 0, 0);
          break;
        case Op.log:
          for (let s = 0; s < n; s++) val[y + s] = LOG.forward(val[x + s] as number, 0, 0);
          break;
        case Op.tanh:
          for (let s = 0; s < n; s++) val[y + s] = TANH.forward(val[x + s] as number, 0, 0);
          break;
        case Op.relu:
          for (let s = 0; s < n; s++) val[y + s] = RELU.forward(val[x + s] as number, 0, 0);
          break;
        case Op.sigmoid:
          for (let s = 0; s < n; s++) val[y + s] = SIGMOID.forward(val[x + s] as number, 0, 0);
          break;
        default:
          unknownOp(op[j] as never);
      }
    }
  }

  /** Every instruction backward, from the last, over samples [0, n). */
  private unrun(n: number): void {
    const { val, grad, op, a, b, k, terms, firstOutputColumn, leafValue, leafGrad, capacity: cap } = this;
    for (let j = this.length - 1; j >= 0; j--) {
      const y = (firstOutputColumn + j) * cap;
      const x = (a[j] as number) * cap;
      const z = (b[j] as number) * cap;
      const e = k[j] as number;
      switch (op[j] as Instruction) {
        case DOT_PLUS_BIAS: {
          // add passes the gradient on unchanged; mul gives w the sum of x * g and x the w * g.
          let t = e;
          let gc = leafGrad[terms[t] as number] as number;
          for (let s = n - 1; s >= 0; s--) gc += grad[y + s] as number;
          leafGrad[terms[t] as number] = gc;
          t++;
          for (const end = t + 2 * (b[j] as number); t < end; t += 2) {
            const ws = terms[t] as number;
            const w = leafValue[ws] as number;
            const xs = (terms[t + 1] as number) * cap;
            let gw = leafGrad[ws] as number;
            for (let s = n - 1; s >= 0; s--) {
              const g = grad[y + s] as number;
              gw += (val[xs + s] as number) * g;
              grad[xs + s] = (grad[xs + s] as number) + w * g;
            }
            leafGrad[ws] = gw;
          }
          break;
        }
        case Op.add:
          for (let s = 0; s < n; s++) {
            const g = grad[y + s] as number;
            const p = val[x + s] as number;
            const q = val[z + s] as number;
            const out = val[y + s] as number;
            grad[x + s] = (grad[x + s] as number) + ADD.da(p, q, out, 0) * g;
            grad[z + s] = (grad[z + s] as number) + ADD.db(p, q, out, 0) * g;
          }
          break;
        case Op.mul:
          for (let s = 0; s < n; s++) {
            const g = grad[y + s] as number;
            const p = val[x + s] as number;
            const q = val[z + s] as number;
            const out = val[y + s] as number;
            grad[x + s] = (grad[x + s] as number) + MUL.da(p, q, out, 0) * g;
            grad[z + s] = (grad[z + s] as number) + MUL.db(p, q, out, 0) * g;
          }
          break;
        case Op.pow:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + POW.da(val[x + s] as number, 0, val[y + s] as number, e) * (grad[y + s] as number);
          break;
        case Op.exp:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + EXP.da(val[x + s] as number, 0, val[y + s] as number, 0) * (grad[y + s] as number);
          break;
        case Op.log:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + LOG.da(val[x + s] as number, 0, val[y + s] as number, 0) * (grad[y + s] as number);
          break;
        case Op.tanh:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + TANH.da(val[x + s] as number, 0, val[y + s] as number, 0) * (grad[y + s] as number);
          break;
        case Op.relu:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + RELU.da(val[x + s] as number, 0, val[y + s] as number, 0) * (grad[y + s] as number);
          break;
        case Op.sigmoid:
          for (let s = 0; s < n; s++) grad[x + s] = (grad[x + s] as number) + SIGMOID.da(val[x + s] as number, 0, val[y + s] as number, 0) * (grad[y + s] as number);
          break;
        default:
          unknownOp(op[j] as never);
      }
    }
  }
}
