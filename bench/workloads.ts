/**
 * The benchmark workloads, each runnable on every engine: the Value graph rebuilt every step
 * (as the classic loop does), the compiled tape, and the hand-written Float64Array baseline.
 */
import { readFileSync } from 'node:fs';
import {
  MLP,
  Value,
  l2Regularization,
  lossFunction,
  makeDataset,
  CompiledLoss,
  ColumnTape,
  type Activation,
  type LossName,
} from '../src/index.js';
import { Float64Chain, Float64MLP, type BaselineLoss } from './baseline.js';

export type EngineName = 'baseline' | 'graph' | 'tape';
export const ENGINES: readonly EngineName[] = ['baseline', 'graph', 'tape'];

/** One engine set up on one workload. */
export interface Runner {
  /**
   * Step k of the schedule: the loss before its update (for the chain, one backward and the
   * gradient of its multiplier). `atPeak` is called where the step holds the most memory.
   */
  step(k: number, atPeak?: () => void): number;
  /** Back to the initial state, so the schedule can run again. */
  reset(): void;
}

export interface Workload {
  name: string;
  description: string;
  /** Steps in one run of the schedule; the timed loop resets after each. */
  period: number;
  /** Steps run from the initial state whose results are checked. */
  checkSteps: number;
  /** Known results (step index -> loss) from outside this project, if any. */
  reference: ReadonlyArray<readonly [step: number, loss: number]>;
  /** Largest relative difference allowed from the reference and from the baseline. */
  tolerance: number;
  /** The timed loop runs at least this many steps and at least `minTimedMs`. */
  minTimedSteps: number;
  /** The engines measured on it (default: all). */
  engines?: readonly EngineName[];
  make(engine: EngineName): Runner;
}

interface Problem {
  sizes: number[];
  hidden: Activation;
  output: Activation;
  init: number[];
  x: number[][];
  y: number[];
  loss: LossName;
  l2: number;
  lr: (k: number) => number;
}

function flatten(x: readonly number[][]): Float64Array {
  return Float64Array.from(x.flat());
}

/** The baseline: the same step over Float64Arrays. */
function baselineRunner(p: Problem): Runner {
  if (p.loss !== 'sse' && p.loss !== 'hinge') throw new Error(`the baseline has no ${p.loss} loss`);
  const loss: BaselineLoss = p.loss;
  const x = flatten(p.x);
  const y = Float64Array.from(p.y);
  let net = new Float64MLP(p.sizes, p.hidden, p.output, p.init);
  return {
    step(k, atPeak) {
      const value = net.lossAndGrad(x, y, loss, p.l2);
      atPeak?.();
      net.update(p.lr(k));
      return value;
    },
    reset() {
      net = new Float64MLP(p.sizes, p.hidden, p.output, p.init);
    },
  };
}

function makeModel(p: Problem): MLP {
  const model = new MLP(p.sizes[0], p.sizes.slice(1), { activation: p.hidden, outputActivation: p.output });
  model.setParameters(p.init);
  return model;
}

/** The graph: build every node from scratch each step, as the classic training loop does. */
function graphRunner(p: Problem): Runner {
  const model = makeModel(p);
  const params = model.parameters();
  const lossOf = lossFunction(p.loss);
  return {
    step(k, atPeak) {
      const outputs: Value[] = [];
      for (const row of p.x) outputs.push(model.forward(row)[0]);
      let loss = lossOf(outputs, p.y);
      if (p.l2 > 0) loss = loss.add(l2Regularization(params, p.l2));
      for (const q of params) q.grad = 0;
      loss.backward();
      atPeak?.();
      const lr = p.lr(k);
      for (const q of params) q.data -= lr * q.grad;
      return loss.data;
    },
    reset() {
      model.setParameters(p.init);
    },
  };
}

/** The tape: record one sample's graph once, then replay it column by column over the batch. */
function tapeRunner(p: Problem): Runner {
  const model = makeModel(p);
  const params = model.parameters();
  const compiled = new CompiledLoss(model, p.loss, p.l2);
  const batch = compiled.batch(p.x, p.y);
  return {
    step(k, atPeak) {
      for (const q of params) q.grad = 0;
      const value = compiled.run(batch, true);
      atPeak?.();
      const lr = p.lr(k);
      for (const q of params) q.data -= lr * q.grad;
      return value;
    },
    reset() {
      model.setParameters(p.init);
    },
  };
}

function mlpWorkload(
  name: string,
  description: string,
  p: Problem,
  options: Pick<Workload, 'checkSteps' | 'reference' | 'tolerance' | 'minTimedSteps' | 'engines'>,
): Workload {
  return {
    name,
    description,
    period: 100,
    ...options,
    make(engine) {
      switch (engine) {
        case 'baseline':
          return baselineRunner(p);
        case 'graph':
          return graphRunner(p);
        case 'tape':
          return tapeRunner(p);
      }
    },
  };
}

const FIXTURES = new URL('../../test/fixtures/', import.meta.url);

function fixture<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as T;
}

/** Weights stored as layers[l].W[out][in] and layers[l].b[out], flattened in parameter order. */
function flatWeights(layers: ReadonlyArray<{ W: number[][]; b: number[] }>): number[] {
  return layers.flatMap(({ W, b }) => W.flatMap((row, o) => [...row, b[o]]));
}

/** lr = 1.0 - 0.9 k / 100, as in the original moons demo. */
const moonsLr = (k: number): number => 1.0 - (0.9 * k) / 100;

function classic(): Workload {
  const data = makeDataset('classic');
  const sizes = [3, 4, 4, 1];
  const init = new MLP(3, [4, 4, 1]).parameters().map((q) => q.data);
  const problem: Problem = { sizes, hidden: 'tanh', output: 'tanh', init, x: data.x, y: data.y, loss: 'sse', l2: 0, lr: () => 0.1 };
  return mlpWorkload('classic', '4 samples, MLP(3,[4,4,1]) tanh, sse, lr 0.1', problem, {
    checkSteps: 100,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 1000,
  });
}

function moons100(): Workload {
  const data = fixture<{ X: number[][]; y: number[] }>('moons100.json');
  const weights = fixture<{ layers: Array<{ W: number[][]; b: number[] }> }>('init_2_16_16_1.json');
  const problem: Problem = {
    sizes: [2, 16, 16, 1],
    hidden: 'relu',
    output: 'linear',
    init: flatWeights(weights.layers),
    x: data.X,
    y: data.y,
    loss: 'hinge',
    l2: 1e-4,
    lr: moonsLr,
  };
  return mlpWorkload('moons-100', 'fixture moons, MLP(2,[16,16,1]) relu, hinge + 1e-4 L2', problem, {
    checkSteps: 101,
    // test/fixtures/README.md: the original micrograd's losses; step 100 is the loss after the 100th update.
    reference: [
      [0, 2.2577982918690505],
      [1, 2.314883816531084],
      [10, 0.1620893102694266],
      [99, 0.012581267757934484],
      [100, 0.012523436623577498],
    ],
    tolerance: 1e-13,
    minTimedSteps: 100,
  });
}

/** makeDataset moons of `size` points, MLP(2,[32,32,1]) relu, + 1e-4 L2, the moons learning rate. */
function bigMoons(size: number, loss: LossName): Problem {
  const data = makeDataset('moons', { size, noise: 0.1, seed: 1337 });
  const sizes = [2, 32, 32, 1];
  const init = new MLP(2, [32, 32, 1], { activation: 'relu', outputActivation: 'linear' }).parameters().map((q) => q.data);
  return { sizes, hidden: 'relu', output: 'linear', init, x: data.x, y: data.y, loss, l2: 1e-4, lr: moonsLr };
}

function moons1000(): Workload {
  return mlpWorkload('moons-1000', 'makeDataset moons 1000, MLP(2,[32,32,1]) relu, hinge + 1e-4 L2', bigMoons(1000, 'hinge'), {
    checkSteps: 5,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 5,
  });
}

/** The same model and data as moons-1000 with bce: on the tape since every loss runs there. */
function moons1000Bce(): Workload {
  return mlpWorkload('moons-1000-bce', 'moons-1000 with bce instead of hinge (tape only)', bigMoons(1000, 'bce'), {
    checkSteps: 5,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 20,
    engines: ['tape'],
  });
}

/** Softmax cross-entropy over three classes with moons-1000's hidden layers: MLP(2,[32,32,3]) on a 3-arm spiral. */
function spiral1000Ce(): Workload {
  const data = makeDataset('spiral', { size: 1000, classes: 3, seed: 1337 });
  const sizes = [2, 32, 32, 3];
  const init = new MLP(2, [32, 32, 3], { activation: 'relu', outputActivation: 'linear' }).parameters().map((q) => q.data);
  const problem: Problem = { sizes, hidden: 'relu', output: 'linear', init, x: data.x, y: data.y, loss: 'ce', l2: 1e-4, lr: moonsLr };
  return mlpWorkload('spiral-1000-ce', 'makeDataset spiral 1000, 3 classes, MLP(2,[32,32,3]) relu, ce + 1e-4 L2 (tape only)', problem, {
    checkSteps: 5,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 20,
    engines: ['tape'],
  });
}

/** Ten times moons-1000: the size the trainer must still play at 10 steps/s. */
function moons10000(): Workload {
  return mlpWorkload('moons-10000', 'makeDataset moons 10000, MLP(2,[32,32,1]) relu, hinge + 1e-4 L2 (no graph)', bigMoons(10_000, 'hinge'), {
    checkSteps: 3,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 5,
    engines: ['baseline', 'tape'],
  });
}

/** y_{i+1} = y_i * c + d: two nodes per link, so 500,000 links make a million nodes. */
const CHAIN = { links: 500_000, x: 0.5, c: 0.9999999, d: 1e-3 };

function chainGraph(): { root: Value; x: Value; c: Value; nodes: Value[] } {
  const x = new Value(CHAIN.x);
  const c = new Value(CHAIN.c);
  const d = new Value(CHAIN.d);
  const nodes: Value[] = [x, c, d];
  let y = x;
  for (let i = 0; i < CHAIN.links; i++) {
    const scaled = y.mul(c);
    y = scaled.add(d);
    nodes.push(scaled, y);
  }
  return { root: y, x, c, nodes };
}

function chain(): Workload {
  return {
    name: 'chain-1M',
    description: 'backward through a chain of 1,000,000 nodes (y = y * c + d)',
    period: 1,
    checkSteps: 1,
    reference: [],
    tolerance: 1e-12,
    minTimedSteps: 10,
    make(engine) {
      switch (engine) {
        case 'baseline': {
          const net = new Float64Chain(CHAIN.links, CHAIN.x, CHAIN.c, CHAIN.d);
          net.forward();
          return {
            step(_k, atPeak) {
              const g = net.backward();
              atPeak?.();
              return g.c;
            },
            reset() {},
          };
        }
        case 'graph': {
          const { root, c, nodes } = chainGraph();
          return {
            step(_k, atPeak) {
              root.backward();
              atPeak?.();
              return c.grad;
            },
            reset() {
              for (const v of nodes) v.grad = 0;
            },
          };
        }
        case 'tape': {
          const { root, x, c } = chainGraph();
          // The whole chain as one sample: a column of one number per node.
          const tape = new ColumnTape({ columns: [], params: [x, c], outputs: [], term: root });
          tape.forward([], 1);
          return {
            step(_k, atPeak) {
              tape.backward(1);
              atPeak?.();
              return c.grad;
            },
            reset() {
              x.grad = 0;
              c.grad = 0;
            },
          };
        }
      }
    },
  };
}

/** Each workload by name, built only when it runs (moons-1000 and the chain are large). */
export const WORKLOADS: Readonly<Record<string, () => Workload>> = {
  classic,
  'moons-100': moons100,
  'moons-1000': moons1000,
  'moons-1000-bce': moons1000Bce,
  'spiral-1000-ce': spiral1000Ce,
  'moons-10000': moons10000,
  'chain-1M': chain,
};
