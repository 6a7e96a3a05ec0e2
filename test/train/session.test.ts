import { describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../../src/data/dataset.js';
import { makeDataset } from '../../src/data/datasets.js';
import type { Value } from '../../src/engine/value.js';
import { UserError } from '../../src/errors.js';
import { sumSquaredError } from '../../src/nn/loss.js';
import { CompiledLoss } from '../../src/nn/compiled.js';
import { MLP } from '../../src/nn/mlp.js';
import { TrainingSession, defaultOutputActivation, type TrainingConfig } from '../../src/train/session.js';
import { userError } from '../helpers/user-error.js';

/** The classic example as a session: 4 samples, MLP(3, [4, 4, 1]) with tanh, sse, 20 steps at 0.1. */
function classic(overrides: Partial<TrainingConfig> = {}): TrainingSession {
  return new TrainingSession({
    dataset: makeDataset('classic'),
    layers: [4, 4],
    activation: 'tanh',
    loss: 'sse',
    learningRate: 0.1,
    epochs: 20,
    seed: 42,
    ...overrides,
  });
}

/** Regression data (targets other than -1/+1): roughly y = 2x. */
const LINE: Dataset = { name: 'line', source: 'line', x: [[0.5], [1], [1.5], [2]], y: [1.2, 2.1, 2.9, 4.2] };

function regression(overrides: Partial<TrainingConfig> = {}): TrainingSession {
  return new TrainingSession({
    dataset: LINE,
    layers: [4],
    activation: 'tanh',
    outputActivation: 'linear',
    loss: 'mse',
    learningRate: 0.01,
    epochs: 100,
    seed: 1,
    ...overrides,
  });
}

const values = (s: TrainingSession): number[] => s.snapshot().map((p) => p.value);
const grads = (s: TrainingSession): number[] => s.snapshot().map((p) => p.grad);

describe('TrainingSession on the classic example', () => {
  it('builds MLP(3, [4, 4, 1]) from the data and the hidden sizes', () => {
    const s = classic();
    expect(s.model.sizes).toEqual([3, 4, 4, 1]);
    expect(s.parameterCount).toBe(41);
    expect(values(s)).toEqual(new MLP(3, [4, 4, 1], { seed: 42 }).parameters().map((p) => p.data));
  });

  it('matches the classic example written out by hand, step for step', () => {
    const s = classic();
    const n = new MLP(3, [4, 4, 1], { seed: 42 });
    const { x, y } = makeDataset('classic');
    for (let k = 0; k < 20; k++) {
      const ypred = x.map((row) => n.forward(row)[0] as Value);
      const loss = sumSquaredError(ypred, y);
      n.zeroGrad();
      loss.backward();
      for (const p of n.parameters()) p.data += -0.1 * p.grad;
      expect(s.step().loss).toBe(loss.data);
      expect(values(s)).toEqual(n.parameters().map((p) => p.data));
    }
  });

  it('zeroes the gradients before backward, so a step\'s gradients are those of a fresh graph', () => {
    const s = classic();
    s.step();
    const afterFirst = values(s);
    s.step();
    // The same parameters in a model that has never seen a backward pass.
    const fresh = new MLP(3, [4, 4, 1], { seed: 42 });
    fresh.setParameters(afterFirst);
    const { x, y } = makeDataset('classic');
    sumSquaredError(
      x.map((row) => fresh.forward(row)[0] as Value),
      y,
    ).backward();
    expect(grads(s)).toEqual(fresh.parameters().map((p) => p.grad));
  });

  it('lowers the loss over 20 steps at learning rate 0.1', () => {
    const s = classic();
    for (let k = 0; k < 20; k++) s.step();
    const losses = [...s.history.losses()];
    expect(losses).toHaveLength(20);
    expect(losses[19]!).toBeLessThan(losses[0]! / 10);
    expect(s.evaluate().loss).toBeLessThan(losses[19]!);
    expect(s.evaluate().accuracy).toBe(1);
  });

  it('reports epoch, loss, accuracy, learning rate and gradient norm for each step', () => {
    const s = classic();
    const before = s.evaluate();
    const report = s.step();
    expect(Object.keys(report).sort()).toEqual(['accuracy', 'diverged', 'epoch', 'gradNorm', 'learningRate', 'loss', 'r2', 'restoredFrom', 'testAccuracy', 'testLoss', 'testR2']);
    expect(report.r2).toBeNull(); // classification
    expect(report.epoch).toBe(1);
    expect(report.loss).toBe(before.loss); // the loss of the parameters before the update
    expect(report.accuracy).toBe(before.accuracy);
    expect(report.learningRate).toBe(0.1);
    expect(report.gradNorm).toBeCloseTo(Math.hypot(...grads(s)), 12);
    expect(report.gradNorm).toBeGreaterThan(0);
    expect(s.step().epoch).toBe(2);
  });

  it('reports accuracy as the fraction of correct signs on classification data', () => {
    const s = classic();
    const { outputs } = s.evaluate();
    const expected = outputs.filter((o, i) => o > 0 === makeDataset('classic').y[i]! > 0).length / 4;
    expect(s.step().accuracy).toBe(expected);
    expect(s.isClassification).toBe(true);
  });

  it('reports no accuracy on regression data', () => {
    const s = regression();
    expect(s.isClassification).toBe(false);
    expect(s.step().accuracy).toBeNull();
    expect(s.evaluate().accuracy).toBeNull();
  });

  it('keeps every step\'s loss, accuracy and learning rate in the history', () => {
    const s = classic();
    const reports = [s.step(), s.step(), s.step()];
    s.setLearningRate(0.05);
    reports.push(s.step());
    expect([...s.history.losses()]).toEqual(reports.map((r) => r.loss));
    expect([...s.history.accuracies()]).toEqual(reports.map((r) => r.accuracy));
    expect([...s.history.learningRates()]).toEqual([0.1, 0.1, 0.1, 0.05]);
  });

  it('uses a new learning rate from the next step on and keeps the parameters', () => {
    const s = classic();
    s.step();
    const before = values(s);
    s.setLearningRate(0.5);
    expect(values(s)).toEqual(before);
    expect(s.learningRate).toBe(0.5);
    expect(s.step().learningRate).toBe(0.5);
    s.snapshot().forEach((p, i) => expect(p.value).toBeCloseTo(before[i]! - 0.5 * p.grad, 14));
  });

  it('describes the current parameters in `latest` after each step', () => {
    const s = classic();
    expect(s.latest).toEqual(s.evaluate());
    s.step();
    expect(s.latest.epoch).toBe(1);
    expect(s.latest).toEqual(s.evaluate());
  });

  it('evaluates without changing the epoch, the parameters or the gradients', () => {
    const s = classic();
    s.step();
    const [v, g] = [values(s), grads(s)];
    const e = s.evaluate();
    expect(e.epoch).toBe(1);
    expect(e.outputs).toHaveLength(4);
    expect(s.epoch).toBe(1);
    expect(values(s)).toEqual(v);
    expect(grads(s)).toEqual(g);
  });
});

describe("TrainingSession's replay, compiled at its first use", () => {
  /** moons with a held-out share, mini-batches and L2: every part of the replay is used. */
  const moons = (): TrainingSession =>
    new TrainingSession({ dataset: makeDataset('moons', { size: 60 }), layers: [6, 5], activation: 'relu', loss: 'hinge', l2: 1e-3, learningRate: 0.1, epochs: 50, seed: 3, batch: 16, testFraction: 0.25 });

  it('is not compiled by the constructor, and once by whatever needs it first', () => {
    const layOut = vi.spyOn(CompiledLoss.prototype, 'batch');
    try {
      const s = moons();
      expect(layOut).not.toHaveBeenCalled();
      expect(s.parameterCount).toBe(2 * 6 + 6 + 6 * 5 + 5 + 5 + 1);
      expect(s.evaluated).toBe(false);
      void s.latest;
      expect(layOut).toHaveBeenCalledTimes(2); // the training share and the held-out samples
      s.step();
      s.evaluatePoints([new Float64Array([0, 1]), new Float64Array([0.5, -0.5])]);
      expect(layOut).toHaveBeenCalledTimes(2);
    } finally {
      layOut.mockRestore();
    }
  });

  it('says when `latest` is known without running the model', () => {
    const s = moons();
    expect(s.evaluated).toBe(false);
    void s.latest;
    expect(s.evaluated).toBe(true);
    s.stepBatch();
    expect(s.evaluated).toBe(false);
    void s.latest;
    s.reset();
    expect(s.evaluated).toBe(false);
  });

  it('gives the same numbers compiled before or after the state was set', () => {
    const trained = moons();
    trained.compile();
    for (let i = 0; i < 3; i++) trained.step();
    trained.stepBatch(); // an epoch in progress
    const state = {
      parameters: trained.parameters(),
      epoch: trained.epoch,
      learningRate: 0.05,
      epochs: trained.epochs,
      history: { loss: trained.history.losses(), accuracy: trained.history.accuracies(), learningRate: trained.history.learningRates() },
      optimizer: trained.optimizerState(),
      lowest: trained.lowestLoss(),
      epochInProgress: trained.epochInProgress() ?? undefined,
    };
    const early = moons();
    early.compile();
    early.restore(state);
    const late = moons();
    late.restore(state); // nothing has compiled its replay yet
    expect(late.evaluated).toBe(false);
    expect(late.latest).toEqual(early.latest);
    for (let i = 0; i < 5; i++) expect(late.step()).toEqual(early.step());
    expect(late.parameters()).toEqual(early.parameters());
    expect(late.gradients()).toEqual(early.gradients());
    expect(late.hiddenOutputs()).toEqual(early.hiddenOutputs());
    expect(state.epochInProgress?.batches).toBe(1); // restore copies it: the steps after it left the state given alone
  });
});

describe('TrainingSession state and epoch target', () => {
  it('is ready until the epoch target is reached, then done', () => {
    const s = classic({ epochs: 3 });
    expect(s.status).toBe('ready');
    s.step();
    s.step();
    expect(s.status).toBe('ready');
    s.step();
    expect(s.epoch).toBe(3);
    expect(s.status).toBe('done');
  });

  it('goes on after done when the epoch target is raised', () => {
    const s = classic({ epochs: 2 });
    s.step();
    s.step();
    expect(s.status).toBe('done');
    s.setEpochs(4);
    expect(s.epochs).toBe(4);
    expect(s.status).toBe('ready');
    expect(s.step().epoch).toBe(3);
    s.step();
    expect(s.status).toBe('done');
    expect(s.history.length).toBe(4);
  });

  it('is done at once when the target is lowered to the epoch already run', () => {
    const s = classic();
    s.step();
    s.step();
    s.setEpochs(2);
    expect(s.status).toBe('done');
  });

  it('rejects an epoch target that is not an integer', () => {
    const s = classic();
    for (const bad of [2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(userError(() => s.setEpochs(bad))).toMatch(/epoch target must be an integer >= 1, got/);
    }
    expect(s.epochs).toBe(20);
  });

  it('rejects an epoch target below 1', () => {
    const s = classic();
    expect(userError(() => s.setEpochs(0))).toBe('epoch target must be an integer >= 1, got 0');
    expect(userError(() => s.setEpochs(-1))).toMatch(/got -1/);
  });

  it('rejects an epoch target below the epochs already run', () => {
    const s = classic();
    for (let k = 0; k < 5; k++) s.step();
    expect(userError(() => s.setEpochs(4))).toBe('epoch target must be an integer >= 5, got 4');
    expect(s.epochs).toBe(20);
  });

  it('rejects a learning rate that is not a finite number > 0 and keeps the old one', () => {
    const s = classic();
    for (const bad of [Number.NaN, 0, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(userError(() => s.setLearningRate(bad))).toMatch(/learning rate must be a finite number > 0, got/);
    }
    expect(s.learningRate).toBe(0.1);
  });

  it('rejects a negative learning rate', () => {
    expect(userError(() => classic().setLearningRate(-0.5))).toBe('learning rate must be a finite number > 0, got -0.5');
  });
});

describe('TrainingSession learning-rate schedule', () => {
  it('uses the schedule\'s rate each epoch and records it in the history', () => {
    const s = classic({ learningRate: 1, epochs: 4, schedule: { kind: 'linear', final: 0.2 } });
    const used = [s.step(), s.step(), s.step(), s.step()].map((r) => r.learningRate);
    [1, 0.8, 0.6, 0.4].forEach((rate, k) => expect(used[k]).toBeCloseTo(rate, 15));
    expect(Array.from(s.history.learningRates())).toEqual(used);
  });

  it('stretches over a raised target and starts from a new base rate, from the next epoch on', () => {
    const s = classic({ learningRate: 1, epochs: 10, schedule: { kind: 'linear', final: 0 } });
    for (let i = 0; i < 5; i++) s.step();
    expect(s.currentLearningRate).toBe(0.5); // epoch 6 of 10: 1 - 5/10
    s.setEpochs(20);
    expect(s.currentLearningRate).toBe(0.75); // epoch 6 of 20: 1 - 5/20
    s.setLearningRate(0.4); // + - L change the base
    expect(s.learningRate).toBe(0.4);
    expect(s.currentLearningRate).toBeCloseTo(0.3, 15);
    expect(s.step().learningRate).toBeCloseTo(0.3, 15);
    expect(Array.from(s.history.learningRates()).slice(0, 5)).toEqual([1, 0.9, 0.8, 0.7, 0.6]);
  });

  it('halves every --lr-step epochs with step, and shows the last epoch\'s rate at the target', () => {
    const s = classic({ learningRate: 0.8, epochs: 5, schedule: { kind: 'step', every: 2 } });
    while (s.status === 'ready') s.step();
    expect(Array.from(s.history.learningRates())).toEqual([0.8, 0.8, 0.4, 0.4, 0.2]);
    expect(s.currentLearningRate).toBe(0.2);
  });

  it('rejects a bad schedule with a UserError', () => {
    expect(userError(() => classic({ schedule: { kind: 'exp' as 'step' } }))).toBe('learning-rate schedule must be one of constant, linear, cosine, step, got exp');
    expect(userError(() => classic({ schedule: { kind: 'linear', final: -1 } }))).toBe('final learning rate must be a finite number >= 0, got -1');
    expect(userError(() => classic({ schedule: { kind: 'step', every: 0 } }))).toBe('learning-rate step must be an integer >= 1 (epochs between halvings), got 0');
  });
});

describe('TrainingSession reset', () => {
  it('reproduces the exact same run', () => {
    const s = classic();
    const initial = values(s);
    const firstRun = Array.from({ length: 8 }, () => s.step());
    const firstSnapshot = s.snapshot();
    s.reset();
    expect(s.epoch).toBe(0);
    expect(s.history.length).toBe(0);
    expect(s.status).toBe('ready');
    expect(values(s)).toEqual(initial);
    expect(grads(s).every((g) => g === 0)).toBe(true);
    expect(s.snapshot().every((p) => p.delta === 0)).toBe(true);
    expect(s.latest).toEqual(s.evaluate());
    expect(Array.from({ length: 8 }, () => s.step())).toEqual(firstRun);
    expect(s.snapshot()).toEqual(firstSnapshot);
  });

  it('reproduces the run with momentum, forgetting the velocity', () => {
    const s = classic({ momentum: 0.9 });
    const firstRun = Array.from({ length: 6 }, () => s.step().loss);
    s.reset();
    expect(Array.from({ length: 6 }, () => s.step().loss)).toEqual(firstRun);
  });

  it('keeps the learning rate and the epoch target', () => {
    const s = classic();
    s.setLearningRate(0.3);
    s.setEpochs(7);
    s.step();
    s.reset();
    expect(s.learningRate).toBe(0.3);
    expect(s.epochs).toBe(7);
  });

  it('starts over from a diverged run', () => {
    const s = regression({ learningRate: 1e308 });
    const initial = values(s);
    s.step();
    expect(s.status).toBe('diverged');
    s.reset();
    expect(s.status).toBe('ready');
    expect(values(s)).toEqual(initial);
  });
});

describe('TrainingSession snapshot', () => {
  it('names every parameter in parameter order', () => {
    const names = classic().snapshot().map((p) => p.name);
    expect(names).toHaveLength(41);
    expect(names.slice(0, 5)).toEqual(['L1.N1.w1', 'L1.N1.w2', 'L1.N1.w3', 'L1.N1.b', 'L1.N2.w1']);
    expect(names[names.length - 1]).toBe('L3.N1.b');
  });

  it('shows values and gradients of the model\'s parameters', () => {
    const s = classic();
    s.step();
    const params = s.model.parameters();
    s.snapshot().forEach((p, i) => {
      expect(p.value).toBe(params[i]!.data);
      expect(p.grad).toBe(params[i]!.grad);
    });
  });

  it('has zero deltas before the first step', () => {
    expect(classic().snapshot().every((p) => p.delta === 0 && p.grad === 0)).toBe(true);
  });

  it('shows what the last update added to each value', () => {
    const s = classic();
    s.step();
    const before = values(s);
    s.step();
    s.snapshot().forEach((p, i) => {
      expect(p.delta).toBe(p.value - before[i]!);
      expect(p.delta).toBeCloseTo(-0.1 * p.grad, 14);
    });
  });

  it('is a copy that later steps do not change', () => {
    const s = classic();
    const snap = s.snapshot();
    const copy = structuredClone(snap);
    s.step();
    expect(snap).toEqual(copy);
  });
});

describe('TrainingSession divergence', () => {
  it('puts back the weights of the lowest loss when the loss overflows, and goes on at a lower learning rate', () => {
    const s = regression({ learningRate: 1e6 });
    const start = new Map<number, number[]>(); // the weights each epoch started from
    let report = s.step();
    start.set(1, []);
    for (let k = 0; k < 100 && s.status !== 'diverged'; k++) {
      start.set(s.epoch + 1, values(s));
      report = s.step();
    }
    expect(s.status).toBe('diverged');
    expect(report).toMatchObject({ diverged: true, epoch: s.epoch + 1 });
    const lowest = Math.min(...s.history.losses());
    const back = s.divergence?.restoredFrom as number;
    expect(s.divergence?.restoredLoss).toBe(lowest);
    expect(report.restoredFrom).toBe(back);
    expect(s.history.losses()[back - 1]).toBe(lowest);
    if (back > 1) expect(values(s)).toEqual(start.get(back));
    expect(s.history.length).toBe(s.epoch);

    s.setLearningRate(1e-3);
    const next = s.step();
    expect(s.status).toBe('ready');
    expect(next.loss).toBe(lowest); // the same weights measure the same loss
    expect(next.restoredFrom).toBe(back);
    expect(s.history.row(next.epoch - 1).restoredFrom).toBe(back);
    expect(s.step().restoredFrom).toBeNull();
  });

  it('goes back to the initial weights when the first update overflows', () => {
    const s = regression({ learningRate: 1e308 });
    const initial = values(s);
    const report = s.step();
    expect(Number.isFinite(report.loss)).toBe(true);
    expect(report).toMatchObject({ diverged: true, restoredFrom: 1 });
    expect(s.status).toBe('diverged');
    expect(s.epoch).toBe(0);
    expect(s.history.length).toBe(0);
    expect(values(s)).toEqual(initial);
    expect(s.snapshot().every((p) => p.delta === 0)).toBe(true);

    s.setLearningRate(0.01);
    s.step();
    expect(s.status).toBe('ready');
    expect(s.epoch).toBe(1);
    expect(s.history.length).toBe(1);
  });

  it('counts a finite loss over 1e6 times the first epoch\'s as a divergence', () => {
    const s = regression({ learningRate: 0.01 });
    s.step();
    s.step();
    const first = s.history.losses()[0] as number;
    // Weights whose loss is finite but far beyond: the next epoch measures it and goes back.
    s.restore({ parameters: values(s).map((v) => v * 1e5), epoch: 2, learningRate: 0.01, epochs: 10, history: { loss: Array.from(s.history.losses()), accuracy: [null, null], learningRate: [0.01, 0.01] } });
    const report = s.step();
    expect(report.loss).toBeGreaterThan(1e6 * first);
    expect(report.diverged).toBe(true);
    expect(s.divergence?.reason).toMatch(/^the loss reached \S+, over 1000000 times epoch 1's$/);
  });
});

describe('TrainingSession configuration', () => {
  it('uses a tanh output for sse and mse on -1/+1 labels and a linear one for hinge, bce and regression', () => {
    expect(defaultOutputActivation('sse', true)).toBe('tanh');
    expect(defaultOutputActivation('mse', true)).toBe('tanh');
    expect(defaultOutputActivation('hinge', true)).toBe('linear');
    expect(defaultOutputActivation('bce', true)).toBe('linear');
    expect(defaultOutputActivation('sse', false)).toBe('linear');
    expect(defaultOutputActivation('mse', false)).toBe('linear');
    expect(new TrainingSession({ dataset: LINE, layers: [2], activation: 'tanh', loss: 'mse', learningRate: 0.1, epochs: 1, seed: 1 }).outputActivation).toBe('linear');
    expect(classic({ loss: 'hinge' }).model.layers[2]!.neurons[0]!.activation).toBe('linear');
    expect(classic().model.layers[2]!.neurons[0]!.activation).toBe('tanh');
    expect(classic({ outputActivation: 'sigmoid' }).model.layers[2]!.neurons[0]!.activation).toBe('sigmoid');
  });

  it('adds the L2 penalty to the loss', () => {
    const plain = classic().evaluate().loss;
    const s = classic({ l2: 0.01 });
    const sumSq = values(s).reduce((a, p) => a + p * p, 0);
    expect(s.evaluate().loss).toBeCloseTo(plain + 0.01 * sumSq, 12);
  });

  it('copies the config so that later changes to it do not leak in', () => {
    const layers = [4, 4];
    const s = classic({ layers });
    layers.push(9);
    expect(s.config.layers).toEqual([4, 4]);
  });

  it('rejects bad hyperparameters with a UserError', () => {
    expect(userError(() => classic({ learningRate: 0 }))).toMatch(/learning rate must be a finite number > 0/);
    expect(userError(() => classic({ learningRate: Number.NaN }))).toMatch(/learning rate/);
    expect(userError(() => classic({ epochs: 0 }))).toMatch(/epochs must be an integer >= 1/);
    expect(userError(() => classic({ epochs: 1.5 }))).toMatch(/epochs must be an integer >= 1/);
    expect(userError(() => classic({ seed: -1 }))).toMatch(/seed must be an integer >= 0/);
    expect(userError(() => classic({ layers: [4, 0] }))).toMatch(/hidden layer sizes must be integers >= 1/);
    expect(userError(() => classic({ l2: -1 }))).toMatch(/l2 must be a finite number >= 0/);
    expect(userError(() => classic({ momentum: 1 }))).toMatch(/momentum must be in \[0, 1\)/);
  });

  it('rejects a classification loss on regression data', () => {
    expect(userError(() => regression({ loss: 'hinge' }))).toBe(
      'hinge loss needs two classes labelled -1/+1 (or 0/1); line is regression (use sse or mse)',
    );
    expect(userError(() => regression({ loss: 'bce' }))).toMatch(/bce loss needs two classes labelled -1\/\+1/);
    expect(userError(() => regression({ loss: 'ce' }))).toBe('ce loss needs 3 or more classes numbered 0..K-1; line is regression (use sse or mse)');
  });

  it('rejects a dataset without samples', () => {
    const empty: Dataset = { name: 'none', source: 'none', x: [], y: [] };
    expect(userError(() => classic({ dataset: empty }))).toBe('dataset none has no samples');
  });

  it('rejects a dataset whose x and y have different lengths', () => {
    const bad: Dataset = { name: 'odd', source: 'odd', x: [[1], [2]], y: [1] };
    expect(userError(() => classic({ dataset: bad }))).toMatch(/odd/);
  });

  it('rejects a dataset whose rows have different lengths', () => {
    const bad: Dataset = { name: 'ragged', source: 'ragged', x: [[1, 2], [3]], y: [1, -1] };
    expect(userError(() => classic({ dataset: bad }))).toMatch(/ragged/);
  });

  it('rejects a dataset with a value that is not a finite number', () => {
    const inX: Dataset = { name: 'nan', source: 'nan', x: [[1], [Number.NaN]], y: [1, -1] };
    expect(userError(() => classic({ dataset: inX }))).toMatch(/nan: sample 2/);
    const inY: Dataset = { name: 'inf', source: 'inf', x: [[1], [2]], y: [Number.POSITIVE_INFINITY, -1] };
    expect(userError(() => classic({ dataset: inY }))).toMatch(/inf: sample 1/);
  });
});
