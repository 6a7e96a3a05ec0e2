import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/data/datasets.js';
import type { Activation } from '../../src/nn/activation.js';
import { healthHint } from '../../src/train/health.js';

/** The hint line of an 80-column screen, after its leading space: every hint fits it whole. */
const HINT_WIDTH = 79;
import { TrainingSession } from '../../src/train/session.js';

function session(activation: Activation, epochs = 200): TrainingSession {
  return new TrainingSession({ dataset: makeDataset('moons'), layers: [8, 8], activation, loss: 'hinge', learningRate: 0.01, epochs, seed: 1 });
}

/** Set every hidden weight and bias: `w` for weights, `b` for biases (the output layer keeps its own). */
function setHidden(s: TrainingSession, w: number, b: number): void {
  for (const layer of s.model.layers.slice(0, -1)) for (const n of layer.neurons) {
    for (const wi of n.w) wi.data = w;
    n.b.data = b;
  }
}

describe('healthHint', () => {
  it('is quiet for a healthy fresh model', () => {
    expect(healthHint(session('relu'))).toBeNull();
    expect(healthHint(session('tanh'))).toBeNull();
  });

  it('names the share of dead relu units and the fix', () => {
    const s = session('relu');
    setHidden(s, 0, -1); // every hidden unit outputs relu(-1) = 0 for every sample
    expect(s.hiddenOutputs().flat().every((unit) => unit.every((o) => o === 0))).toBe(true);
    expect(healthHint(s)).toBe('100% of relu units are dead: lower the learning rate, then n for new weights');
  });

  it('names saturated tanh and sigmoid units', () => {
    for (const activation of ['tanh', 'sigmoid'] as const) {
      const s = session(activation);
      setHidden(s, 0, 50);
      expect(healthHint(s)).toBe(`100% of ${activation} units are saturated: lower the rate (-), then n for new weights`);
      expect(healthHint(s)?.length).toBeLessThanOrEqual(HINT_WIDTH); // whole on an 80-column screen (it was cut at "then n …")
    }
  });

  it('names vanishing gradients while the loss is far from 0', () => {
    const s = new TrainingSession({ dataset: makeDataset('moons'), layers: [4], activation: 'linear', loss: 'mse', learningRate: 0.01, epochs: 10, seed: 1 });
    s.step();
    for (const p of s.model.parameters()) p.grad = 1e-9;
    expect(healthHint(s)).toMatch(/^gradients vanished \(norm [\d.]+e-\d+\) at loss [\d.]+: try relu or fewer layers \(m\)$/);
    for (const p of s.model.parameters()) p.grad = 1e-60; // the longest norm and a loss of 4 significant figures still fit
    expect(healthHint(s)?.length).toBeLessThanOrEqual(HINT_WIDTH - 2);
  });

  it('says nothing of gradients no backward pass has written: after a restore, as after --load', () => {
    const s = new TrainingSession({ dataset: makeDataset('moons'), layers: [4], activation: 'relu', loss: 'mse', learningRate: 0.01, epochs: 10, seed: 1 });
    for (let i = 0; i < 3; i++) s.step();
    const losses = Array.from(s.history.losses());
    s.restore({ parameters: s.parameters(), epoch: 3, learningRate: 0.01, epochs: 10, history: { loss: losses, accuracy: [null, null, null], learningRate: [0.01, 0.01, 0.01] } });
    expect(Array.from(s.gradients()).every((g) => g === 0)).toBe(true);
    expect(s.latest.loss).toBeGreaterThan(0.01);
    expect(healthHint(s)).toBeNull();
    s.step();
    for (const p of s.model.parameters()) p.grad = 1e-9;
    // A relu network is not told to try relu; the loss named is the step's, as in the status line.
    expect(healthHint(s)).toBe(`gradients vanished (norm ${(1e-9 * Math.sqrt(s.parameterCount)).toExponential(1)}) at loss ${s.lastStep?.loss.toPrecision(3)}: try fewer layers (m)`);
  });

  it('names a loss that has grown for many epochs', () => {
    const s = new TrainingSession({ dataset: makeDataset('moons'), layers: [4], activation: 'linear', loss: 'mse', learningRate: 0.01, epochs: 100, seed: 1 });
    const n = 60;
    s.restore({
      parameters: s.model.parameters().map((p) => p.data),
      epoch: n,
      learningRate: 0.01,
      epochs: 100,
      history: { loss: Array.from({ length: n }, (_, i) => 1 + i), accuracy: Array(n).fill(0.5), learningRate: Array(n).fill(0.01) },
    });
    for (const p of s.model.parameters()) p.grad = 1;
    expect(healthHint(s)).toBe('the loss has grown for 50 epochs: lower the learning rate (-)');
  });
});
