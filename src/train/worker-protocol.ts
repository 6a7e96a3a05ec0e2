import type { ProgressUpdate, TrainingConfig } from './session.js';

/** Messages to the training worker. */
export type ToWorker =
  | { type: 'load'; config: TrainingConfig }
  | { type: 'run'; run: number; progress: ProgressUpdate; learningRate: number; epochs: number }
  | { type: 'set'; learningRate: number; epochs: number }
  | { type: 'stop' };

/** Messages from it: progress after each slice of training (`stopped` at the target or on divergence). */
export type FromWorker = { type: 'progress'; run: number; progress: ProgressUpdate; stopped: boolean } | { type: 'error'; run: number; message: string };
