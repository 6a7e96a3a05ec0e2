import { Op, type Value } from '../engine/value.js';
import type { TrainingSession } from '../train/session.js';
import { WalkGraph } from './walk-graph.js';

/** One neuron's part of the graph, as micrograd's draw_dot shows it: products, sums, activation. */
export interface NeuronNodes {
  /** `w_i·x_i` for each input, in order; each one's operands are the weight and the input. */
  products: Value[];
  /** The running sums b + w1·x1, ... + w_n·x_n; the last is the weighted sum. */
  sums: Value[];
  bias: Value;
  /** The neuron's output: its activation, or the weighted sum for a linear neuron. */
  out: Value;
}

/**
 * What the network diagram draws for one sample: every neuron's output on that sample, every
 * weight, and each node's data and grad. Built on the walk's graph (the session's own model and
 * loss on a copy of its parameters) with one `backward()`, so the grads are the engine's.
 */
export class NetworkPicture {
  readonly sizes: number[];
  private readonly graph: WalkGraph;
  /** Per layer, per neuron: its nodes in the graph. */
  private readonly nodes: NeuronNodes[][];
  /** The whole step's gradient of each parameter, as the table shows after a step. */
  readonly gradients: Float64Array;

  /** The same step on another sample. */
  withSample(sample: number): NetworkPicture {
    return new NetworkPicture(this.session, sample, this.fresh);
  }
  private readonly first: number[];

  /** `fresh`: the whole step's gradients and every training sample's output (`session.freshStep()`). */
  constructor(
    private readonly session: TrainingSession,
    readonly sample: number,
    private readonly fresh: { gradients: Float64Array; outputs: number[][] },
  ) {
    const { gradients, outputs } = fresh;
    const model = session.copyModel();
    const { x } = session.trainingData;
    this.graph = new WalkGraph(model, session.names, x[sample], outputs, sample, (o, p) => session.lossOf(o, p));
    this.graph.root.backward();
    this.sizes = model.sizes;
    this.gradients = gradients;
    const found: { products: Value[]; sums: Value[]; out: Value | null }[] = this.graph.neurons.map(() => ({ products: [], sums: [], out: null }));
    for (const v of this.graph.order) {
      const info = this.graph.info(v);
      if (info === undefined || !info.inSample || info.neuron < 0 || v._a === null) continue;
      const n = found[info.neuron];
      if (v._op === Op.mul) n.products.push(v);
      else if (v._op === Op.add) n.sums.push(v);
      n.out = v;
    }
    const byNeuron: NeuronNodes[] = [];
    model.layers.forEach((layer, l) =>
      layer.neurons.forEach((neuron, j) => {
        const { products, sums, out } = found[this.index(l, j, model.sizes)];
        if (out === null) throw new Error(`${this.name(l, j)} has no node in the sample's graph`);
        byNeuron.push({ products, sums, bias: neuron.b, out });
      }),
    );
    this.first = [];
    let k = 0;
    for (let l = 1; l < this.sizes.length; l++) {
      this.first.push(k);
      k += this.sizes[l];
    }
    this.nodes = this.first.map((start, l) => byNeuron.slice(start, start + this.sizes[l + 1]));
  }

  private index(layer: number, neuron: number, sizes: number[]): number {
    let k = neuron;
    for (let l = 1; l <= layer; l++) k += sizes[l];
    return k;
  }

  /** Number of layers of neurons (the inputs are not one). */
  get layers(): number {
    return this.nodes.length;
  }

  /** The sample's input i. */
  input(i: number): number {
    const products = this.nodes[0]?.[0]?.products[i];
    return products?._b?.data ?? 0;
  }

  neuron(layer: number, neuron: number): NeuronNodes {
    return this.nodes[layer][neuron];
  }

  /** `L2.N3` */
  name(layer: number, neuron: number): string {
    return `L${layer + 1}.N${neuron + 1}`;
  }

  /** The weight from input `i` into a neuron, and its whole-step gradient. */
  weight(layer: number, neuron: number, i: number): { value: number; grad: number } {
    const w = this.neuron(layer, neuron).products[i]._a;
    if (w === null) throw new Error(`${this.name(layer, neuron)} has no weight ${i + 1}`);
    const k = this.parameterIndex(layer, neuron, i);
    return { value: w.data, grad: this.gradients[k] };
  }

  /** A node's short name in the graph (`L1.N2 w3·x3`, `L1.N2.b`). */
  nodeName(v: Value): string {
    return this.graph.name(v);
  }

  /** The index in `model.parameters()` of weight i of a neuron (i = fan-in for the bias). */
  private parameterIndex(layer: number, neuron: number, i: number): number {
    let k = 0;
    for (let l = 0; l < layer; l++) k += this.sizes[l + 1] * (this.sizes[l] + 1);
    return k + neuron * (this.sizes[layer] + 1) + i;
  }
}
