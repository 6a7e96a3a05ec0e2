import { describe, expect, it } from 'vitest';
import { TrainingSession, UserError, makeDataset, type TrainingConfig, type Value } from '../../src/index.js';
import { createSession } from '../../src/train/setup.js';

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
  it('uses the tape by default, for every loss', () => {
    expect(new TrainingSession(moons).engine).toBe('tape');
    expect(new TrainingSession({ ...moons, engine: 'graph' }).engine).toBe('graph');
    expect(new TrainingSession({ ...moons, loss: 'bce' }).engine).toBe('tape');
  });

  it('rejects an unknown engine', () => {
    expect(() => new TrainingSession({ ...moons, engine: 'gpu' as 'tape' })).toThrow(UserError);
  });

  for (const config of [moons, { ...moons, loss: 'bce' } as TrainingConfig, { ...moons, dataset: makeDataset('classic'), layers: [4, 4], activation: 'tanh', loss: 'sse', l2: 0 } as TrainingConfig]) {
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
    expect(tape.status).toBe('diverged');
    expect(tape.snapshot()).toEqual(graph.snapshot());
    expect(tape.evaluate()).toEqual(graph.evaluate());
  });
});

describe('TrainingSession.hiddenOutputs', () => {
  it("gives each hidden unit's output on each training sample, as the model's own layers compute it", () => {
    const session = createSession({ dataset: 'moons', size: 300, layers: [5, 4], activation: 'relu', loss: 'hinge', l2: 1e-4, learningRate: 0.1, epochs: 10, seed: 2 });
    session.step();
    const hidden = session.hiddenOutputs();
    expect(hidden.map((layer) => layer.length)).toEqual([5, 4]);
    session.trainingData.x.forEach((row, s) => {
      let inputs: readonly (number | Value)[] = row;
      session.model.layers.slice(0, -1).forEach((layer, l) => {
        const outs = layer.forward(inputs);
        outs.forEach((v, n) => expect(hidden[l]?.[n]?.[s]).toBe(v.data));
        inputs = outs;
      });
    });
  });
});

describe('TrainingSession.evaluatePoints', () => {
  it("gives the model's outputs at any points, as the graph computes them, and leaves the session alone", () => {
    const session = new TrainingSession(moons);
    session.step();
    const before = session.snapshot();
    const points = [[0, 0], [1.5, -0.5], [-1, 2]];
    const [out] = session.evaluatePoints([Float64Array.from(points, (p) => p[0] as number), Float64Array.from(points, (p) => p[1] as number)]);
    expect(Array.from(out as Float64Array)).toEqual(points.map((p) => (session.model.forward(p)[0] as { data: number }).data));
    expect(session.snapshot()).toEqual(before);
    expect(session.evaluate().outputs).toEqual(session.latest.outputs);
  });

  it('refuses columns of the wrong number or of unequal lengths', () => {
    const session = new TrainingSession(moons);
    expect(() => session.evaluatePoints([new Float64Array(3)])).toThrow(/expected 2 input columns, got 1/);
    expect(() => session.evaluatePoints([new Float64Array(3), new Float64Array(2)])).toThrow(/same length/);
  });
});
