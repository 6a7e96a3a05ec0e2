import { Op, topologicalOrder, Value } from '../engine/value.js';
import type { Activation } from '../nn/activation.js';
import { Neuron } from '../nn/mlp.js';
import type { SampleTrace } from '../nn/compiled.js';
import { LOSSES } from '../nn/loss.js';
import type { UpdatePreview } from '../nn/optim.js';
import type { TrainingSession } from '../train/session.js';
import { neuronLayout, WalkGraph, type NeuronLayout, type NodeInfo, type WalkParts } from './walk-graph.js';

export const PHASES = ['forward', 'loss', 'zero grad', 'backward', 'update'] as const;
export type PhaseName = (typeof PHASES)[number];

/** Above this many operations in one sample's forward pass, the walk follows one neuron. */
export const FOLLOW_ABOVE = 120;
/** Sample traces a walk keeps (each holds a grad share per parameter): the one walked, the ones either side. */
const KEPT_TRACES = 3;

/** What one backward item did to one operand: the engine's local derivative times the node's grad. */
export interface Contribution {
  operand: Value;
  was: number;
  now: number;
}

/** An item of a phase: a node of the graph (forward, loss, backward) or a parameter (zero grad, update). */
export type WalkItem = { kind: 'node'; node: Value; /** position among the rules backward runs */ at: number } | { kind: 'param'; index: number };

/** How big one step is: the figures of the view's title line. */
export interface StepSize {
  /** Nodes in the whole step's graph (every sample's forward pass, the loss, the parameters). */
  nodes: number;
  /** Nodes in one sample's forward pass, the graph of its output: the parameters, its inputs, the operations forward lists. */
  sampleNodes: number;
  /** Local rules backward applies: one per node made by an operation. */
  rules: number;
}

/**
 * Where the followed neuron's output gets its grad on a large network: from the rules of the
 * layers above it, which the walk does not build; the session's tape ran them.
 */
export interface Bridge {
  node: Value;
  grad: number;
}

/**
 * One real training step of a session, taken apart for a learner: forward, loss, zero grad,
 * backward and update, item by item, for one sample at a time. Every number comes from the
 * engine: the graph is the session's own model and loss built on a copy of its parameters, each
 * backward item runs that node's own rule (`_backward`), and the update is the optimiser's own
 * preview. Nothing in the session changes until the UI applies the step at the end (`s`'s own
 * code path), so leaving early drops the half-walked step.
 *
 * On a large network the walk follows one neuron and builds only what it shows: that neuron's
 * nodes on the walked sample, from its inputs as the session's tape computed them (a one-sample
 * trace), and the loss over every sample's output; the gradient reaching the neuron from the
 * layers above is the trace's. A key then builds a few nodes per input of the neuron, whatever
 * the size of the network (`built` counts them).
 */
export class StepWalk {
  readonly names: readonly string[];
  /** The grads the parameters had before the walk: the previous step's. */
  readonly oldGrads: Float64Array;
  /** The whole step's gradient of the current parameters (all samples), from the session's engine. */
  readonly totals: Float64Array;
  /** Every training sample's output in that same forward pass, as the model computes it (standardised when scaled). */
  private readonly outputs: readonly (readonly number[])[];
  /** What the update will do to each parameter shown, in the optimiser's own formula (computed when first shown). */
  private readonly updates = new Map<number, UpdatePreview>();
  readonly size: StepSize;
  /** How many samples the step uses, and which training samples they are, in their order. */
  readonly samples: number;
  readonly batch: readonly number[];
  /** True when the step is one mini-batch's update, not the whole epoch's (`--batch`). */
  readonly batched: boolean;
  readonly following: boolean;
  /** True when the model trains on standardised data: the walk's numbers are in those units. */
  readonly scaled: boolean;
  /** Value nodes the walk has built so far: on a large network, a bounded number per key. */
  built = 0;

  private _sample = 0;
  private _neuron = 0;
  private _phase = 0;
  private _position = 0;
  private graph!: WalkGraph;
  /** The parameters of the walked graph by their index in the model: all of them, or the followed neuron's. */
  private paramValues = new Map<number, Value>();
  private bridge: Bridge | null = null;
  private reversed: Value[] = [];
  private phaseItems: WalkItem[][] = [];
  /** Backward: how many nodes of `reversed` have applied their rule. */
  private applied = 0;
  private readonly effects = new Map<Value, Contribution[]>();
  private readonly gradAtTurn = new Map<Value, number>();
  /** The nodes the backward phase lists: only they keep a record of what their rule did. */
  private listed = new Set<Value>();
  /** Operations per sample, and how many of them each neuron has. */
  private readonly sampleRules: number;
  private readonly neuronRules: number[] = [];
  /** The step's loss alone (no penalty), its penalty and the loss's rules in the whole step's graph. */
  private readonly lossRules: number;
  private readonly lossNodes: number;
  /** The loss graph over every sample's output, built once (large networks: it does not change with the sample). */
  private lossGraph: { root: Value; heads: Value[][]; leafNames: Map<Value, string> } | null = null;
  /** The L2 penalty's value and share of each parameter's grad (computed when first needed). */
  private penalty: { value: number; gradients: Float64Array } | null = null;
  /** The model's neurons and where their parameters are; the parameters' current values. */
  private readonly layout: NeuronLayout;
  private readonly values: Float64Array;
  /** What the samples before the walked one added to each parameter's grad: `carried[i]`, for sample `carriedAt`. */
  private carriedSum: Float64Array | null = null;
  private carriedAt = 0;
  /**
   * The last samples' traces, newest last: a key moves one sample, and needs both the one it
   * reaches (its nodes) and the one it leaves (its share of the grads, added or taken away).
   */
  private readonly traces = new Map<number, SampleTrace>();

  constructor(
    private readonly session: TrainingSession,
    /** Where to start: a sample, and a parameter whose neuron to follow on a large network. */
    start: { sample?: number; parameter?: number } = {},
  ) {
    this.names = session.names;
    this.oldGrads = session.gradients();
    const fresh = session.freshStep();
    this.totals = fresh.gradients;
    this.outputs = fresh.outputs;
    this.batch = session.nextBatch(); // the next update's samples: all of them, or a mini-batch (--batch)
    this.samples = this.batch.length;
    this.batched = session.batchesPerEpoch > 1;
    this.scaled = session.config.scaling !== undefined;
    const sizes = session.model.sizes;
    this.layout = neuronLayout(sizes);
    this.values = session.parameters();
    sizes.slice(1).forEach((nout, l) => {
      const activation: Activation = l === sizes.length - 2 ? session.outputActivation : session.config.activation;
      const rules = 2 * sizes[l] + (activation === 'linear' ? 0 : 1);
      for (let j = 0; j < nout; j++) this.neuronRules.push(rules);
    });
    this.sampleRules = this.neuronRules.reduce((a, b) => a + b, 0);
    this.following = this.sampleRules > FOLLOW_ABOVE;
    this._sample = clamp(start.sample ?? 0, this.samples);
    const loss = this.lossShape();
    this.lossRules = loss.rules;
    this.lossNodes = loss.nodes;
    const params = session.parameterCount;
    const inputs = sizes[0];
    // Each sample's own nodes: its operations, its target's numbers, and its inputs, which every
    // first-layer neuron wraps in a leaf of its own (`w.mul(x)` with x a number, as micrograd does).
    const ownNodes = inputs * sizes[1] + this.sampleRules + this.targetNumbers();
    this.size = {
      nodes: params + this.samples * ownNodes + this.lossNodes,
      sampleNodes: params + inputs * sizes[1] + this.sampleRules,
      rules: this.samples * this.sampleRules + this.lossRules,
    };
    this._neuron = this.layout.neuronOfParam[clamp(start.parameter ?? 0, params)];
    this.build();
    if (this.following) this.followAlive();
    this.collect();
    this.settle();
  }

  get phase(): number {
    return this._phase;
  }

  get phaseName(): PhaseName {
    return PHASES[this._phase];
  }

  get position(): number {
    return this._position;
  }

  get sample(): number {
    return this._sample;
  }

  get neuron(): number {
    return this._neuron;
  }

  get neuronName(): string {
    return this.graph.neurons[this._neuron];
  }

  /** The items of a phase (the current one by default). */
  items(phase = this._phase): readonly WalkItem[] {
    return this.phaseItems[phase] as WalkItem[];
  }

  get item(): WalkItem {
    return this.items()[this._position];
  }

  /** Items of the phase not listed: the other neurons' nodes, the other samples' loss terms. */
  hidden(phase = this._phase): number {
    return this.total(phase) - this.items(phase).length;
  }

  /** How many items the phase has in the whole step's graph for one sample, listed or not. */
  total(phase: number): number {
    const { sampleRules, lossRules } = this;
    const params = this.session.parameterCount;
    return [sampleRules, lossRules, params, sampleRules + lossRules, params][phase];
  }

  get root(): Value {
    return this.graph.root;
  }

  get out(): Value {
    return this.graph.outs[0];
  }

  /** The walked sample's outputs (one, or one score per class). */
  get outs(): readonly Value[] {
    return this.graph.outs;
  }

  /** On a large network, the followed neuron's output and the grad the layers above give it (null on a small one). */
  get bridgeNode(): Bridge | null {
    return this.bridge;
  }

  info(v: Value): NodeInfo | undefined {
    return this.graph.info(v);
  }

  /** A node's short name (`L1.N2 w3·x3`, `s2 **2`). */
  name(v: Value): string {
    return this.graph.name(v);
  }

  /** What backward item `v` added to its operands (once it has run). */
  effect(v: Value): readonly Contribution[] | undefined {
    return this.effects.get(v);
  }

  /** The grad `v` had when its rule ran: complete, since every node using it ran before. */
  gradAt(v: Value): number | undefined {
    return this.gradAtTurn.get(v);
  }

  /** Parameter `i` in the walk's graph, when it is there (on a large network, only the followed neuron's are). */
  param(i: number): Value | undefined {
    return this.paramValues.get(i);
  }

  /** The grad of parameter `i` in the walk's graph now (NaN for one the walk does not show). */
  grad(i: number): number {
    return this.paramValues.get(i)?.grad ?? Number.NaN;
  }

  /** What the update will do to parameter `i` (one the walk shows), in the optimiser's own formula. */
  update(i: number): UpdatePreview | undefined {
    return this.updates.get(i);
  }

  /** The L2 penalty's share of parameter `i`'s grad that the walked graph does not hold (a large network's), or 0. */
  penaltyShare(i: number): number {
    return this.following ? (this.penaltyNow().gradients[i]) : 0;
  }

  private penaltyNow(): { value: number; gradients: Float64Array } {
    return (this.penalty ??= this.session.penalty());
  }

  /** True when the next `next()` applies the step. */
  get atEnd(): boolean {
    return this._phase === PHASES.length - 1 && this._position === this.items().length - 1;
  }

  /** The next item; false at the end of the update (the caller then applies the step). */
  next(): boolean {
    if (this.atEnd) return false;
    if (this._position < this.items().length - 1) this._position++;
    else this.enterPhase(this._phase + 1, 0);
    this.settle();
    return true;
  }

  previous(): void {
    if (this._position > 0) this._position--;
    else if (this._phase > 0) this.enterPhase(this._phase - 1, Number.POSITIVE_INFINITY);
    this.settle();
  }

  /** To the last item of the phase; at its last item already, to the last item of the next phase
   * (so enter, pressed again and again, goes phase by phase; it never applies the step). */
  endPhase(): void {
    const last = this.items().length - 1;
    if (this._position === last && this._phase < PHASES.length - 1) this.enterPhase(this._phase + 1, Number.POSITIVE_INFINITY);
    else this._position = last;
    this.settle();
  }

  /** Walk another sample (`delta` = 1 or -1, wrapping around); the phase stays. */
  changeSample(delta: number): void {
    this._sample = (this._sample + delta + this.samples) % this.samples;
    this.build();
    this.collect();
    this._position = Math.min(this._position, this.items().length - 1);
    this.settle(true);
  }

  /** Follow another neuron (`delta` = 1 or -1, wrapping around), from the start of the phase. */
  changeNeuron(delta: number): void {
    if (!this.following) return;
    const n = this.neuronRules.length;
    this._neuron = (this._neuron + delta + n) % n;
    this.build();
    this.collect();
    this._position = 0;
    this.settle(true);
  }


  /** From the followed neuron on, the first one alive on the sample (a dead relu shows only zero grads). */
  private followAlive(): void {
    const n = this.neuronRules.length;
    for (let d = 0; d < n && this.dead(); d++) {
      this._neuron = (this._neuron + 1) % n;
      this.build();
    }
  }

  /** True when the followed neuron's activation passes no gradient on the sample: its own local derivative is 0. */
  private dead(): boolean {
    const out = this.graph.top; // a linear neuron's output is its sum, which always passes it on
    return out._op !== Op.add && out.localDerivatives()[0] === 0;
  }

  /** Walked sample `s`'s trace on the tape, as the step's update over its samples computes it. */
  private traceOf(s: number): SampleTrace {
    const trace = this.traces.get(s) ?? this.session.traceSample(this.batch[s], this.samples);
    this.traces.delete(s);
    this.traces.set(s, trace);
    if (this.traces.size > KEPT_TRACES) this.traces.delete(this.traces.keys().next().value as number);
    return trace;
  }

  /** The walked samples' targets, as the model sees them. */
  private targets(): number[] {
    const { y } = this.session.trainingData;
    return this.batch.map((i) => y[i]);
  }

  private enterPhase(phase: number, position: number): void {
    this._phase = phase;
    this._position = Math.min(position, this.items().length - 1);
  }

  /** The numbers each sample's loss term reads from its target (one, or one per class for ce). */
  private targetNumbers(): number {
    const outputs = this.session.model.sizes[this.session.model.sizes.length - 1];
    return LOSSES[this.session.config.loss].targetNumbers(0, outputs).length;
  }

  /** The loss's rules and nodes in the whole step's graph (the penalty's included), from the loss built on numbers. */
  private lossShape(): { rules: number; nodes: number } {
    const heads = this.outputs.map((o) => o.map((x) => new Value(x)));
    const root = this.session.lossOf(heads, null, this.targets());
    let rules = 0;
    let nodes = 0;
    const seen = new Set<Value>(heads.flat());
    const stack = [root];
    while (stack.length > 0) {
      const v = stack.pop() as Value;
      if (seen.has(v)) continue;
      seen.add(v);
      nodes++;
      if (v._a !== null) rules++;
      for (const c of v.children) stack.push(c);
    }
    // The targets' numbers are each sample's own nodes (counted there); the penalty: a mul per
    // parameter, the adds between them, its coefficient's mul and leaf, and the add into the loss.
    nodes -= this.samples * this.targetNumbers();
    const l2 = this.session.config.l2 ?? 0;
    if (l2 > 0) {
      const params = this.session.parameterCount;
      rules += 2 * params + 1;
      nodes += 2 * params + 2;
    }
    return { rules, nodes };
  }

  private build(): void {
    const { session } = this;
    const row = session.trainingData.x[this.batch[this._sample]];
    const names = this.names;
    const sizes = session.model.sizes;
    if (!this.following) {
      const model = session.copyModel();
      const params = model.parameters();
      const outs = model.forward(row);
      const heads = this.outputs.map((o, i) => (i === this._sample ? outs : o.map((x) => new Value(x))));
      const root = session.lossOf(heads, params, this.targets());
      this.paramValues = new Map(params.map((p, i) => [i, p]));
      this.graph = new WalkGraph({ layout: this.layout, params: new Map(params.map((p, i) => [p, i])), tops: outs, heads, walked: this._sample, root }, names);
      this.bridge = null;
      this.built += this.graph.order.length;
      return;
    }
    const loss = this.followedLoss();
    const trace = this.traceOf(this._sample);
    // The followed neuron on the walked sample: its inputs from the trace, its parameters' current values.
    const { layer, index } = this.place(this._neuron);
    const fanIn = this.layout.fanIn[this._neuron];
    const first = this.layout.firstParam[this._neuron];
    const values = this.values;
    const neuron = new Neuron(fanIn, layer === sizes.length - 1 ? session.outputActivation : session.config.activation);
    [...neuron.w, neuron.b].forEach((p, i) => (p.data = values[first + i]));
    const below = trace.activations[layer - 1];
    const inputs = Array.from(below, (a) => new Value(a));
    const leafNames = new Map(loss.leafNames);
    if (layer > 1) inputs.forEach((v, i) => leafNames.set(v, `L${layer - 1}.N${i + 1}`));
    const top = neuron.forward(inputs);
    const heads = loss.heads;
    const outs = heads[this._sample];
    outs.forEach((out, k) => leafNames.set(out, `s${this._sample + 1} output${outs.length === 1 ? '' : k + 1}`));
    const params = [...neuron.w, neuron.b];
    this.paramValues = new Map(params.map((p, i) => [first + i, p]));
    this.graph = new WalkGraph(
      { layout: this.layout, params: new Map(params.map((p, i) => [p, first + i])), tops: [top], heads, walked: this._sample, root: loss.root, leafNames } satisfies WalkParts,
      names,
    );
    this.bridge = { node: top, grad: trace.gradients[layer][index] };
    this.built += inputs.length + params.length + this.neuronRules[this._neuron];
  }

  /** The loss over every sample's output for a large network, built on the first call: outputs and penalty as leaves. */
  private followedLoss(): { root: Value; heads: Value[][]; leafNames: Map<Value, string> } {
    if (this.lossGraph !== null) return this.lossGraph;
    const heads = this.outputs.map((o) => o.map((x) => new Value(x)));
    const leafNames = new Map<Value, string>();
    const l2 = this.session.config.l2 ?? 0;
    let penalty: Value | null = null;
    if (l2 > 0) {
      penalty = new Value(this.penaltyNow().value);
      leafNames.set(penalty, 'L2 penalty');
    }
    const root = this.session.lossOf(heads, penalty, this.targets());
    this.lossGraph = { root, heads, leafNames };
    this.built += topologicalOrder(root).length;
    return this.lossGraph;
  }

  /** Neuron k's layer (1-based, as in `L2.N3`) and its index in the layer. */
  private place(k: number): { layer: number; index: number } {
    const sizes = this.session.model.sizes;
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l];
      if (k < n) return { layer: l, index: k };
      k -= n;
    }
    throw new RangeError(`no neuron ${k}`);
  }

  /** The listed items of every phase for the current sample and neuron. */
  private collect(): void {
    const graph = this.graph;
    const info = (v: Value): NodeInfo => graph.info(v) as NodeInfo;
    const shown = (v: Value): boolean => {
      const node = info(v);
      if (node.inSample) return !this.following || node.neuron === this._neuron;
      return node.downstream;
    };
    // Backward runs the rules in reverse topological order; a large network's walked graph is the
    // loss's path and the followed neuron: the rules between them are the layers above (the trace's).
    // (The followed neuron's nodes come first in `order`, so last in backward.)
    const rules = graph.order.filter((v) => v._a !== null && (!this.following || shown(v))).reverse();
    this.reversed = rules;
    const nodeItem = (v: Value, at: number): WalkItem => ({ kind: 'node', node: v, at });
    const rulesUpTo = (keep: (v: Value) => boolean): WalkItem[] => {
      const items: WalkItem[] = [];
      for (let i = rules.length - 1; i >= 0; i--) if (keep(rules[i] as Value)) items.push(nodeItem(rules[i] as Value, i));
      return items;
    };
    const params = [...this.paramValues.keys()].filter((i) => !this.following || graph.neuronOfParam[i] === this._neuron);
    const paramItems = params.map((index): WalkItem => ({ kind: 'param', index }));
    const missing = params.filter((i) => !this.updates.has(i));
    if (missing.length > 0) this.session.previewUpdate(this.totals, missing).forEach((u, k) => this.updates.set(missing[k], u));
    const backward: WalkItem[] = [];
    rules.forEach((v, i) => shown(v) && backward.push(nodeItem(v, i)));
    this.listed = new Set(backward.map((item) => (item as { node: Value }).node));
    this.phaseItems = [
      rulesUpTo((v) => info(v).inSample && shown(v)),
      rulesUpTo((v) => !info(v).inSample && shown(v)),
      paramItems,
      backward,
      paramItems,
    ];
  }

  /**
   * Put the walk's grads where the current item leaves them. Forward and loss: the previous
   * step's grads. Zero grad: the listed parameters up to the current one at 0. Backward: every
   * parameter at 0 and the rules applied up to the current node. Update: backward complete.
   */
  private settle(fresh = false): void {
    const phase = this._phase;
    if (phase === 3 || phase === 4) {
      const target = phase === 4 ? this.reversed.length : (this.item as { at: number }).at + 1;
      if (fresh || target < this.applied) this.resetBackward();
      this.applyUntil(target);
      return;
    }
    this.applied = -1; // nothing of backward has run
    for (const v of this.graph.order) v.grad = 0;
    for (const [i, p] of this.paramValues) p.grad = this.oldGrads[i];
    if (phase === 2) {
      for (const item of this.items().slice(0, this._position + 1)) (this.paramValues.get((item as { index: number }).index) as Value).grad = 0;
    }
  }

  /**
   * What the samples before the walked one added to each parameter's grad (+=), so the walk shows
   * the step's gradient adding up sample by sample: each sample's share comes from the session's
   * tape (a one-sample trace), and moving to the next or the previous sample adds or takes one
   * share. The penalty's grad (L2) is not carried: a small network's walked graph adds it once,
   * in every sample's walk; a large one's holds the penalty as one leaf (see `penaltyShare`).
   */
  private carried(): Float64Array {
    const s = this._sample;
    const n = this.samples;
    const add = (sum: Float64Array, j: number, sign: number): void => {
      const share = this.traceOf(j).shares;
      for (let i = 0; i < sum.length; i++) sum[i] = sum[i] + sign * share[i];
    };
    let sum = this.carriedSum;
    if (sum !== null && s === this.carriedAt + 1) add(sum, this.carriedAt, 1);
    else if (sum !== null && s === this.carriedAt - 1) add(sum, s, -1);
    else if (sum === null || s !== this.carriedAt) {
      // From the nearer end: nothing before the first sample; before the last, all but its share and the penalty's.
      if (s <= n / 2) {
        sum = new Float64Array(this.totals.length);
        for (let j = 0; j < s; j++) add(sum, j, 1);
      } else {
        // One plain loop for the total, the penalty and the last sample's share: this runs on a
        // key (shift-tab around to the last sample), and a typed array's map took 90 ms on 461k parameters.
        const { totals } = this;
        const penalty = this.penaltyNow().gradients;
        const last = this.traceOf(n - 1).shares;
        sum = new Float64Array(totals.length);
        for (let i = 0; i < sum.length; i++) sum[i] = totals[i] - penalty[i] - last[i];
        for (let j = n - 2; j >= s; j--) add(sum, j, -1);
      }
    }
    this.carriedSum = sum;
    this.carriedAt = s;
    return sum;
  }

  private resetBackward(): void {
    for (const v of this.graph.order) v.grad = 0;
    const carried = this.carried();
    for (const [i, p] of this.paramValues) p.grad = carried[i];
    this.graph.root.grad = 1; // d loss / d loss, where backward() starts
    if (this.bridge !== null) this.bridge.node.grad = this.bridge.grad;
    this.effects.clear();
    this.gradAtTurn.clear();
    this.applied = 0;
  }

  /** Run the rules of the nodes in reverse topological order until `count` have run. */
  private applyUntil(count: number): void {
    if (this.applied < 0) this.resetBackward();
    for (; this.applied < count; this.applied++) {
      const v = this.reversed[this.applied];
      if (!this.listed.has(v)) {
        v._backward();
        continue;
      }
      const operands = v.children;
      const was = operands.map((c) => c.grad);
      this.gradAtTurn.set(v, v.grad);
      v._backward();
      this.effects.set(
        v,
        operands.map((operand, k) => ({ operand, was: was[k], now: operand.grad })),
      );
    }
  }
}

function clamp(i: number, n: number): number {
  return Math.max(0, Math.min(n - 1, Math.floor(i)));
}
