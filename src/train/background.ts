import { Worker } from 'node:worker_threads';
import type { ProgressUpdate, TrainingConfig, TrainingSession } from './session.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export interface BackgroundEvents {
  /** After each slice of training; `stopped` when the worker reached the target or diverged. */
  progress(progress: ProgressUpdate, stopped: boolean): void;
  error(message: string): void;
}

/** The compiled worker beside this module (dist/src/train/worker.js). */
const WORKER_URL = new URL('./worker.js', import.meta.url);

/**
 * Trains a copy of a session in a worker thread. The session stays the one to read: the caller
 * applies each progress report to it. Reports of a run that was stopped are never delivered, so
 * after `stop()` the session is exactly where the last delivered report left it.
 */
export class BackgroundTrainer {
  private readonly worker: Worker;
  private run = 0;
  private active = false;

  /** A worker for sessions of `config` (the session's own, data included). */
  constructor(config: Readonly<TrainingConfig>, events: BackgroundEvents, url: URL = WORKER_URL) {
    this.worker = new Worker(url);
    this.worker.unref(); // never the reason the process stays alive
    this.worker.on('message', (message: FromWorker) => {
      if (message.type === 'error') {
        if (message.run !== this.run && message.run !== -1) return; // about a run already stopped
        this.active = false;
        return events.error(message.message);
      }
      if (!this.active || message.run !== this.run) return;
      if (message.stopped) this.active = false;
      events.progress(message.progress, message.stopped);
    });
    this.worker.on('error', (err) => {
      this.active = false;
      events.error(err.message);
    });
    this.send({ type: 'load', config });
  }

  /** Train on from the session's current state until `stop()`, the epoch target or divergence. */
  start(session: TrainingSession): void {
    this.run++;
    this.active = true;
    this.send({ type: 'run', run: this.run, progress: session.progress(0), learningRate: session.learningRate, epochs: session.epochs });
  }

  /** Pass on a new learning rate or epoch target while training runs. */
  update(session: TrainingSession): void {
    if (this.active) this.send({ type: 'set', learningRate: session.learningRate, epochs: session.epochs });
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.run++;
    this.send({ type: 'stop' });
  }

  dispose(): void {
    this.active = false;
    void this.worker.terminate();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}
