import { NodeIndex, Op, topologicalOrder, topologicalOrderOf, Value } from '../engine/value.js';
import type { MLP } from '../nn/mlp.js';

/** Where a node of the walked graph comes from. */
export interface NodeInfo {
  /** The neuron (index over all layers, 0-based) whose weighted sum or activation this is; -1 for none. */
  neuron: number;
  /** True for the nodes of the walked sample's forward pass (its inputs and the parameters included). */
  inSample: boolean;
  /** The sample whose loss term alone this node belongs to; -1 for nodes several samples share, -2 for none. */
  sample: number;
  /** How many operand slots take this node: above 1, its grad adds up several contributions. */
  uses: number;
  /**
   * True for the walked output and the nodes computed from it: its loss term, the partial sums
   * that add it to the others', the loss. Backward passes the walked sample's gradient through them.
   */
  downstream: boolean;
}

/** A parameter's place in the model: its neuron and which weight it is (0 for the bias). */
interface Role {
  neuron: number;
  weight: number;
}

/**
 * The graph one sample of a step walks through: that sample's whole forward pass on a copy of
 * the session's model, feeding the step's loss, where every other sample enters as its output
 * numbers (one, or one per class). Backward through it gives the walked sample's share of each gradient, and the loss
 * and output grads of the whole step. Facts per node are kept in flat arrays and names are made
 * only for the nodes on screen: a large network's sample has a million nodes.
 */
export class WalkGraph {
  readonly root: Value;
  /** The walked sample's outputs (one, or one score per class). */
  readonly outs: readonly Value[];
  /** Every node, operands first (the engine's topological order), root last. */
  readonly order: Value[];
  /** `L2.N3` for each neuron index. */
  readonly neurons: string[] = [];
  /** The neuron index of each parameter, in the order of `model.parameters()`. */
  readonly neuronOfParam: number[] = [];
  /** Each node's position in `order`, kept on the node (a Map of a million nodes took a second). */
  private index: NodeIndex;
  private readonly neuron: Int32Array;
  private readonly sample: Int32Array;
  private readonly uses: Int32Array;
  private readonly inSample: Uint8Array;
  private readonly downstream: Uint8Array;
  /** In the loss: the first and last sample whose output a node adds up (-1 for none). */
  private readonly firstSample: Int32Array;
  private readonly lastSample: Int32Array;
  private readonly roles = new Map<Value, Role>();
  private readonly paramNames = new Map<Value, string>();
  private readonly fanIn: number[];
  /** The input leaf of each first-layer product: `x2`. */
  private readonly inputs = new Map<Value, number>();
  /** Which sample's output (and which of its outputs) each output node is. */
  private readonly outputOf = new Map<Value, { sample: number; output: number }>();
  /** One output a sample: output leaves are named `out s2`, else `out3 s2`. */
  private readonly single: boolean;

  /**
   * `lossOf` composes the step's loss from each sample's outputs (the session's own loss,
   * penalty included); `outputs` are the step's outputs as numbers, for the samples not walked.
   */
  constructor(
    model: MLP,
    names: readonly string[],
    input: readonly number[],
    outputs: readonly (readonly number[])[],
    readonly walked: number,
    lossOf: (outputs: readonly (readonly Value[])[], params: readonly Value[] | null) => Value,
  ) {
    const params = model.parameters();
    this.outs = model.forward(input);
    this.single = this.outs.length === 1;
    const heads = outputs.map((o, i) => (i === walked ? this.outs : o.map((x) => new Value(x))));
    heads.forEach((h, i) => h.forEach((v, k) => this.outputOf.set(v, { sample: i, output: k })));
    this.root = lossOf(heads, params);
    this.order = topologicalOrder(this.root);
    const sampleOrder = topologicalOrderOf(this.outs);
    this.index = new NodeIndex(this.order); // after the last traversal, which would reuse the marks
    const n = this.order.length;
    this.neuron = new Int32Array(n).fill(-1);
    this.sample = new Int32Array(n).fill(-2);
    this.uses = new Int32Array(n);
    this.inSample = new Uint8Array(n);
    this.downstream = new Uint8Array(n);
    this.firstSample = new Int32Array(n).fill(-1);
    this.lastSample = new Int32Array(n).fill(-1);
    for (const v of sampleOrder) this.inSample[this.index.of(v)] = 1;

    model.layers.forEach((layer, l) =>
      layer.neurons.forEach((neuron, j) => {
        const k = this.neurons.length;
        this.neurons.push(`L${l + 1}.N${j + 1}`);
        neuron.w.forEach((w, i) => this.roles.set(w, { neuron: k, weight: i + 1 }));
        this.roles.set(neuron.b, { neuron: k, weight: 0 });
        for (let i = 0; i <= neuron.w.length; i++) this.neuronOfParam.push(k);
      }),
    );
    this.fanIn = model.layers.flatMap((l) => l.neurons.map((x) => x.w.length));
    params.forEach((p, i) => this.paramNames.set(p, names[i]));
    this.classify();
  }

  /**
   * The neurons whose activation passes no gradient on the walked sample (a relu at 0): every
   * grad the walk would show for them is 0. Read off the engine's own local derivatives.
   */
  deadNeurons(): Set<number> {
    const dead = new Set<number>();
    this.order.forEach((v, i) => {
      const k = this.neuron[i];
      if (this.inSample[i] !== 1 || k < 0 || v._a === null || v._op === Op.mul || v._op === Op.add) return;
      if (v.localDerivatives()[0] === 0) dead.add(k);
    });
    return dead;
  }

  /** The position of `v` in `order`, or undefined for a node outside the graph. */
  private position(v: Value): number | undefined {
    if (this.index.has(v)) return this.index.of(v);
    // A traversal of these nodes since (a backward() over the graph) reused the marks: renumber.
    this.index = new NodeIndex(this.order);
    return this.index.has(v) ? this.index.of(v) : undefined;
  }

  info(v: Value): NodeInfo | undefined {
    const i = this.position(v);
    if (i === undefined) return undefined;
    return {
      neuron: this.neuron[i],
      inSample: this.inSample[i] === 1,
      sample: this.sample[i],
      uses: this.uses[i],
      downstream: this.downstream[i] === 1,
    };
  }

  /** The neuron of each node, its uses and which sample's loss term it belongs to, in one pass. */
  private classify(): void {
    const { order, index, neuron, sample, uses, inSample, roles, downstream, firstSample, lastSample } = this;
    for (let i = 0; i < order.length; i++) {
      const v = order[i];
      const a = v._a;
      const b = v._b;
      const ia = a === null ? -1 : index.of(a);
      const ib = b === null ? -1 : index.of(b);
      if (ia >= 0) uses[ia]++;
      if (ib >= 0) uses[ib]++;
      if (this.outs.includes(v) || (ia >= 0 && downstream[ia] === 1) || (ib >= 0 && downstream[ib] === 1)) downstream[i] = 1;
      if (a === null) {
        const role = roles.get(v);
        if (role !== undefined) neuron[i] = role.neuron;
        const out = this.outputOf.get(v);
        if (out !== undefined) sample[i] = firstSample[i] = lastSample[i] = out.sample;
        continue;
      }
      if (inSample[i] === 1) {
        // A product w·x belongs to w's neuron; a sum and an activation to their first operand's.
        const role = roles.get(a);
        neuron[i] = v._op === Op.mul && role !== undefined ? role.neuron : neuron[ia];
        if (v._op === Op.mul && role !== undefined && b !== null && b._a === null && !roles.has(b)) this.inputs.set(b, role.weight);
        sample[i] = this.walked;
        if (this.outs.includes(v)) firstSample[i] = lastSample[i] = this.walked;
        continue;
      }
      // In the loss: the sample whose output alone it depends on (parameters belong to none).
      const sa = ia < 0 || roles.has(a) ? -2 : sample[ia];
      const sb = ib < 0 || (b !== null && roles.has(b)) ? -2 : sample[ib];
      sample[i] = sa === -2 ? sb : sb === -2 || sb === sa ? sa : -1;
      const range = [ia, ib].filter((j) => j >= 0 && firstSample[j] >= 0);
      if (range.length > 0) {
        firstSample[i] = Math.min(...range.map((j) => firstSample[j]));
        lastSample[i] = Math.max(...range.map((j) => lastSample[j]));
      }
    }
    for (const out of this.outs) if (this.outputOf.has(out)) sample[index.of(out)] = this.walked;
  }

  /** A short name for a node: `L1.N2 w3·x3`, `L1.N2 sum`, `L1.N2 tanh`, `s2 **2`, `loss`. */
  name(v: Value): string {
    const param = this.paramNames.get(v);
    if (param !== undefined) return param;
    const input = this.inputs.get(v);
    if (input !== undefined) return `x${input}`;
    const out = this.outputOf.get(v);
    if (out !== undefined && out.sample !== this.walked) return `out${this.single ? '' : out.output + 1} s${out.sample + 1}`;
    if (v === this.root) return 'loss';
    const i = this.position(v);
    if (v._a === null || i === undefined) return String(v.data);
    if (this.inSample[i] === 1) {
      const n = this.neuron[i];
      const where = this.neurons[n] ?? '?';
      const role = this.roles.get(v._a);
      if (v._op === Op.mul && role !== undefined) return `${where} w${role.weight}·x${role.weight}`;
      if (v._op === Op.add) {
        const term = v._b === null ? undefined : this.roles.get(v._b._a ?? v._b);
        if (term === undefined) return `${where} +`;
        return term.weight === this.fanIn[n] ? `${where} sum` : `${where} +w${term.weight}x${term.weight}`;
      }
      return `${where} ${v.op}`;
    }
    const s = this.sample[i];
    if (s >= 0) return `s${s + 1} ${v.op}`;
    // A partial sum of the samples' terms (s1-s3 +), the mean of them all, or the L2 penalty's nodes.
    const first = this.firstSample[i];
    return first >= 0 ? `s${first + 1}-s${this.lastSample[i] + 1} ${v.op}` : `L2 ${v.op}`;
  }
}
