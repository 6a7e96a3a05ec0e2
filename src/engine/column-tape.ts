/**
 * A column-wise tape: the program of ONE sample (a model's forward pass and, optionally, that
 * sample's loss term) written once, then replayed for a whole batch, each instruction running
 * over every sample in a tight loop over Float64Arrays. Recording costs milliseconds whatever the
 * batch, memory is columns x batch, and the dispatch per instruction is paid once per batch.
 * The program comes from a one-sample Value graph (graph-recorder.ts) or from a recorder that
 * writes a model's instructions from its structure (tape-builder.ts).
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
import { recordGraph, type GraphSpec } from './graph-recorder.js';
import { ADD, EXP, LOG, MUL, Op, POW, RELU, SIGMOID, TANH, unknownOp } from './ops.js';
import { DOT_PLUS_BIAS, Leaf, TapeBuilder, type Instruction } from './tape-builder.js';
import type { Value } from './value.js';

/**
 * Samples replayed together: every instruction runs over one block of samples before the next
 * block starts, so that a block's columns stay in the processor's cache (256 samples x 100
 * columns of a hidden layer of 32 is 200 KB). Measured in docs/performance.md.
 */
const BLOCK = 256;

/** A one-sample Value graph to record: its column leaves (in the order `forward` receives their columns), parameters, outputs, term and watched nodes. */
export type ColumnTapeSpec = GraphSpec;

export class ColumnTape {
  readonly params: readonly Value[];
  /** Instructions replayed for the outputs alone, then for the term too. */
  readonly modelLength: number;
  readonly length: number;
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
  /** The column each instruction writes. */
  private readonly out: Int32Array;
  /** Operand columns; for a DOT_PLUS_BIAS, b is the number of products. */
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  /** A pow's exponent; for a DOT_PLUS_BIAS, where its operands start in `terms`. */
  private readonly k: Float64Array;
  /** DOT_PLUS_BIAS operands: the bias leaf, then weight leaf and feature column per product. */
  private readonly terms: Int32Array;
  private readonly outputColumns: Int32Array;
  private readonly termColumn: number;
  /** The column of each watched node. */
  private readonly watched: ReadonlyMap<Value, number>;
  private readonly columnsPerSample: number;
  /** Per instruction: 1 for a DOT_PLUS_BIAS whose weights are all different leaves (see unrun). */
  private readonly distinctWeights: Uint8Array;
  /** Per column leaf given to `forward`: its column, or -1 when the graph does not read it. */
  private readonly columnSlots: Int32Array;
  /** Samples there is room for: `val` and `grad` hold that many, in blocks of `block` samples. */
  private capacity = 0;
  private block = 0;
  /** Numbers in one block: every column of `block` samples. */
  private blockStride = 0;
  private val = new Float64Array(0);
  private grad = new Float64Array(0);
  /** Where `gather` copies a column spread over several blocks. */
  private scratch: Float64Array[] = [];
  private count = 0;

  /** The tape of a one-sample Value graph, or of a program written with a TapeBuilder. */
  constructor(source: ColumnTapeSpec | TapeBuilder) {
    let program: TapeBuilder;
    if (source instanceof TapeBuilder) {
      program = source;
    } else {
      program = new TapeBuilder(source.columns.length, source.params);
      const { outputs, term } = recordGraph(program, source);
      program.finish(outputs, term);
    }
    this.params = program.params;
    this.columnCount = program.columnCount;
    this.modelLength = program.modelLength;
    this.length = program.op.length;
    this.leaves = program.leafKind.length;
    this.leafKind = new Uint8Array(program.leafKind.view());
    this.leafIndex = new Int32Array(program.leafIndex.view());
    this.leafValue = new Float64Array(program.leafValue.view());
    this.leafGrad = new Float64Array(this.leaves);
    this.leafColumn = new Int32Array(program.leafColumn.view());
    this.op = new Uint8Array(program.op.view());
    this.out = new Int32Array(program.out.view());
    this.a = new Int32Array(program.a.view());
    this.b = new Int32Array(program.b.view());
    this.k = new Float64Array(program.k.view());
    this.terms = new Int32Array(program.terms.view());
    this.distinctWeights = new Uint8Array(program.distinctWeights.view());
    this.outputColumns = Int32Array.from(program.outputColumns);
    this.termColumn = program.termColumn;
    this.watched = program.watched;
    this.columnsPerSample = program.columns;
    this.columnSlots = program.inputColumns();
  }

  /** A watched node's value for sample `s` of the last forward. */
  valueAt(v: Value, s: number): number {
    return this.valueIn(this.watchedColumn(v), s);
  }

  /** A watched node's gradient for sample `s` of the last backward (d (seed x terms) / d node). */
  gradAt(v: Value, s: number): number {
    return this.gradIn(this.watchedColumn(v), s);
  }

  /** Column `c`'s value for sample `s` of the last forward (a column a TapeBuilder returned). */
  valueIn(c: number, s: number): number {
    return this.val[this.at(c, s)];
  }

  /** Column `c`'s gradient for sample `s` of the last backward. */
  gradIn(c: number, s: number): number {
    return this.grad[this.at(c, s)];
  }

  /** Where column `c` of sample `s` is in `val` and `grad`. */
  private at(c: number, s: number): number {
    const b = Math.floor(s / this.block);
    return b * this.blockStride + c * this.block + (s - b * this.block);
  }

  private watchedColumn(v: Value): number {
    const c = this.watched.get(v);
    if (c === undefined) throw new RangeError('not a watched node');
    return c;
  }

  get outputCount(): number {
    return this.outputColumns.length;
  }

  /**
   * Compute every sample's outputs (and term, with `withTerm`) from the parameters' current
   * values. `columns[i]` holds column leaf i for every sample; `n` samples are read.
   */
  forward(columns: readonly Float64Array[], n: number, withTerm = true): void {
    if (columns.length !== this.columnCount) throw new RangeError(`expected ${this.columnCount} columns, got ${columns.length}`);
    if (withTerm && this.termColumn < 0) throw new RangeError('this tape has no loss term');
    columns.forEach((data, i) => {
      if (data.length < n) throw new RangeError(`column ${i} has ${data.length} samples, expected ${n}`);
    });
    this.reserve(n);
    this.count = n;
    const { leafKind, leafIndex, leafValue, params } = this;
    for (let l = 0; l < this.leaves; l++) {
      if (leafKind[l] === Leaf.param) leafValue[l] = params[leafIndex[l]].data;
    }
    const to = withTerm ? this.length : this.modelLength;
    for (let b = 0; b * this.block < n; b++) {
      const m = this.load(columns, b, n);
      this.run(0, to, m, b * this.blockStride);
    }
  }

  /**
   * Add the gradient of (seed x the sum of every sample's term) to each parameter's grad: the
   * term column's gradient is `seed` for every sample. Uses the values of the last forward.
   * With `sink`, the gradients go into it instead (`sink[i]` for parameter i, from 0), and the
   * parameters' grads are left alone.
   */
  backward(seed: number, sink?: Float64Array): void {
    const { grad, leafGrad, leafKind, leafIndex, leafColumn, params, block, blockStride, count: n } = this;
    const blocks = Math.ceil(n / block);
    // A parameter's sum starts from its grad and adds the samples from the last to the first:
    // the order in which backward() on a batch's graph (samples summed first to last) adds them.
    // So the blocks run from the last, and each from its last sample.
    for (let l = 0; l < this.leaves; l++) {
      leafGrad[l] = leafKind[l] === Leaf.param && sink === undefined ? params[leafIndex[l]].grad : 0;
    }
    for (let b = blocks - 1; b >= 0; b--) {
      const base = b * blockStride;
      const m = Math.min(block, n - b * block);
      const term = base + this.termColumn * block;
      grad.fill(0, base, base + blockStride); // here, while the block is about to be in the cache anyway
      grad.fill(seed, term, term + m);
      this.unrun(m, base);
    }
    for (let l = 0; l < this.leaves; l++) {
      if (leafKind[l] !== Leaf.param) continue;
      let g = leafGrad[l];
      const c = leafColumn[l];
      for (let b = blocks - 1; c >= 0 && b >= 0; b--) {
        const start = b * blockStride + c * block;
        for (let i = start + Math.min(block, n - b * block) - 1; i >= start; i--) g += grad[i];
      }
      if (sink === undefined) params[leafIndex[l]].grad = g;
      else sink[leafIndex[l]] = g;
    }
  }

  /** Output `i` of every sample of the last forward (valid until the next forward). */
  output(i: number): Float64Array {
    return this.gather(this.val, this.outputColumns[i], i);
  }

  /** Every sample's loss term after the last forward (valid until the next forward). */
  term(): Float64Array {
    return this.gather(this.val, this.termColumn, this.outputColumns.length);
  }

  /**
   * The gradient of (seed x the sum of the terms) with respect to column leaf `i`, for every
   * sample of the last backward (zeros for a column the graph does not read; valid until the
   * next forward).
   */
  columnGradient(i: number): Float64Array {
    const c = this.columnSlots[i];
    if (c < 0) return new Float64Array(this.count);
    return this.gather(this.grad, c, this.outputColumns.length + 1);
  }

  /**
   * Column `c` of every sample as one array: a view when one block holds the batch, else a
   * copy into scratch array `scratch`.
   */
  private gather(from: Float64Array, c: number, scratch: number): Float64Array {
    const { block, blockStride, count: n } = this;
    if (n <= block) return from.subarray(c * block, c * block + n);
    const out = (this.scratch[scratch] ??= new Float64Array(this.capacity));
    for (let b = 0; b * block < n; b++) {
      const start = b * blockStride + c * block;
      out.set(from.subarray(start, start + Math.min(block, n - b * block)), b * block);
    }
    return out.subarray(0, n);
  }

  /** Copy block `b` of the column leaves (and broadcast the parameters read per sample) into place; returns its samples. */
  private load(columns: readonly Float64Array[], b: number, n: number): number {
    const { val, leafKind, leafIndex, leafValue, leafColumn, block } = this;
    const from = b * block;
    const m = Math.min(block, n - from);
    const base = b * this.blockStride;
    for (let l = 0; l < this.leaves; l++) {
      const c = leafColumn[l];
      if (c < 0) continue;
      const start = base + c * block;
      if (leafKind[l] === Leaf.column) val.set(columns[leafIndex[l]].subarray(from, from + m), start);
      else if (leafKind[l] === Leaf.param) val.fill(leafValue[l], start, start + m);
    }
    return m;
  }

  /**
   * Room for at least `n` samples, in blocks of at most BLOCK samples (all columns of a block
   * together, so that a block's replay stays in the processor's cache); constants are broadcast
   * once per size.
   */
  private reserve(n: number): void {
    if (n <= this.capacity) return;
    const wanted = Math.max(n, 2 * this.capacity);
    this.block = Math.min(BLOCK, wanted);
    this.blockStride = this.columnsPerSample * this.block;
    const blocks = Math.ceil(wanted / this.block);
    this.capacity = blocks * this.block;
    this.val = new Float64Array(blocks * this.blockStride);
    this.grad = new Float64Array(blocks * this.blockStride);
    this.scratch = [];
    for (let l = 0; l < this.leaves; l++) {
      const c = this.leafColumn[l];
      if (this.leafKind[l] !== Leaf.constant || c < 0) continue;
      for (let b = 0; b < blocks; b++) {
        const start = b * this.blockStride + c * this.block;
        this.val.fill(this.leafValue[l], start, start + this.block);
      }
    }
  }

  /** Instructions [from, to) forward over the `m` samples of the block at `base`. */
  private run(from: number, to: number, m: number, base: number): void {
    const { val, op, out, a, b, k, terms, leafValue, block: B } = this;
    for (let j = from; j < to; j++) {
      const y = base + out[j] * B;
      const x = base + a[j] * B;
      const z = base + b[j] * B;
      // One case per instruction, each a loop over samples (see "Kernels" below).
      switch (op[j] as Instruction) {
        case DOT_PLUS_BIAS:
          dotForward(val, leafValue, terms, k[j], b[j], y, m, base, B);
          break;
        case Op.add:
          addForward(val, x, z, y, m);
          break;
        case Op.mul:
          mulForward(val, x, z, y, m);
          break;
        case Op.pow:
          powForward(val, x, k[j], y, m);
          break;
        case Op.exp:
          expForward(val, x, y, m);
          break;
        case Op.log:
          logForward(val, x, y, m);
          break;
        case Op.tanh:
          tanhForward(val, x, y, m);
          break;
        case Op.relu:
          reluForward(val, x, y, m);
          break;
        case Op.sigmoid:
          sigmoidForward(val, x, y, m);
          break;
        default:
          unknownOp(op[j] as never);
      }
    }
  }

  /** Every instruction backward, from the last, over the `m` samples of the block at `base`. */
  private unrun(m: number, base: number): void {
    const { val, grad, op, out, a, b, k, terms, leafValue, leafGrad, distinctWeights, block: B } = this;
    for (let j = this.length - 1; j >= 0; j--) {
      const y = base + out[j] * B;
      const x = base + a[j] * B;
      const z = base + b[j] * B;
      switch (op[j] as Instruction) {
        case DOT_PLUS_BIAS:
          dotBackward(val, grad, leafValue, leafGrad, terms, k[j], b[j], distinctWeights[j] === 1, y, m, base, B);
          break;
        case Op.add:
          addBackward(val, grad, x, z, y, m);
          break;
        case Op.mul:
          mulBackward(val, grad, x, z, y, m);
          break;
        case Op.pow:
          powBackward(val, grad, x, k[j], y, m);
          break;
        case Op.exp:
          expBackward(val, grad, x, y, m);
          break;
        case Op.log:
          logBackward(val, grad, x, y, m);
          break;
        case Op.tanh:
          tanhBackward(val, grad, x, y, m);
          break;
        case Op.relu:
          reluBackward(val, grad, x, y, m);
          break;
        case Op.sigmoid:
          sigmoidBackward(val, grad, x, y, m);
          break;
        default:
          unknownOp(op[j] as never);
      }
    }
  }
}

/*
 * Kernels: each instruction's loop over the `m` samples of a block, a small function of its own
 * that calls its rule from the op table (which V8 inlines). Small, each is compiled early and
 * quickly, from its own type feedback, as soon as it is hot. Written inline in the switches
 * of run and unrun, they made those two large: the first forward pass on moons-1000 compiled
 * `run` whole, every rule inlined (about 80 ms on a compiler thread), and threw it away at the
 * first instruction of the loss term, which had not run yet; until then it ran interpreted.
 * Operands are positions in `val` and `grad`: x and z the operands', y the result's.
 */

function addForward(val: Float64Array, x: number, z: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = ADD.forward(val[x + s], val[z + s], 0);
}

function mulForward(val: Float64Array, x: number, z: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = MUL.forward(val[x + s], val[z + s], 0);
}

function powForward(val: Float64Array, x: number, e: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = POW.forward(val[x + s], 0, e);
}

function expForward(val: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = EXP.forward(val[x + s], 0, 0);
}

function logForward(val: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = LOG.forward(val[x + s], 0, 0);
}

function tanhForward(val: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = TANH.forward(val[x + s], 0, 0);
}

function reluForward(val: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = RELU.forward(val[x + s], 0, 0);
}

function sigmoidForward(val: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = SIGMOID.forward(val[x + s], 0, 0);
}

function addBackward(val: Float64Array, grad: Float64Array, x: number, z: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) {
    const g = grad[y + s];
    const p = val[x + s];
    const q = val[z + s];
    const out = val[y + s];
    grad[x + s] = grad[x + s] + ADD.da(p, q, out, 0) * g;
    grad[z + s] = grad[z + s] + ADD.db(p, q, out, 0) * g;
  }
}

function mulBackward(val: Float64Array, grad: Float64Array, x: number, z: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) {
    const g = grad[y + s];
    const p = val[x + s];
    const q = val[z + s];
    const out = val[y + s];
    grad[x + s] = grad[x + s] + MUL.da(p, q, out, 0) * g;
    grad[z + s] = grad[z + s] + MUL.db(p, q, out, 0) * g;
  }
}

function powBackward(val: Float64Array, grad: Float64Array, x: number, e: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + POW.da(val[x + s], 0, val[y + s], e) * grad[y + s];
}

function expBackward(val: Float64Array, grad: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + EXP.da(val[x + s], 0, val[y + s], 0) * grad[y + s];
}

function logBackward(val: Float64Array, grad: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + LOG.da(val[x + s], 0, val[y + s], 0) * grad[y + s];
}

function tanhBackward(val: Float64Array, grad: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + TANH.da(val[x + s], 0, val[y + s], 0) * grad[y + s];
}

function reluBackward(val: Float64Array, grad: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + RELU.da(val[x + s], 0, val[y + s], 0) * grad[y + s];
}

function sigmoidBackward(val: Float64Array, grad: Float64Array, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) grad[x + s] = grad[x + s] + SIGMOID.da(val[x + s], 0, val[y + s], 0) * grad[y + s];
}

/**
 * A DOT_PLUS_BIAS forward over one block: y = c + w1*x1 + ... + wn*xn for each of its `m`
 * samples, `terms` from `t` holding c's leaf, then a weight leaf and a feature column per
 * product. Its passes are small functions of their own, so that V8 compiles each early and
 * quickly from its own type feedback: they are most of a step, and of the first forward pass,
 * which runs before anything is compiled. (As one function, compiled while only a first
 * layer's passes of one product had run, it was thrown away at the second layer's first pass of
 * four: measured in docs/performance.md.)
 */
function dotForward(val: Float64Array, leafValue: Float64Array, terms: Int32Array, t: number, products: number, y: number, m: number, base: number, B: number): void {
  val.fill(leafValue[terms[t++]], y, y + m);
  const end = t + 2 * products;
  for (; t + 8 <= end; t += 8) addFourProducts(val, leafValue, terms, t, y, m, base, B);
  for (; t < end; t += 2) addProduct(val, leafValue[terms[t]], base + terms[t + 1] * B, y, m);
}

/**
 * Four products a pass, added one after the other as the graph adds them: the running sum is
 * read and written once a pass rather than once a product.
 */
function addFourProducts(val: Float64Array, leafValue: Float64Array, terms: Int32Array, t: number, y: number, m: number, base: number, B: number): void {
  const w0 = leafValue[terms[t]];
  const w1 = leafValue[terms[t + 2]];
  const w2 = leafValue[terms[t + 4]];
  const w3 = leafValue[terms[t + 6]];
  const x0 = base + terms[t + 1] * B;
  const x1 = base + terms[t + 3] * B;
  const x2 = base + terms[t + 5] * B;
  const x3 = base + terms[t + 7] * B;
  for (let s = 0; s < m; s++) {
    val[y + s] = val[y + s] + w0 * val[x0 + s] + w1 * val[x1 + s] + w2 * val[x2 + s] + w3 * val[x3 + s];
  }
}

/** One product w * x added to every sample's running sum at y. */
function addProduct(val: Float64Array, w: number, x: number, y: number, m: number): void {
  for (let s = 0; s < m; s++) val[y + s] = val[y + s] + w * val[x + s];
}

/**
 * A DOT_PLUS_BIAS backward over one block (see dotForward): add passes the gradient on
 * unchanged, mul gives w the sum of x * g and x the w * g. Samples from the last to the first.
 * Four products a pass when their weights are four different leaves (each sum of a weight's
 * gradient then has an accumulator of its own, adding in the same order); passes are functions
 * of their own, as dotForward's.
 */
function dotBackward(
  val: Float64Array,
  grad: Float64Array,
  leafValue: Float64Array,
  leafGrad: Float64Array,
  terms: Int32Array,
  t: number,
  products: number,
  distinct: boolean,
  y: number,
  m: number,
  base: number,
  B: number,
): void {
  let gc = leafGrad[terms[t]];
  for (let s = m - 1; s >= 0; s--) gc += grad[y + s];
  leafGrad[terms[t]] = gc;
  t++;
  const end = t + 2 * products;
  for (; distinct && t + 8 <= end; t += 8) backFourProducts(val, grad, leafValue, leafGrad, terms, t, y, m, base, B);
  for (; t < end; t += 2) backProduct(val, grad, leafValue, leafGrad, terms[t], base + terms[t + 1] * B, y, m);
}

function backFourProducts(val: Float64Array, grad: Float64Array, leafValue: Float64Array, leafGrad: Float64Array, terms: Int32Array, t: number, y: number, m: number, base: number, B: number): void {
  const ws0 = terms[t];
  const ws1 = terms[t + 2];
  const ws2 = terms[t + 4];
  const ws3 = terms[t + 6];
  const w0 = leafValue[ws0];
  const w1 = leafValue[ws1];
  const w2 = leafValue[ws2];
  const w3 = leafValue[ws3];
  const x0 = base + terms[t + 1] * B;
  const x1 = base + terms[t + 3] * B;
  const x2 = base + terms[t + 5] * B;
  const x3 = base + terms[t + 7] * B;
  let gw0 = leafGrad[ws0];
  let gw1 = leafGrad[ws1];
  let gw2 = leafGrad[ws2];
  let gw3 = leafGrad[ws3];
  for (let s = m - 1; s >= 0; s--) {
    const g = grad[y + s];
    gw0 += val[x0 + s] * g;
    grad[x0 + s] = grad[x0 + s] + w0 * g;
    gw1 += val[x1 + s] * g;
    grad[x1 + s] = grad[x1 + s] + w1 * g;
    gw2 += val[x2 + s] * g;
    grad[x2 + s] = grad[x2 + s] + w2 * g;
    gw3 += val[x3 + s] * g;
    grad[x3 + s] = grad[x3 + s] + w3 * g;
  }
  leafGrad[ws0] = gw0;
  leafGrad[ws1] = gw1;
  leafGrad[ws2] = gw2;
  leafGrad[ws3] = gw3;
}

/** One product's backward: the weight (leaf ws) gets the sum of x * g, x the w * g. */
function backProduct(val: Float64Array, grad: Float64Array, leafValue: Float64Array, leafGrad: Float64Array, ws: number, x: number, y: number, m: number): void {
  const w = leafValue[ws];
  let gw = leafGrad[ws];
  for (let s = m - 1; s >= 0; s--) {
    const g = grad[y + s];
    gw += val[x + s] * g;
    grad[x + s] = grad[x + s] + w * g;
  }
  leafGrad[ws] = gw;
}
