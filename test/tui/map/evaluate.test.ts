import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/engine/value.js';
import { MLP } from '../../../src/nn/mlp.js';
import { evaluatePoints } from '../../../src/tui/map/evaluate.js';
import { GridSampler, REFRESH_MS } from '../../../src/tui/map/sampler.js';

const points = [[0, 0], [1.5, -0.25], [-2, 3], [0.1, 0.7]];

describe('evaluatePoints', () => {
  it('gives exactly what the model\'s own forward pass gives, for its current parameters', () => {
    const model = new MLP(2, [8, 8, 1], { activation: 'relu', outputActivation: 'linear', seed: 3 });
    const forward = (p: number[]): number => (model.forward(p)[0] as Value).data;
    expect(Array.from(evaluatePoints(model, points))).toEqual(points.map(forward));
    for (const p of model.parameters()) p.data *= -0.5; // as training moves them
    expect(Array.from(evaluatePoints(model, points))).toEqual(points.map(forward));
  });

  it('works for one input and for tanh outputs', () => {
    const model = new MLP(1, [4, 1], { seed: 1 });
    const xs = [[-1], [0], [2]];
    expect(Array.from(evaluatePoints(model, xs))).toEqual(xs.map((x) => (model.forward(x)[0] as Value).data));
  });
});

describe('GridSampler', () => {
  it('evaluates every frame when paused, at most every REFRESH_MS while playing', () => {
    let now = 0;
    const sampler = new GridSampler(() => now);
    const model = new MLP(2, [3, 1], { seed: 1 });
    let evaluations = 0;
    const grid = (): number[][] => {
      evaluations++;
      return points;
    };
    sampler.scores(model, grid, 'a', true);
    now += REFRESH_MS / 2;
    sampler.scores(model, grid, 'a', true);
    expect(evaluations).toBe(1);
    sampler.scores(model, grid, 'b', true); // another grid: a new size
    expect(evaluations).toBe(2);
    sampler.scores(model, grid, 'b', false); // paused: the current model
    expect(evaluations).toBe(3);
    now += REFRESH_MS;
    const first = model.parameters()[0] as Value;
    first.data += 1;
    const scores = sampler.scores(model, grid, 'b', true);
    expect(evaluations).toBe(4);
    expect(Array.from(scores)).toEqual(Array.from(evaluatePoints(model, points)));
  });
});
