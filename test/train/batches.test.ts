import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subset } from '../../src/data/split.js';
import { epochOrder } from '../../src/train/batches.js';
import { openCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import type { TrainingSession } from '../../src/train/session.js';

const dir = mkdtempSync(join(tmpdir(), 'batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 40 moons samples, 30 of them training: batches of 8 make 4 updates an epoch, the last of 6.
const MOONS: RunOptions = {
  ...DEFAULT_RUN_OPTIONS,
  dataset: 'moons',
  size: 40,
  layers: [6],
  activation: 'relu',
  loss: 'hinge',
  l2: 1e-4,
  learningRate: 0.05,
  testFraction: 0.25,
  epochs: 12,
  batch: 8,
};

const run = (s: TrainingSession): void => {
  while (s.status === 'ready') s.step();
};
const losses = (s: TrainingSession): number[] => Array.from(s.history.losses());

describe('mini-batches', () => {
  it('shuffle the training samples each epoch, seeded by the run, and take one update per batch', () => {
    const s = createSession({ ...MOONS, optimizer: 'adam', learningRate: 0.01 });
    expect(s.batchSize).toBe(8);
    expect(s.batchesPerEpoch).toBe(4);
    const seen: number[][] = [];
    let report = null;
    while (report === null) {
      seen.push(s.nextBatch());
      report = s.stepBatch();
    }
    expect(seen.map((b) => b.length)).toEqual([8, 8, 8, 6]);
    expect(seen.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(seen.flat()).toEqual(Array.from(epochOrder(MOONS.seed, 0, 30)));
    expect(s.optimizerState().steps).toBe(4); // one Adam update per batch
    expect(report.epoch).toBe(1);
    expect(s.nextBatch()).not.toEqual(seen[0]); // epoch 2 draws another order
    expect(epochOrder(MOONS.seed + 1, 0, 30)).not.toEqual(epochOrder(MOONS.seed, 0, 30));
  });

  it("report an epoch's loss as the mean of its batch losses and its accuracy from the same passes", () => {
    const s = createSession(MOONS);
    s.step();
    const batchLosses: number[] = [];
    const sizes: number[] = [];
    let report = null;
    while (report === null) {
      const indices = s.nextBatch();
      // The batch's loss by the Value graph on a copy of the weights, before its update.
      batchLosses.push(s.stepGraph(s.copyModel(), subset(s.trainingData, indices, 'batch')).loss.data);
      sizes.push(indices.length);
      report = s.stepBatch();
    }
    const mean = batchLosses.reduce((sum, l, i) => sum + l * (sizes[i] as number), 0) / 30;
    expect(report.loss).toBeCloseTo(mean, 12);
    expect(s.history.losses()[1]).toBe(report.loss);
    expect(report.accuracy).toBeGreaterThan(0);
  });

  it('give the same run for the same seed, and another for another seed', () => {
    const a = createSession(MOONS);
    const b = createSession(MOONS);
    const c = createSession({ ...MOONS, seed: 43 });
    [a, b, c].forEach(run);
    expect(losses(a)).toEqual(losses(b));
    expect(a.parameters()).toEqual(b.parameters());
    expect(losses(c)).not.toEqual(losses(a));
  });

  it('of the whole set (or more) are the full-batch run, bit for bit', () => {
    const full = createSession({ ...MOONS, batch: undefined });
    const all = createSession({ ...MOONS, batch: 1000 });
    run(full);
    run(all);
    expect(all.batchSize).toBe(30);
    expect(losses(all)).toEqual(losses(full));
  });

  it.each<[string, Partial<RunOptions>]>([
    ['sgd', {}],
    ['momentum', { momentum: 0.9 }],
    ['adam', { optimizer: 'adam', learningRate: 0.01 }],
  ])('resume exactly through a checkpoint (%s), between epochs and in the middle of one', (_, optimizer) => {
    const options: RunOptions = { ...MOONS, ...optimizer };
    const straight = createSession(options);
    run(straight);
    const first = createSession(options);
    for (let i = 0; i < 5; i++) first.step();
    first.stepBatch(); // two of epoch 6's four updates
    first.stepBatch();
    const path = join(dir, 'batch.ckpt');
    saveCheckpoint(path, options, first);
    const { session: resumed } = openCheckpoint(path);
    expect(resumed.batchesDone).toBe(2);
    run(resumed);
    expect(losses(resumed)).toEqual(losses(straight));
    expect(resumed.parameters()).toEqual(straight.parameters());
    expect(resumed.optimizerState()).toEqual(straight.optimizerState());
  });

  it('show the batch size in the status line when it is not the whole set', async () => {
    const { renderApp } = await import('../tui/render-app.js');
    const app = await renderApp({ options: { ...MOONS, testFraction: undefined } });
    expect(app.lines().at(-2)).toMatch(/ · batch 8 · /);
    expect(app.lines().at(-3)).toMatch(/ · batch 8 · /); // and in the settings line, where a narrow status line leaves it out
    app.unmount();
    const whole = await renderApp({ options: { ...MOONS, batch: undefined } });
    expect(whole.lines().at(-2)).not.toContain('batch');
    whole.unmount();
  });
});
