import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { openSession } from '../../src/cli/open-session.js';
import { CLASS_PRESETS } from '../../src/train/presets.js';
import { openCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { createSession, type RunOptions } from '../../src/train/setup.js';
import { datasetLabel } from '../../src/tui/describe.js';
import { userError } from '../helpers/user-error.js';
import { runCli } from '../cli/capture.js';

const dir = mkdtempSync(join(tmpdir(), 'classes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Three classes in 3 inputs: the class is the coordinate with the largest value (120 samples). */
function threeClassCsv(): string {
  const path = join(dir, 'three.csv');
  const rows = ['a,b,c,class'];
  for (let i = 0; i < 120; i++) {
    const x = [Math.sin(i * 1.7), Math.sin(i * 2.3 + 1), Math.sin(i * 0.9 + 2)];
    rows.push([...x.map((v) => v.toFixed(4)), x.indexOf(Math.max(...x))].join(','));
  }
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

const SPIRAL3 = parseCli(['--dataset', 'spiral', '--classes', '3']).run;

describe('K classes', () => {
  it('spiral --classes 3 with its preset reaches at least 90% accuracy, headless', async () => {
    expect(SPIRAL3).toMatchObject({ ...CLASS_PRESETS.spiral, classes: 3, loss: 'ce' });
    const session = createSession(SPIRAL3);
    expect(session.model.sizes).toEqual([2, 24, 24, 3]);
    expect(session.outputActivation).toBe('linear');
    expect(session.latest.outputs[0]).toHaveLength(3);
    const r = await runCli(['--headless', '--dataset', 'spiral', '--classes', '3']);
    expect(r.code).toBe(0);
    const summary = /final loss [\d.]+, accuracy ([\d.]+)%$/m.exec(r.out);
    expect(Number(summary?.[1])).toBeGreaterThanOrEqual(90);
    expect(r.out).not.toContain('R²');
  });

  it('spiral --classes 5 with its preset reaches at least 90% accuracy', () => {
    const session = createSession(parseCli(['--dataset', 'spiral', '--classes', '5']).run);
    while (session.status === 'ready') session.step();
    expect(session.latest.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('blobs --classes 4 with its preset reaches at least 95% accuracy', () => {
    const session = createSession(parseCli(['--dataset', 'blobs', '--classes', '4']).run);
    while (session.status === 'ready') session.step();
    expect(session.latest.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('a data file of classes 0, 1, 2 learns, with ce as its loss unless --loss says otherwise', () => {
    const file = threeClassCsv();
    const { run, session } = openSession(parseCli(['--headless', '--data', file]));
    expect(run.loss).toBe('ce');
    expect(session.config.dataset.classes).toBe(3);
    expect(datasetLabel(session.config.dataset)).toBe('three.csv (120, 3 classes)');
    while (session.status === 'ready') session.step();
    expect(session.latest.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(openSession(parseCli(['--headless', '--data', file, '--loss', 'mse'])).run.loss).toBe('mse');
    expect(openSession(parseCli(['--headless', '--data', file, '--task', 'regression'])).session.model.sizes.at(-1)).toBe(1);
  });

  it('the tape gives the graph\'s losses and parameters for ce, to 1e-12 relative', () => {
    const options: RunOptions = { ...SPIRAL3, size: 40, l2: 1e-3, epochs: 15 };
    const tape = createSession({ ...options, engine: 'tape' });
    const graph = createSession({ ...options, engine: 'graph' });
    const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
    for (let i = 0; i < 15; i++) expect(relative(tape.step().loss, graph.step().loss)).toBeLessThan(1e-12);
    const p = graph.parameters();
    tape.parameters().forEach((v, i) => expect(relative(v, p[i] as number)).toBeLessThan(1e-12));
  });

  it('a K-output checkpoint resumes exactly where it stopped', () => {
    const options: RunOptions = { ...SPIRAL3, size: 30, epochs: 20 };
    const straight = createSession(options);
    for (let i = 0; i < 20; i++) straight.step();
    const first = createSession(options);
    for (let i = 0; i < 8; i++) first.step();
    const path = join(dir, 'spiral3.ckpt');
    saveCheckpoint(path, options, first);
    const { options: loaded, session } = openCheckpoint(path);
    expect(loaded.classes).toBe(3);
    expect(session.model.sizes.at(-1)).toBe(3);
    while (session.status === 'ready') session.step();
    expect(Array.from(session.history.losses())).toEqual(Array.from(straight.history.losses()));
    expect(Array.from(session.parameters())).toEqual(Array.from(straight.parameters()));
  });

  it('two classes keep -1/+1 labels and one output', () => {
    const session = createSession(parseCli(['--dataset', 'spiral', '--classes', '2']).run);
    expect(session.config.dataset.y.every((t) => t === 1 || t === -1)).toBe(true);
    expect(session.model.sizes.at(-1)).toBe(1);
    expect(session.config.loss).toBe('hinge');
  });
});

describe('refusals, in one line', () => {
  it.each([
    [['--dataset', 'moons', '--classes', '3'], '--classes applies to spiral and blobs; moons has two classes'],
    [['--data', 'x.csv', '--classes', '3'], '--classes applies to generated datasets, not to a data file (its targets say how many classes there are; see --task)'],
    [['--dataset', 'spiral', '--classes', '21'], '--classes must be an integer from 2 to 20 (got "21")'],
    [['--task', 'binary'], '--task must be one of auto, regression, classification (got "binary")'],
  ])('%j', async (args, message) => {
    const r = await runCli(['--headless', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`micrograd-tui: ${message}\n`);
  });

  it('a loss that does not fit the classes', () => {
    expect(userError(() => createSession({ ...SPIRAL3, loss: 'hinge' }))).toBe(
      'hinge loss needs two classes labelled -1/+1 (or 0/1); spiral is 3 classes (use ce, softmax cross-entropy)',
    );
    expect(userError(() => createSession(parseCli(['--dataset', 'moons', '--loss', 'ce']).run))).toBe(
      'ce loss needs 3 or more classes numbered 0..K-1; moons is 2 classes (for two classes use bce, the same loss on one score)',
    );
  });

  it('more classes than samples', () => {
    expect(userError(() => createSession({ ...SPIRAL3, size: 2 }))).toBe('3 classes need at least 3 samples, got a size of 2');
  });
});

describe('--task regression', () => {
  it('reads -1/+1 targets as numbers: R² instead of accuracy, a linear output, no hinge', () => {
    const run = parseCli(['--dataset', 'moons', '--task', 'regression', '--loss', 'mse']).run;
    const session = createSession(run);
    expect(session.isClassification).toBe(false);
    expect(session.outputActivation).toBe('linear');
    session.step();
    expect(session.latest.accuracy).toBeNull();
    expect(session.latest.r2).not.toBeNull();
    expect(datasetLabel(session.config.dataset)).toBe('moons (100, regression)');
    expect(userError(() => createSession({ ...run, loss: 'hinge' }))).toMatch(/^hinge loss needs two classes labelled -1\/\+1 \(or 0\/1\); moons is regression/);
  });
});
