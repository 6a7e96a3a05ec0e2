import { Op, topologicalOrder, Value } from '../engine/value.js';
import type { SampleTrace } from '../nn/compiled.js';
import { Neuron } from '../nn/mlp.js';
import type { TrainingSession } from '../train/session.js';
import { neuronLayout, type NeuronLayout } from './walk-graph.js';

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
 * What the network diagram draws for one sample of the next update (every training sample, or
 * the next mini-batch's, as the walk takes them): every neuron's output on that sample, every
 * weight with the update's gradient, and the selected neuron's nodes with their data and grad.
 * The numbers are the session's tape on that sample (a one-sample trace: each layer's outputs and
 * the gradient the update's loss gives them); a neuron's own nodes are built from its inputs and
 * parameters when it is selected, and its rules run backward from its output's grad, so its grads
 * are the engine's whatever the size of the network.
 */
export class NetworkPicture {
  readonly sizes: number[];
  /** The update's gradient of each parameter (`session.freshGradients()`): the whole step's, or the mini-batch's. */
  readonly gradients: Float64Array;
  /** The update's samples: indices into the training samples (`session.nextBatch()`). */
  readonly batch: readonly number[];
  private readonly trace: SampleTrace;
  private readonly values: Float64Array;
  private readonly layout: NeuronLayout;
  private readonly built = new Map<string, NeuronNodes>();

  /** `sample`: a position in the update's batch; `gradients`: the update's (`session.freshGradients()`). */
  constructor(
    private readonly session: TrainingSession,
    readonly sample: number,
    gradients: Float64Array,
    batch: readonly number[] = session.nextBatch(),
  ) {
    this.sizes = session.model.sizes;
    this.gradients = gradients;
    this.batch = batch;
    this.trace = session.traceSample(batch[sample], batch.length);
    this.values = session.parameters();
    this.layout = neuronLayout(this.sizes);
  }

  /** How many samples the update has (tab goes through them). */
  get samples(): number {
    return this.batch.length;
  }

  /** True when the update is a mini-batch: the diagram then says its samples are the batch's. */
  get batched(): boolean {
    return this.batch.length < this.session.trainingData.x.length;
  }

  /** The same update on another of its samples. */
  withSample(sample: number): NetworkPicture {
    return new NetworkPicture(this.session, sample, this.gradients, this.batch);
  }

  /** Number of layers of neurons (the inputs are not one). */
  get layers(): number {
    return this.sizes.length - 1;
  }

  /** The sample's input i, as the model sees it. */
  input(i: number): number {
    return this.trace.activations[0]?.[i];
  }

  /** A neuron's output on the sample. */
  output(layer: number, neuron: number): number {
    return this.trace.activations[layer + 1]?.[neuron];
  }

  /** A neuron's nodes on the sample, each with its data and its grad in the step's loss. */
  neuron(layer: number, neuron: number): NeuronNodes {
    const key = `${layer}.${neuron}`;
    const known = this.built.get(key);
    if (known !== undefined) return known;
    const k = this.index(layer, neuron);
    const first = this.layout.firstParam[k];
    const fanIn = this.layout.fanIn[k];
    const n = new Neuron(fanIn, layer === this.layers - 1 ? this.session.outputActivation : this.session.config.activation);
    [...n.w, n.b].forEach((p, i) => (p.data = this.values[first + i]));
    const out = n.forward(Array.from(this.trace.activations[layer], (x) => new Value(x)));
    // Backward from the output's grad, which the layers above give it (the trace's), by each node's own rule.
    const order = topologicalOrder(out);
    out.grad = this.trace.gradients[layer + 1]?.[neuron];
    for (let i = order.length - 1; i >= 0; i--) order[i]._backward();
    const nodes: NeuronNodes = {
      products: order.filter((v) => v._op === Op.mul),
      sums: order.filter((v) => v._op === Op.add),
      bias: n.b,
      out,
    };
    this.built.set(key, nodes);
    return nodes;
  }

  /** `L2.N3` */
  name(layer: number, neuron: number): string {
    return `L${layer + 1}.N${neuron + 1}`;
  }

  /** The weight from input `i` into a neuron, and its whole-step gradient. */
  weight(layer: number, neuron: number, i: number): { value: number; grad: number } {
    const k = (this.layout.firstParam[this.index(layer, neuron)]) + i;
    return { value: this.values[k], grad: this.gradients[k] };
  }

  /** The neuron index over all layers. */
  private index(layer: number, neuron: number): number {
    let k = neuron;
    for (let l = 1; l <= layer; l++) k += this.sizes[l];
    return k;
  }
}
