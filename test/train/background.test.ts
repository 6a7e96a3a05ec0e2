import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BackgroundTrainer } from '../../src/train/background.js';
import type { ProgressUpdate } from '../../src/train/session.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';

// The worker runs compiled JavaScript: `npm test` builds dist/ before the tests run.
const WORKER = new URL('../../dist/src/train/worker.js', import.meta.url);

const MOONS: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 30, layers: [6, 4], activation: 'relu', loss: 'hinge', l2: 1e-4, learningRate: 0.2, epochs: 60 };

/** Train `options` in a worker until it stops by itself, applying every report to `session`. */
function trainInBackground(options: RunOptions, session = createSession(options)): Promise<{ reports: number; session: typeof session }> {
  return new Promise((resolve, reject) => {
    let reports = 0;
    const trainer = new BackgroundTrainer(
      session.config,
      {
        progress: (p, stopped) => {
          session.applyProgress(p);
          reports++;
          if (stopped) {
            trainer.dispose();
            resolve({ reports, session });
          }
        },
        error: (message) => reject(new Error(message)),
      },
      WORKER,
    );
    trainer.start(session);
  });
}

describe('BackgroundTrainer', () => {
  it('gives the session exactly what training it in this thread gives', async () => {
    const here = createSession(MOONS);
    while (here.status === 'ready') here.step();
    const { session: there } = await trainInBackground(MOONS);
    expect(there.epoch).toBe(60);
    expect(there.status).toBe('done');
    expect(Array.from(there.history.losses())).toEqual(Array.from(here.history.losses()));
    expect(Array.from(there.history.accuracies())).toEqual(Array.from(here.history.accuracies()));
    expect(there.snapshot()).toEqual(here.snapshot());
    expect(there.latest).toEqual(here.latest);
  });

  it.each<[string, Partial<RunOptions>]>([
    ['momentum', { momentum: 0.9 }],
    ['adam', { optimizer: 'adam', learningRate: 0.01 }],
    ['momentum and a step schedule', { momentum: 0.9, lrSchedule: 'step', lrStep: 4 }],
    ['adam and a cosine schedule', { optimizer: 'adam', learningRate: 0.02, lrSchedule: 'cosine', lrFinal: 0.001 }],
    ['momentum and batches of 7', { momentum: 0.9, batch: 7 }],
  ])('carries the optimiser state (%s) both ways: stopped and started again, it is the straight run', async (_, optimizer) => {
    const options: RunOptions = { ...MOONS, ...optimizer };
    // The same targets in one thread (a schedule runs over the target, so it changes the rates too).
    const reference = createSession(options);
    reference.setEpochs(30);
    while (reference.status === 'ready') reference.step();
    reference.setEpochs(60);
    while (reference.status === 'ready') reference.step();
    const session = createSession(options);
    session.setEpochs(30);
    for (let i = 0; i < 10; i++) session.step();
    await trainInBackground(options, session); // takes the state there, brings it back at 30
    session.setEpochs(60);
    await trainInBackground(options, session);
    expect(Array.from(session.history.losses())).toEqual(Array.from(reference.history.losses()));
    expect(session.optimizerState()).toEqual(reference.optimizerState());
  });

  it('continues from where the session is, not from the start', async () => {
    const session = createSession(MOONS);
    for (let i = 0; i < 25; i++) session.step();
    const reference = createSession(MOONS);
    while (reference.status === 'ready') reference.step();
    await trainInBackground(MOONS, session);
    expect(Array.from(session.history.losses())).toEqual(Array.from(reference.history.losses()));
  });

  it('reports a divergence with the weights of the lowest loss, as the session would', async () => {
    const options: RunOptions = { ...MOONS, activation: 'linear', learningRate: 1e6, epochs: 50 };
    const here = createSession(options);
    while (here.status === 'ready') here.step();
    expect(here.status).toBe('diverged');
    const { session } = await trainInBackground(options);
    expect(session.status).toBe('diverged');
    expect(session.epoch).toBe(here.epoch);
    expect(session.snapshot().map((p) => p.value)).toEqual(here.snapshot().map((p) => p.value));
    expect(session.divergence).toEqual(here.divergence);
    // Both go on the same way at a lower rate: the worker brought back where to restart from.
    here.setLearningRate(1e-4);
    session.setLearningRate(1e-4);
    expect(session.step()).toEqual(here.step());
  });

  it('delivers nothing of a run after stop()', async () => {
    const options = { ...MOONS, epochs: 1_000_000 };
    const session = createSession(options);
    const seen: ProgressUpdate[] = [];
    const trainer = new BackgroundTrainer(session.config, { progress: (p) => seen.push(p), error: (m) => expect.fail(m) }, WORKER);
    trainer.start(session);
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThan(0);
    trainer.stop();
    const count = seen.length;
    // The acknowledgement: the worker handles a new run after the stop and its messages arrive in
    // order, so once the new run reports, every report of the stopped run has arrived. The session
    // was given no report, so only the new run's first one starts at epoch 0; a late report of the
    // stopped run, were it delivered, would come first and start further on.
    trainer.start(session);
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThan(count);
    expect(seen[count]?.historyFrom).toBe(0);
    trainer.dispose();
  });

  it('takes a new learning rate and epoch target while it runs', async () => {
    const options = { ...MOONS, epochs: 1_000_000 };
    const session = createSession(options);
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    let updated = false;
    const trainer = new BackgroundTrainer(
      session.config,
      {
        progress: (p, stopped) => {
          session.applyProgress(p);
          if (!updated) {
            updated = true;
            session.setLearningRate(0.01);
            session.setEpochs(session.epoch + 10);
            trainer.update(session);
          }
          if (stopped) done();
        },
        error: (m) => expect.fail(m),
      },
      WORKER,
    );
    trainer.start(session);
    await finished;
    trainer.dispose();
    const rates = Array.from(session.history.learningRates());
    expect(rates.at(-1)).toBe(0.01);
    expect(rates[0]).toBe(0.2);
    expect(session.status).toBe('done');
  });
});

describe('TrainingSession progress', () => {
  it('brings a copy level with the original, history and all', () => {
    const original = createSession(MOONS);
    for (let i = 0; i < 7; i++) original.step();
    const copy = createSession(MOONS);
    copy.applyProgress(original.progress());
    expect(copy.epoch).toBe(7);
    expect(copy.snapshot()).toEqual(original.snapshot());
    expect(Array.from(copy.history.losses())).toEqual(Array.from(original.history.losses()));
    for (let i = 0; i < 5; i++) {
      original.step();
      copy.step();
    }
    expect(copy.snapshot()).toEqual(original.snapshot());

    const from = copy.history.length;
    original.step();
    original.step();
    copy.applyProgress(original.progress(from));
    expect(Array.from(copy.history.losses())).toEqual(Array.from(original.history.losses()));
  });
});

describe('the training worker', () => {
  it("answers a 'set' before 'load' with a clear error, not a crash", async () => {
    const worker = new Worker(WORKER);
    try {
      const answer = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage({ type: 'set', learningRate: 0.1, epochs: 10 });
      expect(await answer).toEqual({ type: 'error', run: -1, message: "the training worker got a message before 'load'" });
    } finally {
      await worker.terminate();
    }
  });
});
