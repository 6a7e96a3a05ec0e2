import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../src/cli/headless.js';
import { TrainingSession } from '../../src/index.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import { withPreset } from '../../src/train/presets.js';

// A linear network with a linear output under hinge loss has nothing to saturate: at a learning
// rate of 1e6 its weights grow by squaring each step and overflow within a few epochs.
const EXPLODES: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 20, layers: [4], activation: 'linear', loss: 'hinge', learningRate: 1e6, epochs: 100 };
// The issue's case: moons with its preset, a linear activation, hinge loss and a rate of 10.
const MOONS_LR_10: RunOptions = { ...withPreset({ ...DEFAULT_RUN_OPTIONS, dataset: 'moons' }), activation: 'linear', loss: 'hinge', learningRate: 10, epochs: 200 };

/** Step until divergence, recording the weights each epoch started from. */
function divergeWithTrace(session: TrainingSession): Map<number, number[]> {
  const startOf = new Map<number, number[]>();
  for (let i = 0; i < 200 && session.status === 'ready'; i++) {
    startOf.set(session.epoch + 1, session.snapshot().map((p) => p.value));
    session.step();
  }
  return startOf;
}

describe('divergence', () => {
  it('at a learning rate of 1e6 stops in the diverged state with the weights of the lowest loss so far', () => {
    const session = createSession(EXPLODES);
    const startOf = divergeWithTrace(session);
    expect(session.status).toBe('diverged');
    const losses = Array.from(session.history.losses());
    const d = session.divergence!;
    expect(d.restoredLoss).toBe(Math.min(...losses));
    expect(session.snapshot().map((p) => p.value)).toEqual(startOf.get(d.restoredFrom));
    expect(d.epoch).toBe(session.epoch + 1); // the epoch that diverged is not counted
    expect(session.history.length).toBe(session.epoch);
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('reproduces the issue: moons, linear, hinge, lr 10 diverges, and a lower rate trains on from the lowest loss', () => {
    const session = createSession(MOONS_LR_10);
    divergeWithTrace(session);
    expect(session.status).toBe('diverged');
    const d = session.divergence!;
    const epoch = session.epoch;
    // Before, the "last good" weights had a loss of 4e175; now they are the run's best.
    expect(d.restoredLoss).toBe(Math.min(...session.history.losses()));
    expect(d.restoredLoss).toBeLessThan(10);
    expect(session.evaluate().loss).toBe(d.restoredLoss);

    session.setLearningRate(0.01);
    const first = session.step();
    expect(first).toMatchObject({ epoch: epoch + 1, loss: d.restoredLoss, restoredFrom: d.restoredFrom, diverged: false });
    for (let i = 0; i < 50; i++) session.step();
    expect(session.status).toBe('ready');
    expect(session.epoch).toBe(epoch + 51); // the counter and the history go on
    expect(session.history.length).toBe(epoch + 51);
    expect(session.reported.loss).toBeLessThan(d.restoredLoss);
    expect(Array.from(session.history.restorations()).filter((r) => !Number.isNaN(r))).toEqual([d.restoredFrom]);
  });

  it('keeps restored parameters whose first loss is non-finite, at the restored epoch', () => {
    const session = createSession({ ...EXPLODES, learningRate: 0.01 });
    session.step();
    session.step();
    const h = session.history;
    const history = { loss: Array.from(h.losses()), accuracy: Array.from(h.accuracies()), learningRate: Array.from(h.learningRates()) };
    const huge = new Array<number>(session.parameterCount).fill(1e200); // finite, but the outputs overflow
    session.restore({ parameters: huge, epoch: 2, learningRate: 0.01, epochs: 10, history });
    session.step();
    expect(session.status).toBe('diverged');
    expect(session.epoch).toBe(2);
    expect(session.snapshot().map((p) => p.value)).toEqual(huge);
    expect(Array.from(session.history.losses())).toEqual(history.loss);
  });

  it('tells the headless user which weights are back and to try a smaller --lr', async () => {
    const lines: string[] = [];
    const outcome = await runHeadless(createSession(EXPLODES), { json: false, printEvery: 1000 }, (l) => lines.push(l));
    expect(outcome).toBe('diverged');
    expect(lines.at(-1)).toMatch(
      /^diverged at epoch \d+: (the loss became (NaN|-?Infinity)|the loss reached \S+, over 1000000 times epoch 1's|an update made a parameter overflow); back to the weights of epoch \d+ \(loss \S+, the lowest\)\. Try a smaller learning rate \(--lr\)\.$/,
    );
  });

  it('marks the --json record of the diverged epoch and the first epoch after it', async () => {
    const session = createSession(EXPLODES);
    const records: { epoch: number; diverged: boolean; restoredFrom: number | null }[] = [];
    await runHeadless(session, { json: true, printEvery: 0 }, (l) => records.push(JSON.parse(l)));
    const last = records.at(-1)!;
    expect(last).toMatchObject({ diverged: true, restoredFrom: session.divergence!.restoredFrom });
    expect(records.slice(0, -1).every((r) => !r.diverged && r.restoredFrom === null)).toBe(true);
    session.setLearningRate(1e-6);
    expect(session.step()).toMatchObject({ epoch: last.epoch, diverged: false, restoredFrom: last.restoredFrom });
  });
});
