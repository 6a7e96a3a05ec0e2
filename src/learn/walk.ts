import { Value } from '../engine/value.js';
import type { MLP } from '../nn/mlp.js';
import type { UpdatePreview } from '../nn/optim.js';
import type { TrainingSession } from '../train/session.js';
import { WalkGraph, type NodeInfo } from './walk-graph.js';

export const PHASES = ['forward', 'loss', 'zero grad', 'backward', 'update'] as const;
export type PhaseName = (typeof PHASES)[number];

/** Above this many nodes in one sample's forward pass, the walk follows one neuron. */
export const FOLLOW_ABOVE = 120;

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
  /** Operations in one sample's forward pass: the items forward lists (its nodes less inputs and parameters). */
  operations: number;
  /** Local rules backward applies: one per node made by an operation. */
  rules: number;
}

/**
 * One real training step of a session, taken apart for a learner: forward, loss, zero grad,
 * backward and update, item by item, for one sample at a time. Every number comes from the
 * engine: the graph is the session's own model and loss built on a copy of its parameters, each
 * backward item runs that node's own rule (`_backward`), and the update is the optimiser's own
 * preview. Nothing in the session changes until the UI applies the step at the end (`s`'s own
 * code path), so leaving early drops the half-walked step.
 */
export class StepWalk {
  readonly model: MLP;
  readonly params: Value[];
  readonly names: readonly string[];
  /** The grads the parameters had before the walk: the previous step's. */
  readonly oldGrads: Float64Array;
  /** The whole step's gradient of the current parameters (all samples), from the session's engine. */
  readonly totals: Float64Array;
  /** Every training sample's output in that same forward pass, as the model computes it (standardised when scaled). */
  private readonly outputs: number[][];
  /** What the update will do to each parameter, in the optimiser's own formula. */
  readonly updates: readonly UpdatePreview[];
  readonly size: StepSize;
  /** The samples the step uses, in their order. */
  readonly samples: number;
  readonly following: boolean;
  /** True when the model trains on standardised data: the walk's numbers are in those units. */
  readonly scaled: boolean;

  private _sample = 0;
  private _neuron = 0;
  private _phase = 0;
  private _position = 0;
  private graph!: WalkGraph;
  private counts = { sampleRules: 0, lossRules: 0, sampleNodes: 0 };
  private reversed: Value[] = [];
  private phaseItems: WalkItem[][] = [];
  /** Backward: how many nodes of `reversed` have applied their rule. */
  private applied = 0;
  private readonly effects = new Map<Value, Contribution[]>();
  private readonly gradAtTurn = new Map<Value, number>();
  /** The nodes the backward phase lists: only they keep a record of what their rule did. */
  private listed = new Set<Value>();
  /** Each sample's own share of the parameters' grads, computed when first needed. */
  private readonly shares: Float64Array[] = [];

  constructor(
    private readonly session: TrainingSession,
    /** Where to start: a sample, and a parameter whose neuron to follow on a large network. */
    start: { sample?: number; parameter?: number } = {},
  ) {
    this.model = session.copyModel();
    this.params = this.model.parameters();
    this.names = session.names;
    this.oldGrads = Float64Array.from(session.snapshot(), (p) => p.grad);
    const fresh = session.freshStep();
    this.totals = fresh.gradients;
    this.outputs = fresh.outputs;
    this.updates = session.previewUpdate(this.totals);
    this.samples = session.trainingData.x.length;
    this.scaled = session.config.scaling !== undefined;
    this._sample = clamp(start.sample ?? 0, this.samples);
    this.build();
    this.following = this.counts.sampleRules > FOLLOW_ABOVE;
    this._neuron = this.firstAlive(this.graph.neuronOfParam[clamp(start.parameter ?? 0, this.params.length)] ?? 0);
    this.size = stepSize(this.graph, this.counts, this.params.length, this.samples);
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
    return this.phaseItems[phase];
  }

  get item(): WalkItem {
    return this.items()[this._position];
  }

  /** Items of the phase not listed: the other neurons' nodes, the other samples' loss terms. */
  hidden(phase = this._phase): number {
    return this.total(phase) - this.items(phase).length;
  }

  /** How many items the phase has in this graph, listed or not. */
  total(phase: number): number {
    const { sampleRules, lossRules } = this.counts;
    return [sampleRules, lossRules, this.params.length, sampleRules + lossRules, this.params.length][phase];
  }

  get root(): Value {
    return this.graph.root;
  }

  /** The walked sample's outputs. */
  get outs(): readonly Value[] {
    return this.graph.outs;
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

  /** The grad of parameter `i` in the walk's graph now. */
  grad(i: number): number {
    return this.params[i].grad;
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

  /** To the last item of the phase (from there, `next()` enters the next phase). */
  endPhase(): void {
    this._position = this.items().length - 1;
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
    const n = this.graph.neurons.length;
    this._neuron = (this._neuron + delta + n) % n;
    this.collect();
    this._position = 0;
    this.settle(true);
  }

  /** `from`, or the next neuron after it that is alive on the sample (a dead relu shows only zeros). */
  private firstAlive(from: number): number {
    if (!this.following) return from;
    const dead = this.graph.deadNeurons();
    const n = this.graph.neurons.length;
    for (let d = 0; d < n; d++) if (!dead.has((from + d) % n)) return (from + d) % n;
    return from;
  }

  private enterPhase(phase: number, position: number): void {
    this._phase = phase;
    this._position = Math.min(position, this.items().length - 1);
  }

  private build(): void {
    const { session, model } = this;
    const { x } = session.trainingData;
    this.graph = new WalkGraph(model, this.names, x[this._sample], this.outputs, this._sample, (o, p) =>
      session.lossOf(o, p),
    );
    this.reversed = this.graph.order.filter((v) => v._a !== null).reverse();
    let sampleRules = 0;
    let sampleNodes = 0;
    for (const v of this.graph.order) {
      if (!(this.graph.info(v) as NodeInfo).inSample) continue;
      sampleNodes++;
      if (v._a !== null) sampleRules++;
    }
    this.counts = { sampleRules, lossRules: this.reversed.length - sampleRules, sampleNodes };
  }

  /** The listed items of every phase for the current sample and neuron. */
  private collect(): void {
    const { neuronOfParam } = this.graph;
    const info = (v: Value): NodeInfo => this.graph.info(v) as NodeInfo;
    const shown = (v: Value): boolean => {
      const node = info(v);
      if (v === this.graph.root) return true;
      if (node.inSample) return !this.following || node.neuron === this._neuron;
      return node.downstream;
    };
    const nodeItem = (v: Value, at: number): WalkItem => ({ kind: 'node', node: v, at });
    const rules = this.reversed;
    const rulesUpTo = (keep: (v: Value) => boolean): WalkItem[] => {
      const items: WalkItem[] = [];
      for (let i = rules.length - 1; i >= 0; i--) if (keep(rules[i])) items.push(nodeItem(rules[i], i));
      return items;
    };
    const params = this.params.map((_, i) => i).filter((i) => !this.following || neuronOfParam[i] === this._neuron);
    const paramItems = params.map((index): WalkItem => ({ kind: 'param', index }));
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
    this.params.forEach((p, i) => (p.grad = this.oldGrads[i]));
    if (phase === 2) {
      for (const item of this.items().slice(0, this._position + 1)) this.params[(item as { index: number }).index].grad = 0;
    }
  }

  /**
   * The parameters' grads when the walked sample's backward starts: the shares the samples before
   * it added (+=), so the walk shows the step's gradient adding up sample by sample. The penalty's
   * grad (L2) is not carried: the walked graph adds it once, in every sample's walk.
   */
  private carried(): Float64Array {
    const sum = new Float64Array(this.params.length);
    for (let j = 0; j < this._sample; j++) {
      const share = (this.shares[j] ??= sampleShare(this.session, this.outputs, j));
      share.forEach((g, i) => (sum[i] += g));
    }
    return sum;
  }

  private resetBackward(): void {
    for (const v of this.graph.order) v.grad = 0;
    const carried = this.carried();
    this.params.forEach((p, i) => (p.grad = carried[i]));
    this.graph.root.grad = 1; // d loss / d loss, where backward() starts
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

/**
 * Sample `j`'s own share of each parameter's grad, from the engine: backward through the step's
 * loss (without the penalty) where only sample `j`'s output is a forward pass, on a copy of the model.
 */
function sampleShare(session: TrainingSession, outputs: readonly (readonly number[])[], j: number): Float64Array {
  const model = session.copyModel();
  const row = session.trainingData.x[j];
  const heads = outputs.map((o, i) => (i === j ? model.forward(row) : o.map((x) => new Value(x))));
  const params = model.parameters();
  for (const p of params) p.grad = 0;
  session.lossOf(heads, null).backward();
  return Float64Array.from(params, (p) => p.grad);
}

function clamp(i: number, n: number): number {
  return Math.max(0, Math.min(n - 1, Math.floor(i)));
}

/**
 * The whole step's size from the walked graph: every sample's forward pass has the walked one's
 * shape, and the other samples enter the walked graph as one leaf per output each.
 */
function stepSize(
  graph: WalkGraph,
  { sampleRules, lossRules, sampleNodes: perSample }: { sampleRules: number; lossRules: number; sampleNodes: number },
  params: number,
  samples: number,
): StepSize {
  const ownNodes = perSample - params; // inputs and operations: each sample has its own
  return {
    nodes: graph.order.length - (samples - 1) * graph.outs.length + (samples - 1) * ownNodes,
    operations: sampleRules,
    rules: lossRules + samples * sampleRules,
  };
}
