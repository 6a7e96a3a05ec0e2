import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/data/datasets.js';
import { splitSamples } from '../../src/data/split.js';
import { TrainingSession } from '../../src/train/session.js';
import { checkpointText, loadCheckpoint } from '../../src/train/checkpoint.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { historyCsv } from '../../src/train/export.js';

describe('splitSamples', () => {
  const y = [...Array(60).fill(1), ...Array(40).fill(-1)] as number[];

  it('holds out the same share of each class, every sample once', () => {
    const { train, test } = splitSamples(y, 0.3, 42, true);
    expect(test).toHaveLength(30);
    expect(train).toHaveLength(70);
    expect(test.filter((i) => y[i] === 1)).toHaveLength(18);
    expect(test.filter((i) => y[i] === -1)).toHaveLength(12);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(y.map((_, i) => i));
  });

  it('is seeded: the same seed gives the same split, another seed another', () => {
    expect(splitSamples(y, 0.3, 7, true)).toEqual(splitSamples(y, 0.3, 7, true));
    expect(splitSamples(y, 0.3, 8, true).test).not.toEqual(splitSamples(y, 0.3, 7, true).test);
  });

  it('keeps at least one sample to train on, and holds none out at 0', () => {
    expect(splitSamples([1, -1], 0.9, 1, true).train.length).toBeGreaterThanOrEqual(1);
    expect(splitSamples(y, 0, 1, true).test).toEqual([]);
    expect(splitSamples([0.5, 1.5, 2.5, 3.5], 0.5, 1, false).test).toHaveLength(2);
  });
});

describe('a session with a test set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'split-'));

  it('trains on the rest only and reports the test loss and accuracy each epoch', () => {
    const session = new TrainingSession({ dataset: makeDataset('moons'), layers: [8], activation: 'tanh', loss: 'hinge', learningRate: 0.1, epochs: 5, seed: 3, testFraction: 0.3 });
    expect(session.trainData.x).toHaveLength(70);
    expect(session.testData?.x).toHaveLength(30);
    const report = session.step();
    expect(report.testLoss).toBeGreaterThan(0);
    expect(report.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(session.latest.outputs).toHaveLength(70);
    expect(session.latest.testOutputs).toHaveLength(30);
    expect(session.history.testLosses()[0]).toBe(report.testLoss);
    const plain = new TrainingSession({ dataset: makeDataset('moons'), layers: [8], activation: 'tanh', loss: 'hinge', learningRate: 0.1, epochs: 5, seed: 3 });
    const r = plain.step();
    expect(r.testLoss).toBeNull();
    expect(r.testAccuracy).toBeNull();
    expect(historyCsv(session.history).split('\n')[1]).toMatch(/^1,[\d.e-]+,[\d.]+,0\.1,[\d.e-]+,[\d.]+,,,$/);
  });

  it('the graph and tape engines give the same test figures', () => {
    const config = { dataset: makeDataset('moons'), layers: [4], activation: 'tanh' as const, loss: 'mse' as const, learningRate: 0.1, epochs: 3, seed: 2, testFraction: 0.2 };
    const tape = new TrainingSession({ ...config, engine: 'tape' });
    const graph = new TrainingSession({ ...config, engine: 'graph' });
    for (let i = 0; i < 3; i++) expect(tape.step().testLoss).toBe(graph.step().testLoss);
  });

  it('a checkpoint keeps the split and the test history', () => {
    const options = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', layers: [4], loss: 'hinge' as const, epochs: 4, testFraction: 0.25 };
    const session = createSession(options);
    session.step();
    session.step();
    const path = join(dir, 'split.ckpt');
    writeFileSync(path, checkpointText(path, options, session));
    const loaded = loadCheckpoint(path);
    expect(loaded.options.testFraction).toBe(0.25);
    expect(Array.from(loaded.training.history.testLoss ?? [])).toEqual(Array.from(session.history.testLosses()));
    const again = createSession(loaded.options);
    expect(again.split).toEqual(session.split);
    rmSync(dir, { recursive: true, force: true });
  });
});
