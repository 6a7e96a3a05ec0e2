import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CHECKPOINT_FORMAT,
  defaultCheckpointName,
  MAX_CHECKPOINT_BYTES,
  loadCheckpoint,
  openCheckpoint,
  saveCheckpoint,
} from '../../src/train/checkpoint.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import { userError } from '../helpers/user-error.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ckpt-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MOONS: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 30, noise: 0.1, layers: [6, 4], activation: 'relu', loss: 'hinge', l2: 1e-4, learningRate: 0.05, epochs: 40, seed: 7 };

/** A valid checkpoint of the classic run after 5 epochs, as a plain object to spoil. */
function validDoc(): Record<string, any> {
  const session = createSession({ ...DEFAULT_RUN_OPTIONS, epochs: 10 });
  for (let i = 0; i < 5; i++) session.step();
  const path = join(dir, 'valid.ckpt');
  saveCheckpoint(path, DEFAULT_RUN_OPTIONS, session);
  return JSON.parse(readFileSync(path, 'utf8'));
}

function writeDoc(doc: unknown, name = 'run.ckpt'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

describe('checkpoints', () => {
  it('keep the test R² of a regression with a test set', () => {
    const data = join(dir, 'line.csv');
    writeFileSync(data, Array.from({ length: 20 }, (_, i) => `${i},${3 * i + 1}`).join('\n'));
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataFile: data, layers: [4], loss: 'mse', learningRate: 0.01, epochs: 10, testFraction: 0.25 };
    const session = createSession(options);
    for (let i = 0; i < 6; i++) session.step();
    const testR2 = Array.from(session.history.testR2s());
    expect(testR2.every(Number.isFinite)).toBe(true);
    const path = join(dir, 'line.ckpt');
    saveCheckpoint(path, options, session);
    expect(Array.from(openCheckpoint(path).session.history.testR2s())).toEqual(testR2);
  });

  it('resume gives exactly the losses of an uninterrupted run', () => {
    const straight = createSession(MOONS);
    for (let i = 0; i < 40; i++) straight.step();

    const first = createSession(MOONS);
    for (let i = 0; i < 15; i++) first.step();
    const path = join(dir, 'moons.ckpt');
    saveCheckpoint(path, MOONS, first);

    const { session: resumed } = openCheckpoint(path);
    expect(resumed.epoch).toBe(15);
    while (resumed.status === 'ready') resumed.step();
    expect(resumed.epoch).toBe(40);
    expect(Array.from(resumed.history.losses())).toEqual(Array.from(straight.history.losses()));
    expect(Array.from(resumed.history.accuracies())).toEqual(Array.from(straight.history.accuracies()));
    expect(resumed.snapshot().map((p) => p.value)).toEqual(straight.snapshot().map((p) => p.value));
  });

  it('keeps the run options, the learning rate, the target and the history', () => {
    const session = createSession(MOONS);
    for (let i = 0; i < 3; i++) session.step();
    session.setLearningRate(0.01);
    session.step();
    session.setEpochs(99);
    const path = join(dir, 'run.ckpt');
    saveCheckpoint(path, MOONS, session);

    const { options, training } = loadCheckpoint(path);
    expect(options).toEqual({ ...MOONS, learningRate: 0.01, epochs: 99 });
    expect(training.epoch).toBe(4);
    expect(training.history.learningRate).toEqual([0.05, 0.05, 0.05, 0.01]);
    expect(training.history.loss).toEqual(Array.from(session.history.losses()));
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(`"format": "${CHECKPOINT_FORMAT}"`);
    expect(text).toContain('"version": 2');
  });

  it.each<[string, Partial<RunOptions>]>([
    ['momentum 0.9', { momentum: 0.9 }],
    ['adam', { optimizer: 'adam', learningRate: 0.01 }],
    ['momentum and a step schedule', { momentum: 0.9, lrSchedule: 'step', lrStep: 4 }],
    ['adam and a cosine schedule', { optimizer: 'adam', learningRate: 0.02, lrSchedule: 'cosine', lrFinal: 0.001 }],
  ])('resume with %s is bit for bit the run that never stopped', (_, optimizer) => {
    const options: RunOptions = { ...MOONS, ...optimizer, epochs: 20 };
    const straight = createSession(options);
    while (straight.status === 'ready') straight.step();
    const first = createSession(options);
    for (let i = 0; i < 10; i++) first.step();
    const path = join(dir, 'opt.ckpt');
    saveCheckpoint(path, options, first);
    const { session: resumed, options: loaded } = openCheckpoint(path);
    expect(loaded).toEqual(options);
    while (resumed.status === 'ready') resumed.step();
    expect(Array.from(resumed.history.losses())).toEqual(Array.from(straight.history.losses()));
    expect(resumed.snapshot()).toEqual(straight.snapshot());
    expect(resumed.optimizerState()).toEqual(straight.optimizerState());
  });

  it('reads a version 1 checkpoint (no optimiser state) and trains on from it', () => {
    const path = new URL('../fixtures/v1-moons.ckpt', import.meta.url).pathname;
    const { options, session } = openCheckpoint(path);
    expect(options).toEqual({ dataset: 'moons', size: 12, layers: [3], activation: 'relu', loss: 'hinge', l2: 1e-4, seed: 42, learningRate: 0.1, epochs: 5 });
    expect(session.epoch).toBe(5);
    // Plain SGD carries nothing between updates: the resumed run is the straight one.
    const straight = createSession({ ...options, epochs: 8 });
    while (straight.status === 'ready') straight.step();
    session.setEpochs(8);
    while (session.status === 'ready') session.step();
    expect(Array.from(session.history.losses())).toEqual(Array.from(straight.history.losses()));
    expect(session.snapshot()).toEqual(straight.snapshot());
  });

  it('keeps the engine the run chose', () => {
    const options: RunOptions = { ...MOONS, engine: 'graph' };
    const session = createSession(options);
    session.step();
    const path = join(dir, 'graph.ckpt');
    saveCheckpoint(path, options, session);
    const { options: loaded } = loadCheckpoint(path);
    expect(loaded.engine).toBe('graph');
    expect(createSession(loaded).engine).toBe('graph');
  });

  it('stores a data file relative to the checkpoint and finds it from another directory', () => {
    mkdirSync(join(dir, 'data'));
    const csv = join(dir, 'data', 'points.csv');
    writeFileSync(csv, 'x1,x2,y\n0,1,1\n1,0,-1\n1,1,1\n0,0,-1\n');
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataFile: csv, layers: [3] };
    const session = createSession(options);
    session.step();
    const path = join(dir, 'run.ckpt');
    saveCheckpoint(path, options, session);
    expect(JSON.parse(readFileSync(path, 'utf8')).run.dataFile).toBe(join('data', 'points.csv'));
    expect(openCheckpoint(path).options.dataFile).toBe(csv);
  });

  it.each([
    ['0/1', [0, 1, 1, 0, 1, 0]],
    ['0..2', [0, 1, 2, 0, 1, 2]],
  ])('continue a run saved before --task existed, whose %s targets trained as numbers, as the regression it was', (_, targets) => {
    const csv = join(dir, 'points.csv');
    writeFileSync(csv, `x1,x2,y\n${targets.map((t, i) => `${i % 3},${i % 2},${t}`).join('\n')}\n`);
    // What such a run saved: the targets as given (a regression) and no task in its options.
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataFile: csv, layers: [3], loss: 'mse', task: 'regression' };
    const session = createSession(options);
    session.step();
    const path = join(dir, 'old.ckpt');
    saveCheckpoint(path, options, session);
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    delete doc.run.task;
    writeDoc(doc, 'old.ckpt');

    const opened = openCheckpoint(path);
    expect(opened.options.task).toBe('regression');
    expect(opened.session.config.dataset.y).toEqual(targets);
    expect(Array.from(opened.session.parameters())).toEqual(Array.from(session.parameters()));
  });

  it('ignores unknown keys', () => {
    const doc = validDoc();
    doc.comment = 'saved by a newer tool';
    doc.run.dropout = 0.5;
    doc.history.gradNorm = [1, 2, 3, 4, 5];
    expect(openCheckpoint(writeDoc(doc)).session.epoch).toBe(5);
  });

  it('gives __proto__ keys no effect', () => {
    const doc = validDoc();
    const { layers, ...run } = doc.run;
    const text = JSON.stringify({ ...doc, run })
      .replace('"run":{', `"run":{"__proto__":{"layers":${JSON.stringify(layers)},"polluted":1},`)
      .replace('{"format"', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"format"');
    expect(userError(() => loadCheckpoint(writeDoc(text)))).toMatch(/run\.ckpt: run\.layers is missing$/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const harmless = JSON.stringify(doc).replace('{"format"', '{"__proto__":{"epoch":0,"polluted":1},"format"');
    const { options, training } = loadCheckpoint(writeDoc(harmless));
    expect(training.epoch).toBe(5);
    expect(Object.getPrototypeOf(options)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  type Spoil = (doc: Record<string, any>) => unknown;
  it.each<[string, Spoil, string]>([
    ['a non-finite parameter', (d) => JSON.stringify(d).replace(/"parameters":\[((?:[^,\]]+,){12})[^,\]]+/, '"parameters":[$11e400'), 'parameters[12] is not a finite number'],
    ['a string parameter', (d) => (d.parameters[3] = 'x', d), 'parameters[3] is not a number'],
    ['a null parameter', (d) => (d.parameters[0] = null, d), 'parameters[0] is not a number'],
    ['too few parameters', (d) => (d.parameters.pop(), d), 'parameters has 40 numbers, but layers 4,4 on 3 inputs need 41'],
    ['layers that do not fit the parameters', (d) => (d.run.layers = [4, 3], d), 'parameters has 41 numbers, but layers 4,3 on 3 inputs need 35'],
    ['a zero layer size', (d) => (d.run.layers = [4, 0], d), 'run.layers[1] must be an integer from 1 to 256'],
    ['an unknown activation', (d) => (d.run.activation = 'gelu', d), 'run.activation must be one of tanh, relu, sigmoid, linear'],
    ['an unknown dataset', (d) => (d.run.dataset = '__proto__', d), 'run.dataset must be one of'],
    ['a negative learning rate', (d) => (d.learningRate = -1, d), 'learningRate must be > 0'],
    ['a fractional epoch', (d) => (d.epoch = 2.5, d), 'epoch must be an integer from 0 to 10000000'],
    ['a target below the epoch', (d) => (d.epochs = 4, d), 'epochs must be >= epoch (5)'],
    ['a short history', (d) => (d.history.loss.pop(), d), 'history.loss has 4 entries, expected one per epoch (5)'],
    ['an accuracy above 1', (d) => (d.history.accuracy[2] = 2, d), 'history.accuracy[2] must be from 0 to 1'],
    ['no run', (d) => (delete d.run, d), 'run is missing'],
    ['a run that is an array', (d) => (d.run = [], d), 'run is not an object'],
    ['a string size', (d) => (d.run.size = '100', d), 'run.size is not a number'],
    ['a newer version', (d) => (d.version = 3, d), 'checkpoint version 3 is newer than this program reads (2); upgrade micrograd-tui'],
    ['a version as text', (d) => (d.version = '1', d), 'version must be 1 or 2, got "1"'],
    ['an unknown optimizer', (d) => (d.run.optimizer = 'rmsprop', d), 'run.optimizer must be one of sgd, adam'],
    ['a momentum of 1', (d) => (d.run.momentum = 1, d), 'run.momentum must be from 0 to below 1'],
    ['a short velocity', (d) => ((d.run.momentum = 0.9), (d.optimizerState.buffers.velocity = [0]), d), 'the saved optimiser state does not fit: optimiser state must have velocity of 41 numbers each'],
    ['Adam without its moments', (d) => (d.run.optimizer = 'adam', d), 'the saved optimiser state does not fit: optimiser state must have m, v of 41 numbers each'],
    ['a non-finite moment', (d) => ((d.optimizerState.buffers.m = [null]), d), 'optimizerState.buffers.m[0] is not a number'],
    ['no format', (d) => (delete d.format, d), 'not a micrograd-tui checkpoint (expected "format": "micrograd-tui-checkpoint")'],
    ['a JSON array', () => '[1,2,3]', 'not a micrograd-tui checkpoint'],
    ['truncated JSON', (d) => JSON.stringify(d).slice(0, 100), 'not valid JSON'],
    ['an empty file', () => '', 'not valid JSON'],
    ['a version nested 10,000 deep', (d) => JSON.stringify({ ...d, version: 0 }).replace('"version":0', `"version":${'['.repeat(10_000)}${']'.repeat(10_000)}`), 'version must be 1 or 2, got an array'],
    ['parameters nested 10,000 deep', (d) => JSON.stringify(d).replace('"parameters":[', `"parameters":[${'['.repeat(10_000)}${']'.repeat(10_000)},`), 'parameters[0] is not a number'],
  ])('refuses %s with one line naming the file and the field', (_, spoil, message) => {
    const path = writeDoc(spoil(validDoc()));
    const text = userError(() => openCheckpoint(path));
    expect(text).toContain(`${path}: ${message}`);
    expect(text).not.toContain('\n');
  });

  it('refuses a file over the size limit, naming the limit', () => {
    const path = join(dir, 'huge.ckpt');
    writeFileSync(path, '{');
    truncateSync(path, MAX_CHECKPOINT_BYTES + 1); // sparse: no 64 MiB actually written
    expect(userError(() => loadCheckpoint(path))).toBe(`${path}: file is ${MAX_CHECKPOINT_BYTES + 1} bytes, the limit is ${MAX_CHECKPOINT_BYTES} bytes`);
  });

  it('refuses a missing file and a directory', () => {
    expect(userError(() => loadCheckpoint(join(dir, 'nope.ckpt')))).toBe(`${join(dir, 'nope.ckpt')}: no such file`);
    expect(userError(() => loadCheckpoint(dir))).toBe(`${dir}: is a directory, expected a file`);
  });
});

describe('defaultCheckpointName', () => {
  it('names the data and the model', () => {
    expect(defaultCheckpointName(MOONS)).toBe('moons-6-4-relu-hinge.ckpt');
    expect(defaultCheckpointName({ ...DEFAULT_RUN_OPTIONS, dataFile: '/data/my points.csv' }, '.csv')).toBe('my_points-4-4-tanh-sse.csv');
  });
});
