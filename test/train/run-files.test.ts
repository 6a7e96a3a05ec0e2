import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { RunFiles, type RunFilePaths } from '../../src/train/run-files.js';
import type { TrainingSession } from '../../src/train/session.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'run-files-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(paths: RunFilePaths = {}, epochs = 100) {
  const run = { options: { ...DEFAULT_RUN_OPTIONS, epochs } as RunOptions, session: null as unknown as TrainingSession };
  run.session = createSession(run.options);
  return { run, files: new RunFiles(paths, () => run) };
}

const savedEpoch = (path: string): number => (JSON.parse(readFileSync(path, 'utf8')) as { epoch: number }).epoch;

describe('RunFiles', () => {
  it('writes a relative name into the directory it was given, and an absolute one where it says', () => {
    const run = { options: DEFAULT_RUN_OPTIONS, session: createSession(DEFAULT_RUN_OPTIONS) };
    const files = new RunFiles({}, () => run, { directory: dir });
    files.save('run.ckpt');
    files.exportHistory('history.csv');
    expect(savedEpoch(join(dir, 'run.ckpt'))).toBe(0);
    expect(readFileSync(join(dir, 'history.csv'), 'utf8')).toMatch(/^epoch,loss,/);
    expect(files.wouldReplace('run.ckpt')).toBe(false); // its own file
    writeFileSync(join(dir, 'other.ckpt'), '');
    expect(files.wouldReplace('other.ckpt')).toBe(true);
    files.save(join(dir, 'sub.ckpt'));
    expect(savedEpoch(join(dir, 'sub.ckpt'))).toBe(0);
  });

  it('autosaves each time training crosses a multiple of `every`, and not between', () => {
    const path = join(dir, 'auto.ckpt');
    const { run, files } = setup({ autosave: { path, every: 3 } });
    const saves: number[] = [];
    for (let i = 0; i < 10; i++) {
      run.session.step();
      expect(files.autosaveIfDue()).toBeNull();
      try {
        saves.push(savedEpoch(path));
      } catch {
        // not written yet
      }
    }
    expect([...new Set(saves)]).toEqual([3, 6, 9]);
    for (let i = 0; i < 7; i++) run.session.step(); // a slice of several epochs crosses 12 and 15
    files.autosaveIfDue();
    expect(savedEpoch(path)).toBe(17);
  });

  it('reports a failing autosave once per distinct failure and never throws', () => {
    const sub = join(dir, 'sub');
    const path = join(sub, 'auto.ckpt');
    const { run, files } = setup({ autosave: { path, every: 1 } });
    run.session.step();
    expect(files.autosaveIfDue()).toBe(`autosave failed, training goes on: ${path}: cannot save: no such directory`);
    run.session.step();
    expect(files.autosaveIfDue()).toBeNull();
    mkdirSync(sub);
    run.session.step();
    expect(files.autosaveIfDue()).toBeNull();
    expect(savedEpoch(path)).toBe(3);
  });

  it('stops autosaving for a new run and says so, once', () => {
    const path = join(dir, 'auto.ckpt');
    const { run, files } = setup({ autosave: { path, every: 1 } });
    expect(files.savePath).toBe(path);
    expect(files.newRun()).toBe(`; autosave to ${path} is off for this new run (w saves it)`);
    expect(files.savePath).toBeUndefined();
    expect(files.newRun()).toBe('');
    run.session.step();
    files.autosaveIfDue();
    expect(files.finish()).toEqual({ written: [], failures: [], kept: [] });
    expect(() => readFileSync(path)).toThrow();
  });

  it('knows its own files: the one it was loaded from and every one it wrote', () => {
    const loaded = join(dir, 'loaded.ckpt');
    const other = join(dir, 'other.ckpt');
    const history = join(dir, 'history.csv');
    for (const path of [loaded, other, history]) writeFileSync(path, 'x');
    const { files } = setup({ load: loaded });
    expect(files.savePath).toBe(loaded);
    expect(files.wouldReplace(loaded)).toBe(false);
    expect(files.wouldReplace(other)).toBe(true);
    expect(files.wouldReplace(join(dir, 'new.ckpt'))).toBe(false);
    files.save(other);
    expect(files.wouldReplace(other)).toBe(false);
    files.exportHistory(history);
    expect(files.wouldReplace(history)).toBe(false);
    expect(readFileSync(history, 'utf8')).toBe('epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from\n');
  });

  it('throws a one-line UserError when a save fails', () => {
    const { files } = setup();
    expect(() => files.save(join(dir, 'missing', 'a.ckpt'))).toThrow(UserError);
  });

  it('writes the autosave, --save and --export-history files at the end, --save once when it is the autosave file', () => {
    const auto = join(dir, 'auto.ckpt');
    const csv = join(dir, 'h.csv');
    const { run, files } = setup({ autosave: { path: auto, every: 50 }, save: auto, exportHistory: csv }, 7);
    while (run.session.status === 'ready') run.session.step();
    expect(files.finish()).toEqual({
      written: [
        { path: auto, what: 'saved', holds: 'seed 42, epoch 7' },
        { path: csv, what: 'wrote the history to', holds: 'seed 42, epoch 7' },
      ],
      failures: [],
      kept: [],
    });
    expect(savedEpoch(auto)).toBe(7);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(8);
  });

  it('goes on with the other files when one fails, and says which', () => {
    const bad = join(dir, 'missing', 'a.ckpt');
    const csv = join(dir, 'h.csv');
    const { files } = setup({ save: bad, exportHistory: csv });
    expect(files.finish()).toEqual({
      written: [{ path: csv, what: 'wrote the history to', holds: 'seed 42, epoch 0' }],
      failures: [`${bad}: cannot save: no such directory`],
      kept: [],
    });
  });
});

describe('RunFiles: a throttled autosave', () => {
  it('waits nine times as long as the last save took, then saves when due', () => {
    const path = join(dir, 'auto.ckpt');
    let clock = 0;
    const run = { options: { ...DEFAULT_RUN_OPTIONS, epochs: 100 } as RunOptions, session: null as unknown as TrainingSession };
    run.session = createSession(run.options);
    const ticks = [0, 0, 10]; // the clock when asked, when the save starts and ends: it takes 10 ms
    const files = new RunFiles({ autosave: { path, every: 1 } }, () => run, { now: () => ticks.shift() ?? clock });
    run.session.step();
    files.autosaveIfDue({ throttle: true });
    expect(savedEpoch(path)).toBe(1);
    clock = 99; // before 10 + 9 * 10
    run.session.step();
    files.autosaveIfDue({ throttle: true });
    expect(savedEpoch(path)).toBe(1);
    files.autosaveIfDue(); // unthrottled: a single step saves when due
    expect(savedEpoch(path)).toBe(2);
  });
});
