import { inspect } from 'node:util';
import { Value, type Operand } from '../engine/value.js';
import { Rng } from '../rng.js';
import { activate, type Activation } from './activation.js';

/** Anything with parameters: a neuron, a layer, a network. */
export abstract class Module {
  /** The parameters in order, collected at the first call (a module's structure is fixed once built). */
  private collected: Value[] | null = null;

  /**
   * Every parameter, in order: each neuron's weights, then its bias. A copy of the list collected
   * once: building a session asks for it several times, and a flatMap of per-neuron copies each
   * time allocated about 94 KB on MLP(2,[32,32,1]) and grew hot enough for V8 to compile it
   * mid-build (measured in docs/performance.md).
   */
  parameters(): Value[] {
    if (this.collected === null) {
      this.collected = [];
      this.addParameters(this.collected);
    }
    return this.collected.slice();
  }

  /** Append every parameter to `out`, in order. */
  abstract addParameters(out: Value[]): void;

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /** Its shape in one line. */
  abstract describe(): string;

  /** What `console.log` and a Node prompt show: the shape, not thousands of Values. */
  [inspect.custom](): string {
    return this.describe();
  }
}

export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  readonly activation: Activation;

  /**
   * Weights and bias are drawn uniformly from [-1, 1] with `rng` (a fixed seed when omitted).
   * A plain loop: a closure called once per weight grows hot enough for V8 to compile it on
   * another thread, CPU a model's build pays (see docs/performance.md).
   */
  constructor(nin: number, activation: Activation = 'tanh', rng: Rng = new Rng(0)) {
    super();
    this.w = [];
    for (let i = 0; i < nin; i++) this.w.push(new Value(rng.uniform(-1, 1)));
    this.b = new Value(rng.uniform(-1, 1));
    this.activation = activation;
  }

  /** activation(b + w1*x1 + ... + wn*xn), summed in that order as the original does. */
  forward(x: readonly Operand[]): Value {
    if (x.length !== this.w.length) throw new RangeError(`expected ${this.w.length} inputs, got ${x.length}`);
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i]));
    return activate(act, this.activation);
  }

  addParameters(out: Value[]): void {
    out.push(...this.w, this.b);
  }

  toString(): string {
    return `${this.activation} Neuron(${this.w.length})`;
  }

  describe(): string {
    return `Neuron(${this.w.length} inputs, ${this.activation})`;
  }
}

export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, activation: Activation = 'tanh', rng: Rng = new Rng(0)) {
    super();
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, activation, rng));
  }

  forward(x: readonly Operand[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  addParameters(out: Value[]): void {
    for (let i = 0; i < this.neurons.length; i++) this.neurons[i].addParameters(out);
  }

  toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }

  describe(): string {
    const first = this.neurons[0];
    return `Layer(${first.w.length} -> ${this.neurons.length}, ${first.activation}, ${this.parameters().length} parameters)`;
  }
}

export interface MLPOptions {
  /** Nonlinearity of the hidden layers. Default 'tanh'. */
  activation?: Activation;
  /** Nonlinearity of the last layer. Default 'tanh', as in the classic example. */
  outputActivation?: Activation;
  /** Seed of the weight initialisation: the same seed gives the same model. Default 42. */
  seed?: number;
}

/** A multi-layer perceptron: `new MLP(3, [4, 4, 1])` is the classic example's network. */
export class MLP extends Module {
  readonly layers: Layer[];
  readonly sizes: number[];

  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    const { activation = 'tanh', outputActivation = 'tanh', seed = 42 } = options;
    if (nouts.length === 0) throw new RangeError('an MLP needs at least one layer');
    for (const n of [nin, ...nouts]) {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`layer sizes must be integers >= 1, got ${n}`);
    }
    const rng = new Rng(seed);
    this.sizes = [nin, ...nouts];
    this.layers = nouts.map(
      (nout, i) => new Layer(this.sizes[i], nout, i === nouts.length - 1 ? outputActivation : activation, rng),
    );
  }

  /** The network's outputs for one input vector of numbers or Values. */
  forward(x: readonly Operand[]): Value[] {
    let out: readonly Operand[] = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out as Value[];
  }

  /** Layer by layer, neuron by neuron: each neuron's weights, then its bias. */
  addParameters(out: Value[]): void {
    for (let i = 0; i < this.layers.length; i++) this.layers[i].addParameters(out);
  }

  /** Readable names in the order of `parameters()`: `L1.N2.w3`, `L1.N2.b` (1-based). */
  parameterNames(): string[] {
    return this.layers.flatMap((layer, l) =>
      layer.neurons.flatMap((n, j) => [...n.w.map((_, i) => `L${l + 1}.N${j + 1}.w${i + 1}`), `L${l + 1}.N${j + 1}.b`]),
    );
  }

  /** Overwrite every parameter, in the order of `parameters()`. */
  setParameters(values: ArrayLike<number>): void {
    const params = this.parameters();
    if (values.length !== params.length) {
      throw new RangeError(`expected ${params.length} parameter values, got ${values.length}`);
    }
    for (let i = 0; i < params.length; i++) params[i].data = values[i];
  }

  toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }

  /** `MLP(3 -> 4 -> 4 -> 1, tanh, 41 parameters)`; the output activation is named when it differs. */
  describe(): string {
    const hidden = this.layers[0].neurons[0]?.activation;
    const output = this.layers[this.layers.length - 1].neurons[0]?.activation;
    const activations = this.layers.length === 1 || hidden === output ? `${output}` : `${hidden}, ${output} output`;
    return `MLP(${this.sizes.join(' -> ')}, ${activations}, ${this.parameters().length} parameters)`;
  }
}
