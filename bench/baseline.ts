/**
 * The floor: the same training step written by hand over Float64Arrays, with no graph at all.
 * Parameters use the flat order of `MLP.parameters()` (layer by layer, neuron by neuron, weights
 * then bias) and sums run in the same order as the engine's, so the losses agree to rounding.
 */
import type { Activation } from '../src/index.js';

export type BaselineLoss = 'sse' | 'hinge';

export class Float64MLP {
  readonly params: Float64Array;
  readonly grads: Float64Array;
  private readonly sizes: readonly number[];
  private readonly activations: Activation[];
  /** Output of every layer for the current sample; acts[0] is the input. */
  private readonly acts: Float64Array[];
  /** Gradient of the loss with respect to each layer's output, for the current sample. */
  private readonly deltas: Float64Array[];
  private readonly offsets: number[];

  constructor(sizes: readonly number[], hidden: Activation, output: Activation, init: ArrayLike<number>) {
    this.sizes = sizes;
    this.activations = sizes.slice(1).map((_, l) => (l === sizes.length - 2 ? output : hidden));
    this.acts = sizes.map((n) => new Float64Array(n));
    this.deltas = sizes.map((n) => new Float64Array(n));
    this.offsets = [];
    let count = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.offsets.push(count);
      count += sizes[l] * (sizes[l - 1] + 1);
    }
    if (init.length !== count) throw new RangeError(`expected ${count} initial parameters, got ${init.length}`);
    this.params = Float64Array.from(init);
    this.grads = new Float64Array(count);
  }

  /** The loss of the current parameters on (x, y), with `grads` set to its gradient. */
  lossAndGrad(x: Float64Array, y: Float64Array, loss: BaselineLoss, l2: number): number {
    const { params, grads, sizes, acts, deltas } = this;
    const nin = sizes[0];
    const n = y.length;
    const last = sizes.length - 1;
    const scale = loss === 'hinge' ? 1 / n : 1;
    grads.fill(0);
    let total = 0;
    for (let s = 0; s < n; s++) {
      const input = acts[0];
      for (let i = 0; i < nin; i++) input[i] = x[s * nin + i];
      for (let l = 1; l <= last; l++) this.forwardLayer(l);
      const out = acts[last][0];
      const target = y[s];
      let term: number;
      let dOut: number;
      if (loss === 'hinge') {
        const margin = out * -target + 1;
        term = margin < 0 ? 0 : margin;
        dOut = margin > 0 ? -target * scale : 0;
      } else {
        const d = out - target;
        term = d * d;
        dOut = 2 * d;
      }
      total = s === 0 ? term : total + term;
      deltas[last][0] = dOut;
      for (let l = last; l >= 1; l--) this.backwardLayer(l);
    }
    if (loss === 'hinge') total *= 1 / n;
    if (l2 > 0) {
      let sq = 0;
      for (let i = 0; i < params.length; i++) {
        const p = params[i];
        sq = i === 0 ? p * p : sq + p * p;
        grads[i] = grads[i] + 2 * l2 * p;
      }
      total += sq * l2;
    }
    return total;
  }

  /** p -= lr * grad for every parameter. */
  update(lr: number): void {
    const { params, grads } = this;
    for (let i = 0; i < params.length; i++) params[i] = params[i] - lr * grads[i];
  }

  private forwardLayer(l: number): void {
    const input = this.acts[l - 1];
    const out = this.acts[l];
    const nin = input.length;
    const act = this.activations[l - 1];
    const p = this.params;
    let w = this.offsets[l - 1];
    for (let j = 0; j < out.length; j++, w += nin + 1) {
      let z = p[w + nin];
      for (let i = 0; i < nin; i++) z += p[w + i] * input[i];
      out[j] = act === 'relu' ? (z < 0 ? 0 : z) : act === 'tanh' ? Math.tanh(z) : act === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z;
    }
  }

  /** Turn deltas[l] (gradient of the layer's outputs) into parameter gradients and deltas[l - 1]. */
  private backwardLayer(l: number): void {
    const input = this.acts[l - 1];
    const out = this.acts[l];
    const delta = this.deltas[l];
    const dInput = this.deltas[l - 1];
    const nin = input.length;
    const act = this.activations[l - 1];
    const { params: p, grads: g } = this;
    dInput.fill(0);
    let w = this.offsets[l - 1];
    for (let j = 0; j < out.length; j++, w += nin + 1) {
      const o = out[j];
      const d = delta[j];
      const dz = act === 'relu' ? (o > 0 ? d : 0) : act === 'tanh' ? (1 - o * o) * d : act === 'sigmoid' ? o * (1 - o) * d : d;
      g[w + nin] = g[w + nin] + dz;
      for (let i = 0; i < nin; i++) {
        g[w + i] = g[w + i] + dz * input[i];
        dInput[i] = dInput[i] + dz * p[w + i];
      }
    }
  }
}

/** The chain y_{i+1} = y_i * c + d by hand: values forward, then the gradients of x and c back. */
export class Float64Chain {
  private readonly ys: Float64Array;

  constructor(
    private readonly links: number,
    private readonly x: number,
    private readonly c: number,
    private readonly d: number,
  ) {
    this.ys = new Float64Array(links + 1);
  }

  forward(): number {
    const { ys, c, d } = this;
    ys[0] = this.x;
    for (let i = 0; i < this.links; i++) ys[i + 1] = ys[i] * c + d;
    return ys[this.links];
  }

  /** Gradients of the end of the chain with respect to x, c and d. */
  backward(): { x: number; c: number; d: number } {
    const { ys, c } = this;
    let g = 1;
    let gc = 0;
    let gd = 0;
    for (let i = this.links - 1; i >= 0; i--) {
      gd += g;
      gc += ys[i] * g;
      g *= c;
    }
    return { x: g, c: gc, d: gd };
  }
}
