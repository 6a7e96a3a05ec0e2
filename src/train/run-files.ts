import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { oneLine } from '../io/one-line.js';
import { saveCheckpoint } from './checkpoint.js';
import { exportHistory } from './export.js';
import type { TrainingSession } from './session.js';
import type { RunOptions } from './setup.js';

/** The files a run was asked for on the command line (see docs/saving.md). */
export interface RunFilePaths {
  /** Save a checkpoint here every `every` epochs, at the end, and when stopped by a signal. */
  autosave?: { path: string; every: number };
  /** Save a checkpoint here at the end. */
  save?: string;
  /** Write the loss history as CSV here at the end. */
  exportHistory?: string;
  /** The checkpoint the run was loaded from. */
  load?: string;
}

/** The run the files belong to, read afresh on every write: a front end may start a new run. */
export type RunSource = () => { options: RunOptions; session: TrainingSession };

/** After an autosave that took d ms, a throttled one waits AUTOSAVE_SHARE * d ms: saving takes at most about a tenth of the time. */
const AUTOSAVE_SHARE = 9;

/** A file written at the end of a run. */
export interface Written {
  path: string;
  what: 'saved' | 'wrote the history to';
  /** Which run it holds and how far: `seed 42, epoch 200`. */
  holds: string;
}

/** A file an earlier run of this session wrote, left as it was at the end (its autosave, after r or n). */
export interface Kept {
  path: string;
  holds: string;
}

/**
 * A run's files, for every front end: checkpoints and history exports on request, the autosave
 * file, the files written at the end, and which files are the run's own (written by it or loaded
 * from), so a front end can ask before replacing anything else. Writes are atomic; failures are
 * one-line UserErrors or returned messages, never a crash.
 */
export class RunFiles {
  /** Where a save offers to write: the last checkpoint saved or loaded, if any. */
  savePath: string | undefined;
  private readonly own = new Set<string>();
  /** What each file this session saved holds now (`seed 42, epoch 200`), by the path it was saved to. */
  private readonly holding = new Map<string, string>();
  /** Autosave files of runs before a reset or a new setup. */
  private readonly earlier = new Set<string>();
  /** `notBefore`: when saving takes long (a long history, a slow disk), a throttled autosave waits. */
  private autosave: { path: string; every: number; lastEpoch: number; lastFailure: string; notBefore: number } | null = null;

  private readonly now: () => number;
  /** Where relative names are; undefined: the working directory. */
  private readonly directory: string | undefined;

  /** `now` and `directory` are for tests: a clock of their own, files in a scratch directory. */
  constructor(
    private readonly paths: RunFilePaths,
    private readonly run: RunSource,
    { now = () => performance.now(), directory }: { now?: () => number; directory?: string } = {},
  ) {
    this.now = now;
    this.directory = directory;
    this.savePath = paths.autosave?.path ?? paths.save ?? paths.load;
    if (paths.load !== undefined) this.claim(paths.load);
    if (paths.autosave !== undefined) {
      this.autosave = { ...paths.autosave, lastEpoch: run().session.epoch, lastFailure: '', notBefore: 0 };
    }
  }

  /** Count `path` as this run's own. */
  claim(path: string): void {
    this.own.add(resolve(this.at(path)));
  }

  /** True when writing `path` would replace a file that this run did not write or come from. */
  wouldReplace(path: string): boolean {
    return existsSync(this.at(path)) && !this.own.has(resolve(this.at(path)));
  }

  /** Save a checkpoint of the run to `path`, atomically. Throws a one-line UserError. */
  save(path: string): void {
    const { options, session } = this.run();
    saveCheckpoint(this.at(path), options, session);
    this.claim(path);
    this.holding.set(path, this.holds());
  }

  /** What a file written now holds: the run's seed and epoch. */
  private holds(): string {
    const { options, session } = this.run();
    return `seed ${options.seed}, epoch ${session.epoch}`;
  }

  /** Write the loss history as CSV to `path`, atomically. Throws a one-line UserError. */
  exportHistory(path: string): void {
    exportHistory(this.at(path), this.run().session.history);
    this.claim(path);
    this.holding.set(path, this.holds());
  }

  /** `path` as the file system is to see it: a relative name in `directory`, if one was given. */
  private at(path: string): string {
    return this.directory === undefined || isAbsolute(path) ? path : join(this.directory, path);
  }

  /**
   * Call after training moved on: saves the autosave file when an `every`-epoch boundary was
   * crossed. With `throttle` (a front end that must stay responsive while training plays), saving
   * takes at most about a tenth of the time: a save of a long history can take tens of
   * milliseconds, and many in a row would starve the screen, the keys and the signal handlers.
   * Returns a message the first time a failure occurs (a full disk should not say so every few
   * epochs), otherwise null; training goes on either way.
   */
  autosaveIfDue({ throttle = false }: { throttle?: boolean } = {}): string | null {
    const a = this.autosave;
    if (a === null || (throttle && this.now() < a.notBefore)) return null;
    const epoch = this.run().session.epoch;
    if (Math.floor(epoch / a.every) === Math.floor(a.lastEpoch / a.every)) return null;
    a.lastEpoch = epoch;
    const started = this.now();
    try {
      this.save(a.path);
      const finished = this.now();
      a.notBefore = finished + AUTOSAVE_SHARE * (finished - started);
      a.lastFailure = '';
      return null;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      const repeated = err.message === a.lastFailure;
      a.lastFailure = err.message;
      return repeated ? null : `autosave failed, training goes on: ${oneLine(err.message)}`;
    }
  }

  /**
   * A reset or a new setup starts a new run, which must not overwrite the autosave file of the run
   * before it (a loaded checkpoint, say): autosave stops. Returns a note saying so, or ''.
   */
  newRun(): string {
    if (this.autosave === null) return '';
    const { path } = this.autosave;
    this.autosave = null;
    this.earlier.add(path);
    if (this.savePath === path) this.savePath = undefined;
    return `; autosave to ${path} is off for this new run (w saves it)`;
  }

  /**
   * The end of the run: write the autosave file, `save` (unless it names the autosave file) and
   * `exportHistory`. Returns what was written and, one line each, what could not be, and the
   * autosave files of earlier runs (before r, n or a new setup) that stay as they were.
   */
  finish(): { written: Written[]; failures: string[]; kept: Kept[] } {
    const written: Written[] = [];
    const failures: string[] = [];
    const attempt = (what: Written['what'], path: string | undefined, write: (path: string) => void): void => {
      if (path === undefined) return;
      try {
        write(path);
        written.push({ path, what, holds: this.holds() });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        failures.push(oneLine(err.message));
      }
    };
    attempt('saved', this.autosave?.path, (p) => this.save(p)); // unless a new run turned it off
    if (this.paths.save !== this.paths.autosave?.path) attempt('saved', this.paths.save, (p) => this.save(p));
    attempt('wrote the history to', this.paths.exportHistory, (p) => this.exportHistory(p));
    const kept = [...this.earlier]
      .filter((path) => this.holding.has(path) && !written.some((w) => w.path === path))
      .map((path) => ({ path, holds: this.holding.get(path) as string }));
    return { written, failures, kept };
  }
}
