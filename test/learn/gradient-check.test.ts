import { describe, expect, it } from 'vitest';
import { GradientChecker, relativeError, verdictOf, type CheckSource } from '../../src/learn/gradient-check.js';
import { TrainingSession } from '../../src/train/session.js';
import { withPreset } from '../../src/train/presets.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';

/** Check every parameter of a source and return the results in model order. */
function checkAll(source: CheckSource) {
  const checker = new GradientChecker(source);
  const indices = source.names.map((_, i) => i);
  checker.want(indices);
  while (checker.runOne());
  expect(checker.pending).toBe(false);
  return indices.map((i) => checker.result(i)!);
}

describe('gradient check', () => {
  it('agrees with autograd to better than 1e-6 on the classic example', () => {
    const session = createSession(DEFAULT_RUN_OPTIONS);
    for (let i = 0; i < 3; i++) session.step();
    const results = checkAll(session);
    expect(results).toHaveLength(41);
    for (const r of results) {
      expect(r.relativeError).toBeLessThan(1e-6);
      expect(r.verdict).toBe('good');
      expect(r.kink).toBe(false);
    }
  });

  it('with mini-batches, nudges the loss of the batch whose gradient autograd gives (the next update\'s), mid-epoch too', () => {
    const session = createSession({ ...DEFAULT_RUN_OPTIONS, batch: 2 });
    session.step();
    session.stepBatch(); // one update into the epoch: the next batch is its second
    expect(session.batchesDone).toBe(1);
    for (const r of checkAll(session)) expect(r.verdict).toBe('good');
  });

  it('finds a gradient from a deliberately broken rule (test double): bad, not kink', () => {
    const session = createSession(DEFAULT_RUN_OPTIONS);
    const broken: CheckSource = {
      names: session.names,
      parameters: () => session.parameters(),
      nudgedLoss: (i, d) => session.nudgedLoss(i, d),
      // a wrong rule somewhere upstream of parameter 5: its autograd gradient comes out 1.5 times too large
      freshGradients: () => session.freshGradients().map((g, i) => (i === 5 ? g * 1.5 : g)),
    };
    const results = checkAll(broken);
    expect(results[5]?.verdict).toBe('bad');
    expect(results.filter((r) => r.verdict === 'bad')).toHaveLength(1);
  });

  it('marks a nudge across a ReLU corner as kink', () => {
    // One sample, a ReLU neuron whose sum sits 1e-7 above 0: nudging its bias by 1e-5 crosses the corner.
    const session = new TrainingSession({
      dataset: { name: 'corner', source: 'test', x: [[1]], y: [0.5] },
      layers: [1],
      activation: 'relu',
      outputActivation: 'linear',
      loss: 'sse',
      learningRate: 0.1,
      epochs: 1,
      seed: 1,
    });
    const m = session.model;
    const [hidden, out] = m.layers;
    hidden!.neurons[0]!.w[0]!.data = 0.5;
    hidden!.neurons[0]!.b.data = -0.5 + 1e-7;
    out!.neurons[0]!.w[0]!.data = 2;
    const results = checkAll(session);
    expect(results[1]?.kink).toBe(true); // L1.N1.b
    expect(results[1]?.verdict).toBe('kink');
    expect(results[3]?.kink).toBe(false); // the output bias does not move the ReLU's input
  });

  /** One sample x = 1, label +1, a linear neuron whose score sits 1e-7 from `at`: nudging its bias by 1e-5 crosses it. */
  const scoreNear = (loss: 'bce' | 'hinge', at: number) => {
    const session = new TrainingSession({
      dataset: { name: 'edge', source: 'test', x: [[1]], y: [1] },
      layers: [],
      activation: 'tanh',
      outputActivation: 'linear',
      loss,
      learningRate: 0.1,
      epochs: 1,
      seed: 1,
    });
    const neuron = session.model.layers[0]!.neurons[0]!;
    neuron.w[0]!.data = 0.5;
    neuron.b.data = at - 0.5 + 1e-7;
    return checkAll(session);
  };

  it('marks the hinge at margin 1 as kink, but not bce at score 0: softplus is smooth there', () => {
    const hinge = scoreNear('hinge', 1);
    expect(hinge[1]?.kink).toBe(true);
    const bce = scoreNear('bce', 0);
    expect(bce.map((r) => r.kink)).toEqual([false, false]);
    expect(bce.map((r) => r.verdict)).toEqual(['good', 'good']);
  });

  it('checks a parameter of a large network on the tape, as the step computes the loss (no Value graph of the step)', () => {
    const session = createSession({ ...withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'moons' }), layers: [64, 64, 64] });
    session.step();
    const checker = new GradientChecker(session);
    checker.want([0, 4000, 8000]);
    while (checker.runOne());
    for (const i of [0, 4000, 8000]) expect(['good', 'kink']).toContain(checker.result(i)?.verdict);
  });

  it('computes again when the parameters change', () => {
    const session = createSession(DEFAULT_RUN_OPTIONS);
    const checker = new GradientChecker(session);
    checker.want([0, 1]);
    while (checker.runOne());
    const first = checker.result(0)!;
    session.step();
    expect(checker.result(0)).toBe(first);
    expect(checker.pending).toBe(true);
    expect(checker.result(0)).toBeUndefined();
    checker.runOne();
    expect(checker.result(0)?.autograd).not.toBe(first.autograd);
  });

  it('counts two negligible gradients as agreement and grades relative errors', () => {
    expect(relativeError(1e-12, -3e-11)).toBe(0);
    expect(relativeError(1, 1.1)).toBeCloseTo(0.1 / 1.1, 15);
    expect(verdictOf(1e-7, false)).toBe('good');
    expect(verdictOf(1e-4, false)).toBe('fair');
    expect(verdictOf(1e-2, false)).toBe('bad');
    expect(verdictOf(1e-2, true)).toBe('kink');
  });
});
