import { NodeIndex, Op, topologicalOrder, topologicalOrderOf, type Value } from '../engine/value.js';
import { formatNumber } from '../format.js';

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
 * The pieces of one sample's graph the walk shows, joined into the step's loss. The whole
 * sample: `top` and `out` are the model's output on it. One neuron of a large network: `top` is
 * that neuron's output, computed from leaves holding its inputs, and `out` a leaf holding the
 * sample's output (both numbers from the session's tape).
 */
/** Where each neuron's parameters are in `model.parameters()`, for a model's layer sizes (inputs first). */
export interface NeuronLayout {
  /** `L2.N3` for each neuron index. */
  names: string[];
  /** The neuron index of each parameter. */
  neuronOfParam: Int32Array;
  /** Per neuron: its inputs, and where its parameters start (its weights, then its bias). */
  fanIn: number[];
  firstParam: number[];
}

export function neuronLayout(sizes: readonly number[]): NeuronLayout {
  const layout: NeuronLayout = { names: [], neuronOfParam: new Int32Array(0), fanIn: [], firstParam: [] };
  let params = 0;
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      layout.names.push(`L${l}.N${j + 1}`);
      layout.fanIn.push(sizes[l - 1]);
      layout.firstParam.push(params);
      params += (sizes[l - 1]) + 1;
    }
  }
  layout.neuronOfParam = new Int32Array(params);
  layout.firstParam.forEach((first, k) => layout.neuronOfParam.fill(k, first, first + layout.fanIn[k] + 1));
  return layout;
}

export interface WalkParts {
  /** The model's neurons and their parameters (`neuronLayout(model.sizes)`). */
  layout: NeuronLayout;
  /** The parameter Values of the forward part, each with its index in `model.parameters()`. */
  params: ReadonlyMap<Value, number>;
  /** The forward part's last nodes: the walked sample's outputs, or the followed neuron's output. */
  tops: readonly Value[];
  /** Each sample's outputs (one, or one score per class), in sample order. */
  heads: readonly (readonly Value[])[];
  walked: number;
  /** The loss of the step from `heads`. */
  root: Value;
  /** Names of other leaves: a neuron's inputs from the layer below (`L1.N3`), the L2 penalty. */
  leafNames?: ReadonlyMap<Value, string>;
}

/**
 * The graph one sample of a step walks through: that sample's forward pass (on a copy of the
 * session's model, or one neuron of it), feeding the step's loss, where every other sample enters
 * as its output number. Backward through it gives the walked sample's share of each gradient, and
 * the loss and output grads of the whole step. Facts per node are kept in flat arrays and names
 * are made only for the nodes on screen.
 */
export class WalkGraph {
  readonly root: Value;
  /** The walked sample's output. */
  readonly outs: readonly Value[];
  /** The forward part's first last node: `outs[0]`, or the followed neuron's output. */
  readonly top: Value;
  readonly walked: number;
  /** Every node, operands first (the engine's topological order), root last. */
  readonly order: Value[];
  /** `L2.N3` for each neuron index. */
  readonly neurons: readonly string[];
  /** The neuron index of each parameter, in the order of `model.parameters()`. */
  readonly neuronOfParam: Int32Array;
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
  private readonly fanIn: readonly number[];
  /** The input leaf of each first-layer product: `x2`. */
  private readonly inputs = new Map<Value, number>();
  /** Which sample's output (and which of its outputs) each output node is. */
  private readonly outputOf = new Map<Value, { sample: number; output: number }>();
  private readonly walkedOuts: Set<Value>;
  private readonly leafNames: ReadonlyMap<Value, string>;

  constructor(parts: WalkParts, names: readonly string[]) {
    const { layout, params, tops, heads, walked, root } = parts;
    this.neurons = layout.names;
    this.neuronOfParam = layout.neuronOfParam;
    this.fanIn = layout.fanIn;
    this.root = root;
    const top = tops[0];
    this.top = top;
    this.walked = walked;
    this.outs = heads[walked];
    this.walkedOuts = new Set(this.outs);
    this.leafNames = parts.leafNames ?? new Map();
    heads.forEach((h, i) => h.forEach((v, k) => this.outputOf.set(v, { sample: i, output: k })));
    const whole = top === this.outs[0];
    this.order = whole ? topologicalOrder(root) : topologicalOrderOf([...tops, root]);
    const sampleOrder = topologicalOrderOf(tops);
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

    for (const [p, i] of params) {
      const k = this.neuronOfParam[i];
      const w = i - layout.firstParam[k]; // weights 0..n-1, then the bias
      this.roles.set(p, { neuron: k, weight: w === this.fanIn[k] ? 0 : w + 1 });
      this.paramNames.set(p, names[i]);
    }
    this.classify();
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
      if (this.walkedOuts.has(v) || (ia >= 0 && downstream[ia] === 1) || (ib >= 0 && downstream[ib] === 1)) downstream[i] = 1;
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
        if (this.walkedOuts.has(v)) firstSample[i] = lastSample[i] = this.walked;
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
    const leaf = this.leafNames.get(v);
    if (leaf !== undefined) return leaf;
    const input = this.inputs.get(v);
    if (input !== undefined) return `x${input}`;
    const out = this.outputOf.get(v);
    if (out !== undefined && out.sample !== this.walked) return `out${this.outs.length === 1 ? '' : out.output + 1} s${out.sample + 1}`;
    if (v === this.root) return 'loss';
    const i = this.position(v);
    if (v._a === null || i === undefined) return formatNumber(v.data); // a number of the loss: a target's, 1, 1/n
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
