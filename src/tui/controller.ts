import { UserError } from '../errors.js';
import { oneLine } from '../io/one-line.js';
import type { BackgroundEvents, BackgroundTrainer } from '../train/background.js';
import type { ProgressUpdate, TrainingConfig } from '../train/session.js';
import { TrainingSession } from '../train/session.js';
import { checkedConfig, createSession, type RunOptions } from '../train/setup.js';
import { trainSlice } from '../train/slice.js';
import { formatLoss, plural } from '../format.js';
import { formatRate } from './format.js';
import { lrDown, lrUp } from './learning-rate.js';
import { formatPace, OWN_FRAME_PACE, paceDown, paceUp, type Pace } from './pace.js';

export type RunStatus = 'paused' | 'running' | 'done' | 'diverged';

export interface Message {
  text: string;
  tone: 'info' | 'error';
  /** A notice of what the header already shows (done), which a health hint outranks. */
  yieldsToHealth?: boolean;
}

/** How the controller gets called back between slices of training; injectable for tests. */
export interface Scheduler {
  /** Run `fn` soon, after pending input and output; returns a cancel function. */
  schedule(fn: () => void): () => void;
  /** Run `fn` after `ms` milliseconds; returns a cancel function. */
  delay(fn: () => void, ms: number): () => void;
  now(): number;
}

export const immediateScheduler: Scheduler = {
  schedule: (fn) => {
    const handle = setImmediate(fn);
    return () => clearImmediate(handle);
  },
  delay: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
  now: () => performance.now(),
};

/** Starts a worker that trains a copy of the session (see BackgroundTrainer). */
export type BackgroundFactory = (config: Readonly<TrainingConfig>, events: BackgroundEvents) => BackgroundTrainer;

export interface ControllerOptions {
  /** The run to start with. */
  run: RunOptions;
  /** Its session, when there already is one (a checkpoint continued, say); built from `run` otherwise. */
  session?: TrainingSession;
  /** When slices of training run here; tests pass a manual one. */
  scheduler?: Scheduler;
  /**
   * Train in a worker thread: playing trains a copy of the session there and applies its progress
   * here, so drawing and keys never wait for a step; single steps still run here.
   */
  background?: BackgroundFactory;
}

/** How long one slice of training here may run before input and rendering get their turn. */
const SLICE_MS = 8;
/** How often the steps/s figure is refreshed. */
const RATE_WINDOW_MS = 1000;
/** The first figure comes once play has run this long: a fraction of a second, not a window. */
const FIRST_RATE_MS = 100;
/**
 * A setup whose samples x parameters exceed this is built in slices off the key path (see
 * `apply`): moons of 1000 points on MLP(2,[32,32,1]) is 1.2 million; the built-in setups of the
 * menu's defaults are far below.
 */
const BUILD_IN_SLICES_ABOVE = 200_000;
/** At a pace above OWN_FRAME_PACE, the epochs due are run together this often (20 frames a second). */
const PACED_FRAME_MS = 1000 / OWN_FRAME_PACE;

/**
 * Drives one TrainingSession for an interactive front end: play and pause, single steps, the
 * learning rate ladder, the epoch target, reset and setup changes. Playing trains in a worker
 * thread when one is given, otherwise in short slices here so keys are answered between them.
 * It renders nothing: front ends subscribe and read its state.
 */
export class Controller {
  private _session: TrainingSession;
  private _options: RunOptions;
  private _playing = false;
  private _message: Message | null = null;
  private _stepsPerSecond = 0;
  private readonly listeners = new Set<(urgent: boolean) => void>();
  private cancelTick: (() => void) | null = null;
  /** Where training was over the last RATE_WINDOW_MS of play, oldest first: steps/s is measured across them. */
  private rateMarks: { time: number; epoch: number }[] = [];
  private readonly scheduler: Scheduler;
  private readonly makeBackground: BackgroundFactory | undefined;
  private _pace: Pace = Infinity;
  private _previous: Float64Array | null = null;
  /** Where paced play started counting: the epochs due follow from the time since. */
  private paceMark: { time: number; epoch: number } | null = null;
  private background: BackgroundTrainer | null = null;
  /** Says what else a new run changes (see `onNewRun`). */
  private newRunNote: () => string = () => '';
  /** Cancels the slices of a setup being built (see `apply`), or null. */
  private cancelBuild: (() => void) | null = null;
  /** The options of the setup being built (see `apply`): what a key that starts from "the run" means then. */
  private buildingOptions: RunOptions | null = null;

  constructor({ run, session = createSession(run), scheduler = immediateScheduler, background }: ControllerOptions) {
    this._options = { ...run };
    this._session = session;
    this.scheduler = scheduler;
    this.makeBackground = background;
  }

  /**
   * The front end has drawn the run in full: the worker (when training runs in one) starts now,
   * ready for the first play, unless play started it before. Starting it earlier would take CPU
   * from the first frames, as it loads and builds its copy of the session: in a new process on a
   * busy machine the complete screen of moons-1000 came 200 ms later (docs/performance.md).
   */
  drawn(): void {
    this.worker();
  }

  /** The worker training a copy of the session, started now if it was not yet; null without one. */
  private worker(): BackgroundTrainer | null {
    if (this.background === null && this.makeBackground !== undefined) this.background = this.makeBackground(this._session.config, this.backgroundEvents);
    return this.background;
  }

  get session(): TrainingSession {
    return this._session;
  }

  /** The run's options, with the learning rate and epoch target as they are now. */
  get options(): RunOptions {
    return { ...this._options, learningRate: this._session.learningRate, epochs: this._session.epochs };
  }

  get playing(): boolean {
    return this._playing;
  }

  get status(): RunStatus {
    if (this._playing) return 'running'; // also when play goes on after a divergence
    const s = this._session.status;
    if (s === 'diverged') return 'diverged';
    if (s === 'done') return 'done';
    return 'paused';
  }

  /** True when training runs in a worker thread, so drawing does not take time from it. */
  get trainsInBackground(): boolean {
    return this.makeBackground !== undefined;
  }

  /** True while a big setup is built in slices (see `apply`): the run on screen is still the old one. */
  get building(): boolean {
    return this.cancelBuild !== null;
  }

  get message(): Message | null {
    return this._message;
  }

  /** The loss history of the run before the last reset, new seed or setup, kept to compare with; null after `clearPrevious`. */
  get previous(): Float64Array | null {
    return this._previous;
  }

  /** Forget the previous run's curve (key x). */
  clearPrevious(): void {
    this._message = null;
    if (this._previous === null) return this.say('no previous run to clear: r, n or a new setup keeps one');
    this._previous = null;
    this.notify();
  }

  /** Keep this run's losses as the previous run's, when it has any. */
  private keepAsPrevious(): void {
    if (this._session.history.length > 0) this._previous = this._session.history.losses().slice();
  }

  /** Epochs a second while playing (Infinity: as fast as it goes). */
  get pace(): Pace {
    return this._pace;
  }

  /** Training speed over the last half second of play (0 until one has passed). */
  get stepsPerSecond(): number {
    return this._stepsPerSecond;
  }

  /**
   * Call `listener` on every change: `urgent` for answers to commands, which should be drawn at
   * once, false for training progress, which front ends may draw at their own pace.
   */
  subscribe(listener: (urgent: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Call `note` when a reset, a new seed or a new setup starts a new run; what it returns is added
   * to the message (the run's files use it to stop autosaving over the run before).
   */
  onNewRun(note: () => string): void {
    this.newRunNote = note;
  }

  /** Show a message until the next command (front ends use it for their own notices too). */
  say(text: string, tone: Message['tone'] = 'info'): void {
    this._message = { text, tone };
    this.notify();
  }

  togglePlay(): void {
    if (this._playing) this.pause();
    else this.play();
  }

  play(): void {
    this._message = null;
    if (this._session.status === 'done') {
      this.say(`reached the epoch target ${this._session.epochs}: raise it with ] or } to go on`);
      return;
    }
    this._playing = true;
    this._stepsPerSecond = 0;
    this.rateMarks = []; // the first slice sets the first: a worker's start-up is not training time
    if (Number.isFinite(this._pace)) {
      // A pace a person can follow trains here, one epoch (or a few) at a time on a clock.
      this.paceMark = { time: this.scheduler.now(), epoch: this._session.epoch };
      this.cancelTick = this.scheduler.schedule(this.pacedTick);
    } else if (this.makeBackground !== undefined) this.worker()?.start(this._session);
    else this.scheduleTick();
    this.notify();
  }

  pause(): void {
    this._message = null;
    this.stopTicking();
    this.notify();
  }

  /** Play at `pace` epochs a second (Infinity: as fast as it goes); playing goes on at the new pace. */
  setPace(pace: Pace): void {
    this._message = null;
    const playing = this._playing;
    this.stopTicking();
    this._pace = pace;
    if (playing) this.play();
    else this.notify();
  }

  faster(): void {
    const next = paceUp(this._pace);
    if (next === null) return this.say('pace is at max already: as fast as training goes');
    this.setPace(next);
  }

  slower(): void {
    const next = paceDown(this._pace);
    if (next === null) return this.say(`pace is at the slowest, ${formatPace(this._pace)}; s steps one epoch`);
    this.setPace(next);
  }

  /** Exactly one epoch, when paused. */
  /** One update (one mini-batch with --batch, else the epoch), as the backprop walk applies the step it took apart. */
  stepBatch(): void {
    this._message = null;
    if (this._playing) return this.say('pause with space first, then step with s');
    this._session.stepBatch();
    this.explainStop();
    this.notify();
  }

  stepOnce(): void {
    this._message = null;
    if (this._playing) return this.say('pause with space first, then step with s');
    if (this._session.status === 'done') return this.play(); // explains how to go on
    this._session.step();
    this.explainStop();
    this.notify();
  }

  setLearningRate(lr: number): void {
    this._message = null;
    try {
      this._session.setLearningRate(lr);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return this.say(err.message, 'error');
    }
    this.background?.update(this._session);
    this.notify();
  }

  raiseLearningRate(): void {
    const next = lrUp(this._session.learningRate);
    if (next === null) return this.say(`learning rate is at the top of the ladder (${formatRate(this._session.learningRate)}); type one with L`);
    this.setLearningRate(next);
  }

  lowerLearningRate(): void {
    const next = lrDown(this._session.learningRate);
    if (next === null) return this.say(`learning rate is at the bottom of the ladder (${formatRate(this._session.learningRate)}); type one with L`);
    this.setLearningRate(next);
  }

  /** Move the epoch target by `delta`, never below the epochs already run or 1. */
  changeEpochs(delta: number): void {
    this._message = null;
    const floor = Math.max(1, this._session.epoch);
    const target = Math.max(floor, this._session.epochs + delta);
    if (target === this._session.epochs && delta < 0) {
      return this.say(`the epoch target cannot go below the ${plural(floor, 'epoch')} already run`);
    }
    this._session.setEpochs(target);
    if (this._session.status === 'done') this.stopTicking();
    else if (delta < 0 && this._playing) this.background?.start(this._session); // the worker may be past it: start over from here
    else this.background?.update(this._session);
    this.notify();
  }

  /** Back to the initial weights of the same seed. */
  reset(): void {
    this.stopTicking();
    this.keepAsPrevious();
    this._session.reset();
    this.say(`reset to the initial weights of seed ${this._options.seed}${this.newRunNote()}`);
  }

  /** A new seed (the next integer), then reset. */
  newSeed(): void {
    // While a new run builds, from its seed: a second `n` then gives the seed after that one.
    const run = this.building && this.buildingOptions !== null ? this.buildingOptions : this.options;
    const seed = (run.seed + 1) % 2 ** 32;
    this.apply({ ...run, seed }, `new seed ${seed}: initial weights drawn again`);
  }

  /**
   * Start over with other options (dataset, layers, activation, loss); on a bad choice keep the
   * run. A big setup is built in slices, each after the keys and frames waiting (the session, its
   * compiled replay, then its first evaluation), so the screen goes on answering keys meanwhile;
   * the old run stays on screen until the new one is ready. Applying again before then replaces
   * the one being built.
   */
  apply(options: RunOptions, notice = 'applied: training starts again from epoch 0'): void {
    this.cancelBuild?.();
    this.cancelBuild = null;
    let config: TrainingConfig;
    try {
      config = checkedConfig(options, undefined, this.makeBackground === undefined ? 1 : 2);
      if (!isBig(config)) return this.install(new TrainingSession(config), options, notice);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return this.say(err.message, 'error');
    }
    this.buildingOptions = { ...options };
    this.say(`building ${config.dataset.name} (${plural(config.dataset.x.length, 'sample')}), layers ${config.layers.join(',')}: keys work meanwhile`);
    this.cancelBuild = this.scheduler.schedule(() => {
      let session: TrainingSession;
      try {
        session = new TrainingSession(config);
      } catch (err) {
        this.cancelBuild = null;
        if (!(err instanceof UserError)) throw err;
        return this.say(err.message, 'error');
      }
      this.cancelBuild = this.scheduler.schedule(() => {
        session.compile();
        this.cancelBuild = this.scheduler.schedule(() => {
          this.cancelBuild = null;
          void session.latest; // the first evaluation, which the next frame draws
          this.install(session, options, notice);
        });
      });
    });
  }

  /** Put a new session in place of the run: the old one's curve is kept as the previous run's. */
  private install(session: TrainingSession, options: RunOptions, notice: string): void {
    this.stopTicking();
    this.keepAsPrevious();
    this.background?.dispose();
    this.background = null; // the new session's starts once it is drawn (see `drawn`)
    this._session = session;
    this._options = { ...options };
    this._stepsPerSecond = 0;
    this.say(notice + this.newRunNote());
  }

  /** Stop training and forget the listeners (the front end is going away). */
  dispose(): void {
    this.cancelBuild?.();
    this.cancelBuild = null;
    this.stopTicking();
    this.background?.dispose();
    this.background = null;
    this.listeners.clear();
  }

  private tick = (): void => {
    this.cancelTick = null;
    if (!this._playing) return;
    trainSlice(this._session, SLICE_MS, { now: () => this.scheduler.now() });
    this.afterSlice(this._session.status !== 'ready');
    if (this._playing) this.scheduleTick();
  };

  /**
   * Paced play: run the epochs due by now (one more at the start, then `pace` a second), at most
   * a slice's worth, and come back when the next one is due. Up to OWN_FRAME_PACE each epoch is
   * drawn at once; faster, the epochs of PACED_FRAME_MS share a frame.
   */
  private pacedTick = (): void => {
    this.cancelTick = null;
    const mark = this.paceMark;
    if (!this._playing || mark === null) return;
    const s = this._session;
    const start = this.scheduler.now();
    const due = mark.epoch + 1 + Math.floor(((start - mark.time) * this._pace) / 1000);
    while (s.status === 'ready' && s.epoch < due && this.scheduler.now() - start < SLICE_MS) s.step();
    const stopped = s.status !== 'ready';
    this.afterSlice(stopped, this._pace <= OWN_FRAME_PACE);
    if (!this._playing) return;
    const now = this.scheduler.now();
    if (s.epoch < due) {
      // Steps slower than the pace: go on at once, counting from here rather than racing to catch up.
      this.paceMark = { time: now, epoch: s.epoch };
      this.cancelTick = this.scheduler.schedule(this.pacedTick);
      return;
    }
    const next = mark.time + ((s.epoch - mark.epoch) * 1000) / this._pace;
    const wait = Math.max(next - now, this._pace > OWN_FRAME_PACE ? start + PACED_FRAME_MS - now : 0, 0);
    this.cancelTick = this.scheduler.delay(this.pacedTick, wait);
  };

  /** After a slice of training, here or in the worker: speed, autosave, and why it stopped. */
  private afterSlice(stopped: boolean, urgent = false): void {
    this.measureRate(stopped);
    if (stopped) {
      this._playing = false;
      this.explainStop();
    }
    this.notify(stopped || urgent); // progress can wait for the next frame; stopping should show at once
  }

  private scheduleTick(): void {
    if (this.cancelTick === null) this.cancelTick = this.scheduler.schedule(this.tick);
  }

  private stopTicking(): void {
    this._playing = false;
    this.cancelTick?.();
    this.cancelTick = null;
    this.background?.stop();
  }

  private readonly backgroundEvents: BackgroundEvents = {
    progress: (progress: ProgressUpdate, stopped: boolean) => {
      if (!this._playing) return;
      this._session.applyProgress(progress);
      // The worker may have passed a target lowered meanwhile: the session follows it.
      if (this._session.epoch > this._session.epochs) this._session.setEpochs(this._session.epoch);
      this.afterSlice(stopped);
    },
    error: (message: string) => {
      this.stopTicking();
      this.say(`training stopped: ${oneLine(message)}`, 'error');
    },
  };

  /**
   * Steps/s over the last second of play, from the first tenth of a second on, after every slice
   * and once more when play stops. (It was refreshed every half second from a mark set at the
   * first slice: the first half second of every run read 0.)
   */
  private measureRate(final: boolean): void {
    const now = this.scheduler.now();
    const marks = this.rateMarks;
    marks.push({ time: now, epoch: this._session.epoch });
    while (marks.length > 2 && now - (marks[1] as { time: number }).time >= RATE_WINDOW_MS) marks.shift();
    const first = marks[0] as { time: number; epoch: number };
    const elapsed = now - first.time;
    if (elapsed >= FIRST_RATE_MS || (final && elapsed > 0)) this._stepsPerSecond = ((this._session.epoch - first.epoch) * 1000) / elapsed;
  }

  /** After a step: say why training stopped, if it did. */
  private explainStop(): void {
    const s = this._session;
    if (s.status === 'diverged') {
      this._message = {
        // Short enough for the 80-column message line: the advice at its end must not be cut off.
        text: `diverged at epoch ${s.divergence?.epoch ?? s.epoch + 1}: back to epoch ${s.divergence?.restoredFrom ?? s.epoch}'s weights; lower lr (-), space`,
        tone: 'error',
      };
    } else if (s.status === 'done') {
      this._message = { text: `done: ${plural(s.epoch, 'epoch')}, loss ${formatLoss(s.reported.loss)}. Raise the target with ] or } to go on`, tone: 'info', yieldsToHealth: true };
    }
  }

  private notify(urgent = true): void {
    for (const listener of this.listeners) listener(urgent);
  }
}

/**
 * True when building a session of `config` takes long enough to do in slices (see
 * BUILD_IN_SLICES_ABOVE); the trainer also draws such a session's first frame before its map.
 */
export function isBig(config: TrainingConfig): boolean {
  const sizes = [config.dataset.x[0]?.length ?? 0, ...config.layers, 1];
  let parameters = 0;
  for (let l = 1; l < sizes.length; l++) parameters += (sizes[l - 1] + 1) * sizes[l];
  return config.dataset.x.length * parameters > BUILD_IN_SLICES_ABOVE;
}
