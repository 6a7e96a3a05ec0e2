import { columnsOf } from '../../nn/compiled.js';
import type { TrainingSession } from '../../train/session.js';

/** While training plays, a map is evaluated at most this often (several times a second). */
export const REFRESH_MS = 150;

/**
 * Evaluates a session's model on a grid for a map, through the session's own compiled replay
 * (`evaluatePoints`, the one that computes training's outputs), throttled: while training plays,
 * the last grid is reused until REFRESH_MS have passed, so drawing at 30 frames a second costs a
 * handful of evaluations a second; when paused every frame gets the current model.
 */
export class GridSampler {
  private last: { session: TrainingSession; key: string; time: number; scores: Float64Array[] } | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The model's outputs at `points` (rows of inputs in the data's units), one column per output; `key` names the grid (its size and bounds). */
  scores(session: TrainingSession, points: () => readonly (readonly number[])[], key: string, playing: boolean): Float64Array[] {
    const now = this.now();
    const last = this.last;
    if (playing && last !== null && last.session === session && last.key === key && now - last.time < REFRESH_MS) return last.scores;
    const scores = session.evaluatePoints(columnsOf(points(), session.model.sizes[0]));
    this.last = { session, key, time: now, scores };
    return scores;
  }
}
