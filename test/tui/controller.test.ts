import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TrainingSession } from '../../src/train/session.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import type { BackgroundTrainer } from '../../src/train/background.js';
import { Controller, type BackgroundFactory } from '../../src/tui/controller.js';
import { attachRunFiles } from '../../src/tui/run-files.js';
import { ManualScheduler } from './manual-scheduler.js';

/** The classic example with a small epoch target, driven by a scheduler the test runs by hand. */
function setup(overrides: Partial<RunOptions> = {}): { c: Controller; scheduler: ManualScheduler } {
  const scheduler = new ManualScheduler();
  return { c: new Controller({ run: { ...DEFAULT_RUN_OPTIONS, epochs: 20, ...overrides }, scheduler }), scheduler };
}

const values = (c: Controller): number[] => c.session.snapshot().map((p) => p.value);

// A linear network with a linear output under hinge loss has nothing to saturate: at a learning
// rate of 1e6 its weights grow by squaring each step and overflow within a few dozen epochs.
const EXPLODES: Partial<RunOptions> = { dataset: 'moons', size: 20, layers: [4], activation: 'linear', loss: 'hinge', learningRate: 1e6, epochs: 100 };

const dir = mkdtempSync(join(tmpdir(), 'tui-controller-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Controller: when its worker starts', () => {
  /** A factory of workers that train nothing, recording the size of each one's dataset and which were disposed. */
  function counting(): { factory: BackgroundFactory; made: number[]; disposed: number[] } {
    const made: number[] = [];
    const disposed: number[] = [];
    const factory: BackgroundFactory = (config) => {
      const n = config.dataset.x.length;
      made.push(n);
      return { start() {}, stop() {}, update() {}, dispose: () => disposed.push(n) } as unknown as BackgroundTrainer;
    };
    return { factory, made, disposed };
  }

  it('once the front end has drawn the run, not before, and only once', () => {
    const { factory, made } = counting();
    const scheduler = new ManualScheduler();
    const c = new Controller({ run: DEFAULT_RUN_OPTIONS, scheduler, background: factory });
    expect(made).toEqual([]);
    expect(scheduler.pending).toBe(0); // nothing waits to start it either
    c.drawn();
    c.drawn();
    expect(made).toEqual([4]);
    c.play();
    expect(made).toEqual([4]);
    c.dispose();
  });

  it('at the first play when that comes before; for a new setup, once that one is drawn', () => {
    const { factory, made, disposed } = counting();
    const scheduler = new ManualScheduler();
    const c = new Controller({ run: DEFAULT_RUN_OPTIONS, scheduler, background: factory });
    c.play();
    expect(made).toEqual([4]);
    c.apply({ ...c.options, dataset: 'moons', size: 50, layers: [3], activation: 'relu', loss: 'hinge' });
    expect(disposed).toEqual([4]);
    expect(made).toEqual([4]); // the new run is not on screen yet
    c.drawn();
    expect(made).toEqual([4, 50]);
    c.dispose();
    expect(disposed).toEqual([4, 50]);
  });
});

describe('Controller: play, pause and steps', () => {
  it('opens paused at epoch 0 with nothing scheduled', () => {
    const { c, scheduler } = setup();
    expect(c.status).toBe('paused');
    expect(c.playing).toBe(false);
    expect(c.session.epoch).toBe(0);
    expect(c.message).toBeNull();
    expect(scheduler.pending).toBe(0);
  });

  it('plays in slices of several steps and pauses', () => {
    const { c, scheduler } = setup({ epochs: 1000 });
    c.togglePlay();
    expect(c.status).toBe('running');
    expect(c.session.epoch).toBe(0);
    scheduler.run(1);
    const afterOne = c.session.epoch;
    expect(afterOne).toBeGreaterThan(1);
    expect(afterOne).toBeLessThan(20);
    scheduler.run(2);
    expect(c.session.epoch).toBe(3 * afterOne);
    c.togglePlay();
    expect(c.status).toBe('paused');
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    scheduler.run();
    expect(c.session.epoch).toBe(3 * afterOne);
  });

  it('steps exactly one epoch when paused', () => {
    const { c } = setup();
    c.stepOnce();
    expect(c.session.epoch).toBe(1);
    expect(c.session.history.length).toBe(1);
    c.stepOnce();
    expect(c.session.epoch).toBe(2);
    expect(c.status).toBe('paused');
  });

  it('refuses a single step while playing and says why', () => {
    const { c, scheduler } = setup();
    c.play();
    c.stepOnce();
    expect(c.session.epoch).toBe(0);
    expect(c.message?.text).toContain('pause with space first');
    expect(c.playing).toBe(true);
    scheduler.run(1);
    expect(c.session.epoch).toBeGreaterThan(0);
  });

  it('stops at the epoch target in state done, and explains how to go on', () => {
    const { c, scheduler } = setup();
    c.play();
    scheduler.run();
    expect(c.session.epoch).toBe(20);
    expect(c.status).toBe('done');
    expect(c.playing).toBe(false);
    expect(c.message?.text).toMatch(/^done: 20 epochs, loss \S+\. Raise the target with \] or \} to go on$/);
    expect(c.message?.yieldsToHealth).toBe(true); // the header says done; a health hint says more
    expect(c.stepsPerSecond).toBeGreaterThan(0);
  });

  it('measures steps/s from the first tenth of a second of play (it read 0 for half a second)', () => {
    const { c, scheduler } = setup({ epochs: 1_000_000 });
    c.play();
    scheduler.run(1); // the first slice: where the measure starts
    const start = { time: scheduler.clock, epoch: c.session.epoch };
    while (scheduler.clock - start.time < 150) scheduler.run(1);
    const expected = ((c.session.epoch - start.epoch) * 1000) / (scheduler.clock - start.time);
    expect(c.stepsPerSecond).toBeGreaterThan(0.8 * expected);
    expect(c.stepsPerSecond).toBeLessThan(1.25 * expected);
  });

  it('does not play or step past the target', () => {
    const { c, scheduler } = setup({ epochs: 2 });
    c.stepOnce();
    c.stepOnce();
    expect(c.status).toBe('done');
    c.stepOnce();
    expect(c.session.epoch).toBe(2);
    expect(c.message?.text).toContain('reached the epoch target 2');
    c.play();
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(c.message?.text).toContain('raise it with ] or }');
  });

  it('plays on after the target is raised', () => {
    const { c, scheduler } = setup();
    c.play();
    scheduler.run();
    c.changeEpochs(10);
    expect(c.session.epochs).toBe(30);
    expect(c.status).toBe('paused');
    c.play();
    scheduler.run();
    expect(c.session.epoch).toBe(30);
    expect(c.status).toBe('done');
  });
});

describe('Controller: epoch target', () => {
  it('moves by the given amount', () => {
    const { c } = setup();
    c.changeEpochs(100);
    expect(c.session.epochs).toBe(120);
    c.changeEpochs(-10);
    expect(c.session.epochs).toBe(110);
    expect(c.options.epochs).toBe(110);
  });

  it('never goes below 1', () => {
    const { c } = setup();
    c.changeEpochs(-100);
    expect(c.session.epochs).toBe(1);
    expect(c.message).toBeNull();
    c.changeEpochs(-10);
    expect(c.session.epochs).toBe(1);
    expect(c.message).toEqual({ text: 'the epoch target cannot go below the 1 epoch already run', tone: 'info' });
  });

  it('never goes below the epochs already run, which stops play', () => {
    const { c, scheduler } = setup({ epochs: 1000 });
    c.play();
    scheduler.run(2);
    const run = c.session.epoch;
    c.changeEpochs(-1000);
    expect(c.session.epochs).toBe(run);
    expect(c.status).toBe('done');
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    c.changeEpochs(-10);
    expect(c.session.epochs).toBe(run);
    expect(c.message?.text).toBe(`the epoch target cannot go below the ${run} epochs already run`);
  });
});

describe('Controller: learning rate', () => {
  it('walks the ladder up and down and keeps the parameters', () => {
    const { c } = setup();
    c.stepOnce();
    const before = values(c);
    c.raiseLearningRate();
    expect(c.session.learningRate).toBe(0.2);
    c.lowerLearningRate();
    c.lowerLearningRate();
    expect(c.session.learningRate).toBe(0.05);
    expect(c.options.learningRate).toBe(0.05);
    expect(values(c)).toEqual(before);
    expect(c.session.epoch).toBe(1);
  });

  it('says so at the top and the bottom of the ladder', () => {
    const { c } = setup({ learningRate: 10 });
    c.raiseLearningRate();
    expect(c.session.learningRate).toBe(10);
    expect(c.message?.text).toBe('learning rate is at the top of the ladder (10); type one with L');
    c.setLearningRate(1e-5);
    expect(c.message).toBeNull();
    c.lowerLearningRate();
    expect(c.session.learningRate).toBe(1e-5);
    expect(c.message?.text).toBe('learning rate is at the bottom of the ladder (1e-5); type one with L');
  });

  it('takes any finite rate > 0, also off the ladder', () => {
    const { c } = setup();
    c.setLearningRate(0.033);
    expect(c.session.learningRate).toBe(0.033);
    c.raiseLearningRate();
    expect(c.session.learningRate).toBe(0.05);
  });

  it.each([Number.NaN, 0, -1, Number.POSITIVE_INFINITY])('refuses %s, keeps the old rate and says why', (lr) => {
    const { c } = setup();
    c.setLearningRate(lr);
    expect(c.session.learningRate).toBe(0.1);
    expect(c.message?.tone).toBe('error');
    expect(c.message?.text).toContain('learning rate must be a finite number > 0');
  });
});

describe('Controller: reset, new seed and setup changes', () => {
  it('reset brings back the initial weights and clears the history', () => {
    const { c, scheduler } = setup();
    const initial = values(c);
    const initialLoss = c.session.latest.loss;
    c.play();
    scheduler.run(1);
    expect(values(c)).not.toEqual(initial);
    c.reset();
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(c.session.epoch).toBe(0);
    expect(c.session.history.length).toBe(0);
    expect(values(c)).toEqual(initial);
    expect(c.session.latest.loss).toBe(initialLoss);
    expect(c.message?.text).toBe('reset to the initial weights of seed 42');
  });

  it('reset after done lets play go on from epoch 0', () => {
    const { c, scheduler } = setup({ epochs: 3 });
    c.play();
    scheduler.run();
    c.reset();
    expect(c.status).toBe('paused');
    c.stepOnce();
    expect(c.session.epoch).toBe(1);
  });

  it('new seed draws other weights and starts again, keeping lr and target', () => {
    const { c } = setup();
    const initial = values(c);
    c.setLearningRate(0.05);
    c.changeEpochs(10);
    c.stepOnce();
    c.newSeed();
    expect(c.session.config.seed).toBe(43);
    expect(c.options.seed).toBe(43);
    expect(c.session.epoch).toBe(0);
    expect(values(c)).not.toEqual(initial);
    expect(c.session.learningRate).toBe(0.05);
    expect(c.session.epochs).toBe(30);
    expect(c.message?.text).toBe('new seed 43: initial weights drawn again');
    c.reset();
    expect(c.session.config.seed).toBe(43);
  });

  it('apply starts a new session with the chosen options', () => {
    const { c, scheduler } = setup();
    c.play();
    scheduler.run(1);
    const old = c.session;
    c.apply({ ...c.options, dataset: 'moons', loss: 'hinge' });
    expect(c.session).not.toBe(old);
    expect(c.session.config.dataset.name).toBe('moons');
    expect(c.session.config.loss).toBe('hinge');
    expect(c.session.epoch).toBe(0);
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(c.stepsPerSecond).toBe(0);
    expect(c.message?.text).toBe('applied: training starts again from epoch 0');
  });

  it('apply keeps the old session and says why when hinge loss meets regression data', () => {
    const file = join(dir, 'line.csv');
    writeFileSync(file, '1,2.1\n2,3.9\n3,6.2\n');
    const { c } = setup({ dataFile: file });
    expect(c.session.config.dataset.y).toEqual([2.1, 3.9, 6.2]);
    c.stepOnce();
    const old = c.session;
    c.apply({ ...c.options, loss: 'hinge' });
    expect(c.session).toBe(old);
    expect(c.session.epoch).toBe(1);
    expect(c.options.loss).toBe('sse');
    expect(c.message?.tone).toBe('error');
    expect(c.message?.text).toContain('hinge loss needs two classes labelled -1/+1');
  });

  it('builds a big setup in slices: commands are answered meanwhile on the run on screen, then the new run takes its place', () => {
    const { c, scheduler } = setup();
    const old = c.session;
    const big: RunOptions = { ...c.options, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge' };
    c.apply(big);
    expect(c.building).toBe(true);
    expect(c.session).toBe(old);
    expect(c.message?.text).toBe('building moons (1000 samples), layers 32,32: keys work meanwhile');
    c.stepOnce(); // a key pressed while it builds
    expect(old.epoch).toBe(1);
    scheduler.run(1); // the session
    expect(c.building).toBe(true);
    expect(c.session).toBe(old);
    scheduler.run(1); // its compiled replay
    expect(c.building).toBe(true);
    c.stepOnce();
    expect(old.epoch).toBe(2);
    scheduler.run(1); // its first evaluation, then it takes the place of the run
    expect(c.building).toBe(false);
    expect(c.session).not.toBe(old);
    expect(c.session.evaluated).toBe(true); // the first frame of it has its figures
    expect(c.session.config.dataset.x).toHaveLength(1000);
    expect(c.session.config.layers).toEqual([32, 32]);
    expect(c.message?.text).toBe('applied: training starts again from epoch 0');
    expect(Array.from(c.previous ?? [])).toHaveLength(2);
  });

  it('n pressed twice while a big run builds draws the seed after the one being built (42, 43, 44)', () => {
    const { c, scheduler } = setup({ dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge', seed: 42 });
    c.newSeed();
    expect(c.building).toBe(true);
    c.newSeed(); // before the first build has taken the place of the run
    scheduler.run();
    expect(c.building).toBe(false);
    expect(c.options.seed).toBe(44);
    expect(c.session.config.seed).toBe(44);
    expect(c.message?.text).toMatch(/^new seed 44: initial weights drawn again/);
  });

  it('a setup applied while a big one builds replaces it; dispose cancels the build', () => {
    const { c, scheduler } = setup();
    c.apply({ ...c.options, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge' });
    c.apply({ ...c.options, layers: [3] }); // small: at once
    expect(c.building).toBe(false);
    expect(c.session.config.layers).toEqual([3]);
    scheduler.run();
    expect(c.session.config.layers).toEqual([3]);
    c.apply({ ...c.options, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge' });
    c.dispose();
    expect(scheduler.pending).toBe(0);
    expect(c.session.config.layers).toEqual([3]);
  });

  it('apply keeps the old session and says why when the data file is missing', () => {
    const { c } = setup();
    const old = c.session;
    const missing = join(dir, 'missing.csv');
    c.apply({ ...c.options, dataFile: missing });
    expect(c.session).toBe(old);
    expect(c.options.dataFile).toBeUndefined();
    expect(c.message?.tone).toBe('error');
    expect(c.message?.text).toContain(missing);
  });
});

describe('Controller: divergence', () => {
  it('pauses in state diverged with finite parameters and suggests a lower learning rate', () => {
    const { c, scheduler } = setup(EXPLODES);
    c.play();
    scheduler.run(200);
    expect(c.status).toBe('diverged');
    expect(c.playing).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(c.message?.tone).toBe('error');
    const d = c.session.divergence!;
    expect(c.message?.text).toBe(`diverged at epoch ${d.epoch}: back to epoch ${d.restoredFrom}'s weights; lower lr (-), space`);
    expect(values(c).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(c.session.latest.loss)).toBe(true);
  });

  it('plays on once the learning rate is lowered', () => {
    const { c, scheduler } = setup(EXPLODES);
    c.play();
    scheduler.run(200);
    const epoch = c.session.epoch;
    c.setLearningRate(1e-5);
    c.play();
    expect(c.status).toBe('running');
    scheduler.run(1);
    expect(c.session.epoch).toBeGreaterThan(epoch);
    expect(c.status).toBe('running');
  });

  it('also diverges with an injected session: linear regression at lr 1e6', () => {
    const scheduler = new ManualScheduler();
    const session = new TrainingSession({
      dataset: { name: 'line', source: 'line', x: [[0.5], [1], [1.5], [2]], y: [1.2, 2.1, 2.9, 4.2] },
      layers: [3],
      activation: 'linear',
      outputActivation: 'linear',
      loss: 'mse',
      learningRate: 1e6,
      epochs: 500,
      seed: 1,
    });
    const c = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, learningRate: 1e6, epochs: 500, seed: 1 }, scheduler, session });
    expect(c.session).toBe(session);
    c.play();
    scheduler.run(200);
    expect(c.status).toBe('diverged');
    expect(c.playing).toBe(false);
    expect(values(c).every(Number.isFinite)).toBe(true);
  });
});

describe('Controller: listeners', () => {
  it('notifies subscribers on every command and stops after unsubscribe', () => {
    const { c } = setup();
    const listener = vi.fn();
    const unsubscribe = c.subscribe(listener);
    c.stepOnce();
    c.raiseLearningRate();
    c.changeEpochs(10);
    expect(listener).toHaveBeenCalledTimes(3);
    unsubscribe();
    c.stepOnce();
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('notifies after each slice of play', () => {
    const { c, scheduler } = setup({ epochs: 1000 });
    const listener = vi.fn();
    c.subscribe(listener);
    c.play();
    listener.mockClear();
    scheduler.run(3);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('stops ticking and notifying after dispose', () => {
    const { c, scheduler } = setup({ epochs: 1000 });
    const listener = vi.fn();
    c.subscribe(listener);
    c.play();
    scheduler.run(1);
    const epoch = c.session.epoch;
    listener.mockClear();
    c.dispose();
    expect(c.playing).toBe(false);
    scheduler.run();
    expect(c.session.epoch).toBe(epoch);
    c.stepOnce();
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('Controller with its run files: autosave never overwrites the run before a reset', () => {
  it('autosaves as it steps, then turns autosave off for the new run after r, n or a new setup, and says so', () => {
    for (const start of [(c: Controller) => c.reset(), (c: Controller) => c.newSeed(), (c: Controller) => c.apply({ ...c.options, layers: [3] })]) {
      const { c } = setup({ epochs: 100 });
      const path = join(dir, 'auto.ckpt');
      const files = attachRunFiles(c, { autosave: { path, every: 5 } });
      for (let i = 0; i < 12; i++) c.stepOnce();
      const saved = readFileSync(path, 'utf8');
      expect(JSON.parse(saved).epoch).toBe(10);
      start(c);
      expect(c.message?.text).toContain(`autosave to ${path} is off for this new run (w saves it)`);
      for (let i = 0; i < 12; i++) c.stepOnce();
      // The closing line says the autosave file still holds the run before (seed 42, epoch 10).
      expect(files.finish()).toEqual({ written: [], failures: [], kept: [{ path, holds: 'seed 42, epoch 10' }] });
      expect(readFileSync(path, 'utf8')).toBe(saved);
    }
  });

  it('shows a failing autosave as an error, once, and trains on', () => {
    const { c } = setup({ epochs: 100 });
    const path = join(dir, 'missing', 'auto.ckpt');
    attachRunFiles(c, { autosave: { path, every: 1 } });
    c.stepOnce();
    expect(c.message).toEqual({ text: `autosave failed, training goes on: ${path}: cannot save: no such directory`, tone: 'error' });
    c.stepOnce();
    expect(c.message).toBeNull();
    expect(c.session.epoch).toBe(2);
  });
});
