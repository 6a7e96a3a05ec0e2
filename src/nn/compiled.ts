import { ColumnTape } from '../engine/column-tape.js';
import { recordGraph } from '../engine/graph-recorder.js';
import type { PrimitiveOp } from '../engine/ops.js';
import { TapeBuilder } from '../engine/tape-builder.js';
import { Op, Value } from '../engine/value.js';
import { activate, type Activation } from './activation.js';
import { LOSSES, penaltyTerm, reduceTerms, scalePenalty, type LossName } from './loss.js';
import type { MLP } from './mlp.js';

/** Samples laid out for the tape: each input, then each number the loss term reads, as a column. */
export interface Batch {
  readonly columns: readonly Float64Array[];
  readonly n: number;
}

/** One sample of a step as the tape computes it, for views that show a part of a large network. */
export interface SampleTrace {
  /** Per layer of the model (0: the inputs), each neuron's output on the sample. */
  activations: Float64Array[];
  /** Per layer, d loss / d that output on the sample, in the loss of the whole batch. */
  gradients: Float64Array[];
  /** The sample's own share of each parameter's gradient: what its backward adds (+=). */
  shares: Float64Array;
}

/** Rows of numbers as one Float64Array per position: `columnsOf(rows)[j][s] === rows[s][j]`. */
export function columnsOf(rows: readonly (readonly number[])[], width = rows[0]?.length ?? 0): Float64Array[] {
  return Array.from({ length: width }, (_, j) => Float64Array.from(rows, (row) => row[j]));
}

/**
 * The op `activate` applies to a neuron's weighted sum (null: none, for linear), read from
 * `activate` itself on a stand-in, so that the tape applies what the graph does.
 */
function activationOp(activation: Activation): PrimitiveOp | null {
  const sum = new Value(0);
  const out = activate(sum, activation);
  if (out === sum) return null;
  if (out._op === Op.leaf || out._a !== sum || out._b !== null) throw new Error(`the ${activation} activation is not one op on the weighted sum`);
  return out._op;
}

/**
 * An MLP's instructions straight from its structure, as the graph of its forward pass would
 * record: each neuron one DOT_PLUS_BIAS of its weights over the previous layer's columns (from
 * its bias up, as Neuron.forward adds), then its activation; layer by layer, neuron by neuron,
 * the graph's order. No graph of the sample is built: that graph (about 3,500 nodes for
 * MLP(2,[32,32,1])) and its analysis were most of building the tape, much of it V8 compiling
 * on other threads the code that grew hot doing it (measured in docs/performance.md).
 * Returns each layer's columns (0: the inputs), and the columns of its ReLUs.
 */
function recordModel(builder: TapeBuilder, model: MLP): { layers: number[][]; relus: number[] } {
  const layers = [Array.from({ length: model.sizes[0] }, (_, i) => builder.input(i))];
  const relus: number[] = [];
  // The builder's parameters are model.parameters(): each neuron's weights, then its bias.
  // Plain loops: a closure called once per weight grows hot enough for V8 to compile it, on
  // another thread whose CPU the build pays.
  let p = 0;
  const ops = new Map<Activation, PrimitiveOp | null>();
  for (const layer of model.layers) {
    const x = layers[layers.length - 1];
    const y: number[] = [];
    for (const neuron of layer.neurons) {
      const weights = new Int32Array(neuron.w.length);
      for (let i = 0; i < weights.length; i++) weights[i] = builder.param(p++);
      const sum = builder.dot(builder.param(p++), weights, x);
      if (!ops.has(neuron.activation)) ops.set(neuron.activation, activationOp(neuron.activation));
      const op = ops.get(neuron.activation) ?? null;
      const out = op === null ? sum : builder.apply(op, sum, -1, 0);
      if (op === Op.relu) relus.push(out);
      y.push(out);
    }
    layers.push(y);
  }
  return { layers, relus };
}

/** Sum of a column from its first number to its last, as a chain of adds in the graph sums. */
function sumInOrder(xs: Float64Array): number {
  let total = xs[0];
  for (let i = 1; i < xs.length; i++) total += xs[i];
  return total;
}

/**
 * A model and its loss compiled once into a column-wise tape: the one replay that evaluates the
 * model, for training steps, batches, held-out samples and grids of points alike. The loss is
 * `reduce(sum of the per-sample terms) + l2 * sum of p^2`, built from the same loss definition
 * and regularisation as the Value graph, so the numbers are the graph's.
 *
 * Three column tapes: the model with one sample's loss term, replayed over the samples; the L2
 * penalty's term p * p, replayed over the parameters (the same trick, so no graph of one node
 * per parameter has to be recorded); and the head that joins the two sums into the loss.
 */
export class CompiledLoss {
  private readonly tape: ColumnTape;
  /** The penalty's term over the parameters as samples, or null without L2. */
  private readonly penalty: ColumnTape | null;
  /** The rest of the loss: the terms' sum, 1/n and the penalty's sum in, the loss out. */
  private readonly head: ColumnTape;
  private readonly total = new Value(0);
  private readonly reciprocalCount = new Value(1);
  private readonly penaltyTotal = new Value(0);
  private readonly params: readonly Value[];
  /** The parameters' values, the penalty tape's one column. */
  private readonly paramValues: Float64Array;
  private readonly loss: LossName;
  private readonly targetWidth: number;
  private readonly inputWidth: number;
  private readonly outputWidth: number;
  /** Neurons per hidden layer: the tape's outputs after the model's own, layer by layer. */
  private readonly hiddenSizes: readonly number[];
  private readonly l2: number;
  /** The tape's columns of the sample's inputs, then of each layer's outputs: what a trace reads. */
  private readonly layers: number[][];
  /** The columns of the model's ReLUs, layer by layer. */
  private readonly relus: number[];
  /** Target-number columns for `evaluate`, whose terms are not computed. */
  private unused: Float64Array[] = [];

  constructor(model: MLP, loss: LossName, l2 = 0) {
    const definition = LOSSES[loss];
    this.loss = loss;
    const params = model.parameters();
    this.params = params;
    this.paramValues = new Float64Array(params.length);
    this.inputWidth = model.sizes[0];
    // The output count is the last layer's size: the target numbers (one-hot for K classes) follow it.
    this.outputWidth = model.sizes[model.sizes.length - 1];
    this.targetWidth = definition.targetNumbers(0, this.outputWidth).length;
    this.l2 = l2;
    // Forward's columns: the sample's inputs, then its target numbers.
    const builder = new TapeBuilder(this.inputWidth + this.targetWidth, params);
    ({ layers: this.layers, relus: this.relus } = recordModel(builder, model));
    builder.endModel();
    const outputs = this.layers[this.layers.length - 1];
    const hidden = this.layers.slice(1, -1);
    this.hiddenSizes = hidden.map((l) => l.length);
    // The loss term from its Value graph (a few nodes), over leaves standing for the outputs' columns and the target numbers'.
    const scores = outputs.map(() => new Value(0));
    const numbers = Array.from({ length: this.targetWidth }, () => new Value(0));
    const bound = new Map<Value, number>();
    scores.forEach((v, i) => bound.set(v, outputs[i]));
    numbers.forEach((v, j) => bound.set(v, builder.input(this.inputWidth + j)));
    // A term reads only the outputs and its numbers (LossDefinition): no parameter.
    const { term } = recordGraph(builder, { columns: [], params: [], outputs: [], term: definition.term(scores, numbers) }, bound);
    this.tape = new ColumnTape(builder.finish([...outputs, ...hidden.flat()], term));
    let root = reduceTerms(definition, this.total, this.reciprocalCount);
    if (l2 > 0) {
      const p = new Value(0);
      this.penalty = new ColumnTape({ columns: [p], params: [], outputs: [], term: penaltyTerm(p) });
      root = root.add(scalePenalty(this.penaltyTotal, l2));
    } else {
      this.penalty = null;
    }
    this.head = new ColumnTape({ columns: [], params: [this.total, this.reciprocalCount, this.penaltyTotal], outputs: [], term: root });
  }

  /** Samples (rows of inputs) with their targets, laid out once for `run`. */
  batch(rows: readonly (readonly number[])[], targets: ArrayLike<number>): Batch {
    const definition = LOSSES[this.loss];
    const { inputWidth, outputWidth } = this;
    const n = rows.length;
    const columns = Array.from({ length: inputWidth + this.targetWidth }, () => new Float64Array(n));
    // Plain loops, no closure per sample: this runs once, while the session is built (see
    // recordModel). Class labels repeat, so each one's numbers are asked for once.
    const labels = new Map<number, readonly number[]>();
    for (let s = 0; s < n; s++) {
      const row = rows[s];
      for (let j = 0; j < inputWidth; j++) columns[j][s] = row[j];
      let numbers = labels.get(targets[s]);
      if (numbers === undefined) {
        numbers = definition.targetNumbers(targets[s], outputWidth);
        if (definition.targets !== 'any') labels.set(targets[s], numbers);
      }
      for (let j = 0; j < numbers.length; j++) columns[inputWidth + j][s] = numbers[j];
    }
    return { columns, n };
  }

  /**
   * The loss of `batch` for the parameters' current values; with `gradients`, also add its
   * gradient into every parameter's grad. Each sample's outputs are readable with `output` after.
   */
  run(batch: Batch, gradients: boolean): number {
    const { tape, penalty, head, params, paramValues } = this;
    tape.forward(batch.columns, batch.n, true);
    this.total.data = sumInOrder(tape.term());
    this.reciprocalCount.data = 1 / batch.n;
    if (penalty !== null) {
      for (let i = 0; i < params.length; i++) paramValues[i] = params[i].data;
      penalty.forward([paramValues], params.length, true);
      this.penaltyTotal.data = sumInOrder(penalty.term());
    }
    head.forward([], 1, true);
    const loss = head.term()[0];
    if (gradients) {
      this.total.grad = 0;
      this.penaltyTotal.grad = 0;
      head.backward(1);
      // The penalty's share first, then the samples from the last: backward()'s order on the graph.
      if (penalty !== null) {
        penalty.backward(this.penaltyTotal.grad);
        const shares = penalty.columnGradient(0);
        for (let i = 0; i < params.length; i++) params[i].grad += shares[i];
      }
      tape.backward(this.total.grad);
    }
    return loss;
  }

  /**
   * Sample `s` of `batch` alone, as a run over `count` samples of it (all by default) computes it:
   * every layer's outputs, their gradients in that run's loss (the seed d loss / d term: 1/count for a mean),
   * and the sample's share of each parameter's gradient. Costs one sample's forward and backward;
   * the parameters' grads are left as they are.
   */
  trace(batch: Batch, s: number, count: number = batch.n): SampleTrace {
    const seed = this.seed(count);
    this.tape.forward(
      batch.columns.map((c) => c.subarray(s, s + 1)),
      1,
      true,
    );
    const shares = new Float64Array(this.params.length);
    this.tape.backward(seed, shares);
    const read = (at: (c: number, s: number) => number): Float64Array[] => this.layers.map((layer) => Float64Array.from(layer, (c) => at(c, 0)));
    return { activations: read((c, i) => this.tape.valueIn(c, i)), gradients: read((c, i) => this.tape.gradIn(c, i)), shares };
  }

  /**
   * After a `run`: which side of its corner every ReLU of the model is on, for each sample (its
   * output above 0 or not), and with `terms` the same for each sample's loss term (the hinge's
   * max(0, margin)). Two runs whose corners differ straddle a kink of the loss.
   */
  corners(terms: boolean): Uint8Array {
    const { tape, relus } = this;
    const n = tape.term().length;
    const out = new Uint8Array(relus.length * n + (terms ? n : 0));
    relus.forEach((c, k) => {
      for (let s = 0; s < n; s++) out[k * n + s] = tape.valueIn(c, s) > 0 ? 1 : 0;
    });
    if (terms) tape.term().forEach((t, s) => (out[relus.length * n + s] = t > 0 ? 1 : 0));
    return out;
  }

  /** The L2 penalty on the current parameters and its share of each one's gradient (0 and zeros without one). */
  l2Penalty(): { value: number; gradients: Float64Array } {
    const { penalty, params, paramValues } = this;
    if (penalty === null) return { value: 0, gradients: new Float64Array(params.length) };
    for (let i = 0; i < params.length; i++) paramValues[i] = params[i].data;
    penalty.forward([paramValues], params.length, true);
    this.penaltyTotal.data = sumInOrder(penalty.term());
    this.seed(1);
    penalty.backward(this.penaltyTotal.grad);
    return { value: scalePenalty(new Value(this.penaltyTotal.data), this.l2).data, gradients: penalty.columnGradient(0).slice() };
  }

  /** d loss / d (sum of the terms) for a batch of n, from the head's backward (which also gives the penalty's sum its grad). */
  private seed(n: number): number {
    this.reciprocalCount.data = 1 / n;
    this.head.forward([], 1, true);
    this.total.grad = 0;
    this.penaltyTotal.grad = 0;
    this.head.backward(1);
    return this.total.grad;
  }

  /** The model's outputs (one column per output) for n points given as input columns; no loss, no gradients. */
  evaluate(inputs: readonly Float64Array[], n: number): Float64Array[] {
    if (inputs.length !== this.inputWidth) throw new RangeError(`expected ${this.inputWidth} input columns, got ${inputs.length}`);
    if ((this.unused[0]?.length ?? -1) < n) this.unused = Array.from({ length: this.targetWidth }, () => new Float64Array(n));
    this.tape.forward([...inputs, ...this.unused], n, false);
    return Array.from({ length: this.outputWidth }, (_, i) => this.tape.output(i).slice());
  }

  /** What each hidden unit outputs for each sample of `batch`: `[layer][neuron]`, one number per sample; no loss, no gradients. */
  hidden(batch: Batch): Float64Array[][] {
    this.tape.forward(batch.columns, batch.n, false);
    let next = this.outputWidth;
    return this.hiddenSizes.map((size) => Array.from({ length: size }, () => this.tape.output(next++).slice()));
  }

  /** Output i of every sample of the last run (a view, valid until the next run). */
  output(i: number): Float64Array {
    return this.tape.output(i);
  }
}
