import type { Scaling } from '../../data/scaling.js';
import type { MLP } from '../../nn/mlp.js';
import { evaluatePoints } from './evaluate.js';

/** While training plays, a map is evaluated at most this often (several times a second). */
export const REFRESH_MS = 150;

/**
 * Evaluates a model on a grid for a map, throttled: while training plays, the last grid is
 * reused until REFRESH_MS have passed, so drawing at 30 frames a second costs a handful of
 * evaluations a second; when paused every frame gets the current model.
 */
export class GridSampler {
  private last: { model: MLP; key: string; time: number; scores: Float64Array } | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The model's outputs at `points`; `key` names the grid (its size and bounds). */
  scores(model: MLP, points: () => readonly (readonly number[])[], key: string, playing: boolean, scaling?: Scaling): Float64Array {
    const now = this.now();
    const last = this.last;
    if (playing && last !== null && last.model === model && last.key === key && now - last.time < REFRESH_MS) return last.scores;
    const scores = evaluatePoints(model, points(), scaling);
    this.last = { model, key, time: now, scores };
    return scores;
  }
}
