import { describe, expect, it } from 'vitest';
import { TrainingSession, UserError, makeDataset, type TrainingConfig } from '../../src/index.js';

const moons: TrainingConfig = {
  dataset: makeDataset('moons', { size: 30 }),
  layers: [8, 8],
  activation: 'relu',
  loss: 'hinge',
  l2: 1e-4,
  learningRate: 0.5,
  momentum: 0.5,
  epochs: 100,
  seed: 3,
};

function run(session: TrainingSession, steps: number): unknown[] {
  const seen: unknown[] = [];
  for (let i = 0; i < steps; i++) seen.push(session.step(), session.snapshot(), session.latest);
  return seen;
}

describe('TrainingSession engines', () => {
  it('uses the tape by default, and the graph for bce', () => {
    expect(new TrainingSession(moons).engine).toBe('tape');
    expect(new TrainingSession({ ...moons, engine: 'graph' }).engine).toBe('graph');
    expect(new TrainingSession({ ...moons, loss: 'bce' }).engine).toBe('graph');
  });

  it('refuses the tape for bce, whose graph depends on the data', () => {
    expect(() => new TrainingSession({ ...moons, loss: 'bce', engine: 'tape' })).toThrow(UserError);
  });

  it('rejects an unknown engine', () => {
    expect(() => new TrainingSession({ ...moons, engine: 'gpu' as 'tape' })).toThrow(UserError);
  });

  for (const config of [moons, { ...moons, dataset: makeDataset('classic'), layers: [4, 4], activation: 'tanh', loss: 'sse', l2: 0 } as TrainingConfig]) {
    it(`reports the same steps, snapshots and evaluations on either engine (${config.loss})`, () => {
      const graph = new TrainingSession({ ...config, engine: 'graph' });
      const tape = new TrainingSession({ ...config, engine: 'tape' });
      expect(run(tape, 40)).toEqual(run(graph, 40));
    });
  }

  it('starts over after reset() on the tape, as on the graph', () => {
    const tape = new TrainingSession(moons);
    const first = run(tape, 10);
    tape.reset();
    expect(run(tape, 10)).toEqual(first);
  });

  it('rolls back a divergence the same way on either engine', () => {
    const config: TrainingConfig = { ...moons, learningRate: 1e200, momentum: 0 };
    const graph = new TrainingSession({ ...config, engine: 'graph' });
    const tape = new TrainingSession({ ...config, engine: 'tape' });
    const graphRun = run(graph, 4);
    expect(run(tape, 4)).toEqual(graphRun);
    expect(tape.state).toBe('diverged');
    expect(tape.snapshot()).toEqual(graph.snapshot());
    expect(tape.evaluate()).toEqual(graph.evaluate());
  });
});
