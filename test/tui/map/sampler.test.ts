import { describe, expect, it } from 'vitest';
import type { Value } from '../../../src/engine/value.js';
import { createSession } from '../../../src/train/setup.js';
import { GridSampler, REFRESH_MS } from '../../../src/tui/map/sampler.js';

const points = [[0, 0], [1.5, -0.25], [-2, 3], [0.1, 0.7]];

function moons() {
  return createSession({ dataset: 'moons', size: 40, layers: [8, 8], activation: 'relu', loss: 'hinge', l2: 0, learningRate: 0.1, epochs: 100, seed: 3 });
}

describe('GridSampler', () => {
  it("gives exactly what the model's own forward pass gives, for its current parameters", () => {
    const session = moons();
    const forward = (p: number[]): number => (session.model.forward(p)[0] as Value).data;
    expect(Array.from(new GridSampler().scores(session, () => points, 'a', false)[0] as Float64Array)).toEqual(points.map(forward));
    session.step(); // training moves the parameters
    expect(Array.from(new GridSampler().scores(session, () => points, 'a', false)[0] as Float64Array)).toEqual(points.map(forward));
  });

  it('works for one input and for tanh outputs', () => {
    const session = createSession({ dataset: 'classic', layers: [4], activation: 'tanh', loss: 'sse', l2: 0, learningRate: 0.1, epochs: 5, seed: 1 });
    const xs = [[-1, 0.5, 2], [0, 0, 0], [2, -1, 1]];
    expect(Array.from(new GridSampler().scores(session, () => xs, 'a', false)[0] as Float64Array)).toEqual(xs.map((x) => (session.model.forward(x)[0] as Value).data));
  });

  it('gives one column per output for K classes, each what the forward pass gives', () => {
    const session = createSession({ dataset: 'spiral', classes: 3, size: 30, layers: [5], activation: 'tanh', loss: 'ce', l2: 0, learningRate: 0.1, epochs: 5, seed: 4 });
    const columns = new GridSampler().scores(session, () => points, 'a', false);
    expect(columns).toHaveLength(3);
    columns.forEach((column, k) => expect(Array.from(column)).toEqual(points.map((p) => (session.model.forward(p)[k] as Value).data)));
  });

  it('evaluates every frame when paused, at most every REFRESH_MS while playing', () => {
    let now = 0;
    const sampler = new GridSampler(() => now);
    const session = moons();
    let evaluations = 0;
    const grid = (): number[][] => {
      evaluations++;
      return points;
    };
    sampler.scores(session, grid, 'a', true);
    now += REFRESH_MS / 2;
    sampler.scores(session, grid, 'a', true);
    expect(evaluations).toBe(1);
    sampler.scores(session, grid, 'b', true); // another grid: a new size
    expect(evaluations).toBe(2);
    sampler.scores(session, grid, 'b', false); // paused: the current model
    expect(evaluations).toBe(3);
    sampler.scores(moons(), grid, 'b', true); // another session: a new setup
    expect(evaluations).toBe(4);
    now += REFRESH_MS;
    session.step();
    const scores = sampler.scores(session, grid, 'b', true);
    expect(evaluations).toBe(5);
    expect(Array.from(scores[0] as Float64Array)).toEqual(points.map((p) => (session.model.forward(p)[0] as Value).data));
  });
});
