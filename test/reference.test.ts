/**
 * The reference workload "moons-100" (test/fixtures/README.md): the original Python micrograd's
 * moons demo from fixed points and fixed initial weights. Our losses must agree with the ones it
 * computed to 1e-12 relative.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Value } from '../src/engine/value.js';
import { accuracy, hingeLoss, l2Regularization } from '../src/nn/loss.js';
import { MLP } from '../src/nn/mlp.js';
import { SGD, linearDecay } from '../src/nn/optim.js';

interface Points {
  X: number[][];
  y: number[];
}
interface InitialWeights {
  nin: number;
  nouts: number[];
  layers: Array<{ W: number[][]; b: number[] }>;
}

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8')) as T;

/** Layer by layer, neuron by neuron, weights then bias: the order of `parameters()`. */
function flatten(init: InitialWeights): number[] {
  return init.layers.flatMap(({ W, b }) => W.flatMap((row, o) => [...row, b[o]!]));
}

interface Run {
  /** The loss before update k, for k = 0..99. */
  losses: number[];
  /** The accuracy before update k. */
  accuracies: number[];
  finalLoss: number;
  finalAccuracy: number;
}

function train(points: Points, init: InitialWeights): Run {
  const model = new MLP(2, [16, 16, 1], { activation: 'relu', outputActivation: 'linear' });
  model.setParameters(flatten(init));
  const params = model.parameters();
  const optimizer = new SGD(params);
  const schedule = linearDecay(1.0, 0.1, 100); // exactly 1.0 - 0.9 * k / 100 for k < 100

  const evaluate = (): { loss: Value; acc: number } => {
    const scores = points.X.map((x) => model.forward(x)[0] as Value);
    const loss = hingeLoss(scores, points.y).add(l2Regularization(params, 1e-4));
    return { loss, acc: accuracy(scores.map((s) => s.data), points.y) };
  };

  const losses: number[] = [];
  const accuracies: number[] = [];
  for (let k = 0; k < 100; k++) {
    const { loss, acc } = evaluate();
    model.zeroGrad();
    loss.backward();
    optimizer.step(schedule(k));
    losses.push(loss.data);
    accuracies.push(acc);
  }
  const { loss, acc } = evaluate();
  return { losses, accuracies, finalLoss: loss.data, finalAccuracy: acc };
}

const relative = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

describe('reference workload moons-100', () => {
  let points: Points;
  let init: InitialWeights;
  let run: Run;

  beforeAll(() => {
    points = fixture<Points>('moons100.json');
    init = fixture<InitialWeights>('init_2_16_16_1.json');
    run = train(points, init);
  });

  it('has 100 labelled points and 337 initial weights for MLP(2, [16, 16, 1])', () => {
    expect(points.X).toHaveLength(100);
    expect(points.y).toHaveLength(100);
    expect(new Set(points.y)).toEqual(new Set([-1, 1]));
    expect(init.nin).toBe(2);
    expect(init.nouts).toEqual([16, 16, 1]);
    expect(flatten(init)).toHaveLength(337);
    expect(new MLP(2, [16, 16, 1]).parameters()).toHaveLength(337);
  });

  const expected: Array<[k: number, loss: number]> = [
    [0, 2.2577982918690505],
    [1, 2.314883816531084],
    [10, 0.1620893102694266],
    [99, 0.012581267757934484],
  ];
  for (const [k, loss] of expected) {
    it(`matches the original's loss before update ${k} to 1e-12 relative`, () => {
      expect(relative(run.losses[k]!, loss), `loss ${run.losses[k]} at step ${k}, expected ${loss}`).toBeLessThan(1e-12);
    });
  }

  it('matches the original\'s loss after the 100th update to 1e-12 relative', () => {
    expect(relative(run.finalLoss, 0.012523436623577498), `final loss ${run.finalLoss}`).toBeLessThan(1e-12);
  });

  it('ends at 100% accuracy', () => {
    expect(run.finalAccuracy).toBe(1);
  });

  it('first reaches 100% accuracy at step 35', () => {
    expect(run.accuracies.indexOf(1)).toBe(35);
  });
});
