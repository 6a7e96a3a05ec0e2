import { describe, expect, it } from 'vitest';
import { runHeadless } from '../../src/cli/headless.js';
import { TrainingSession } from '../../src/index.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';

// A linear network with a linear output under hinge loss has nothing to saturate: at a learning
// rate of 1e6 its weights grow by squaring each step and overflow within a few epochs.
const EXPLODES: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 20, layers: [4], activation: 'linear', loss: 'hinge', learningRate: 1e6, epochs: 100 };

/** Step until divergence, recording the parameters reached at each epoch. */
function divergeWithTrace(session: TrainingSession): Map<number, number[]> {
  const byEpoch = new Map([[0, session.snapshot().map((p) => p.value)]]);
  for (let i = 0; i < 100 && session.status === 'ready'; i++) {
    session.step();
    if (session.status !== 'diverged') byEpoch.set(session.epoch, session.snapshot().map((p) => p.value));
  }
  return byEpoch;
}

describe('divergence', () => {
  it('at a learning rate of 1e6 stops in the diverged state with the last finite parameters', () => {
    const session = createSession(EXPLODES);
    const byEpoch = divergeWithTrace(session);
    expect(session.status).toBe('diverged');
    const values = session.snapshot().map((p) => p.value);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(values).toEqual(byEpoch.get(session.epoch));
    expect(session.history.length).toBe(session.epoch);
    expect(Array.from(session.history.losses()).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(session.latest.loss)).toBe(true);
  });

  it('goes on from the restored parameters once the learning rate is lowered', () => {
    const session = createSession(EXPLODES);
    divergeWithTrace(session);
    const epoch = session.epoch;
    const restoredLoss = session.evaluate().loss;
    session.setLearningRate(1e-30);
    const report = session.step();
    expect(report.epoch).toBe(epoch + 1);
    expect(report.loss).toBe(restoredLoss);
    expect(session.status).toBe('ready');
    expect(session.epoch).toBe(epoch + 1);
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

  it('tells the headless user to try a smaller --lr', async () => {
    const lines: string[] = [];
    const outcome = await runHeadless(createSession(EXPLODES), { json: false, printEvery: 1000 }, (l) => lines.push(l));
    expect(outcome).toBe('diverged');
    expect(lines.at(-1)).toMatch(/^diverged at epoch \d+: the loss became (NaN|-?Infinity); kept the parameters of epoch \d+\. Try a smaller learning rate \(--lr\)\.$/);
  });
});
