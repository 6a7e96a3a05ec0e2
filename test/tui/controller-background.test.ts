import { describe, expect, it } from 'vitest';
import { BackgroundTrainer } from '../../src/train/background.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { Controller, type BackgroundFactory } from '../../src/tui/controller.js';

// The worker runs compiled JavaScript: `npm test` builds dist/ before the tests run.
const WORKER = new URL('../../dist/src/train/worker.js', import.meta.url);
const inWorker: BackgroundFactory = (config, events) => new BackgroundTrainer(config, events, WORKER);

describe('Controller training in a worker', () => {
  it('plays to the target with the losses of training in this thread', async () => {
    const options = { ...DEFAULT_RUN_OPTIONS, epochs: 300 };
    const controller = new Controller({ run: options, background: inWorker });
    expect(controller.trainsInBackground).toBe(true);
    controller.play();
    await expect.poll(() => controller.status, { timeout: 10_000 }).toBe('done');
    const here = createSession(options);
    while (here.status === 'ready') here.step();
    expect(Array.from(controller.session.history.losses())).toEqual(Array.from(here.history.losses()));
    expect(controller.message?.text).toMatch(/^done: 300 epochs/);
    controller.dispose();
  });

  it('stays where it paused, and steps on from there', async () => {
    // The epoch each report delivered to the controller starts from.
    const delivered: number[] = [];
    const watched: BackgroundFactory = (config, events) =>
      inWorker(config, {
        progress: (p, stopped) => {
          delivered.push(p.historyFrom);
          events.progress(p, stopped);
        },
        error: (message) => events.error(message),
      });
    const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, epochs: 10_000_000 }, background: watched });
    controller.play();
    await expect.poll(() => controller.session.epoch, { timeout: 10_000 }).toBeGreaterThan(100);
    controller.pause();
    const epoch = controller.session.epoch;
    expect(controller.status).toBe('paused');
    controller.stepOnce();
    expect(controller.session.epoch).toBe(epoch + 1);
    // The acknowledgement: the worker handles the next play after the pause and its messages
    // arrive in order, so the new run's first report comes after any the paused run had in
    // flight. It starts where the step left the session: nothing of the paused run was applied.
    const reports = delivered.length;
    controller.play();
    await expect.poll(() => delivered.length, { timeout: 10_000 }).toBeGreaterThan(reports);
    expect(delivered[reports]).toBe(epoch + 1);
    controller.dispose();
  });
});

describe('Controller: targets and autosave', () => {
  it('stops exactly at a target lowered while the worker runs ahead', async () => {
    const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', layers: [16, 16], epochs: 10_000_000 }, background: inWorker });
    controller.play();
    await expect.poll(() => controller.session.epoch, { timeout: 10_000 }).toBeGreaterThan(20);
    const target = controller.session.epoch + 5;
    controller.changeEpochs(target - controller.session.epochs);
    await expect.poll(() => controller.status, { timeout: 10_000 }).toBe('done');
    expect(controller.session.epoch).toBe(target);
    expect(controller.session.epochs).toBe(target);
    expect(controller.session.history.length).toBe(target);
    controller.dispose();
  });
});
