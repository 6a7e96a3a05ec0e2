import type { TrainingSession } from './session.js';

/** A unit is saturated when |tanh| (or |2·sigmoid - 1|) is above this on most samples. */
const SATURATED = 0.99;
/** Shares of units that are worth a hint. */
const DEAD_SHARE = 0.5;
const SATURATED_SHARE = 0.5;
/** A gradient norm below this while the loss is above LOSS_FAR is vanishing. */
const VANISHING_NORM = 1e-6;
const LOSS_FAR = 1e-2;
/** The loss growing over this many epochs (at 8 in 10 of them) is worth a hint. */
const GROWING_EPOCHS = 50;

/**
 * One line saying what is wrong with training and what to do, or null when nothing is: most relu
 * units dead (zero for every sample), most tanh/sigmoid units saturated, vanishing gradients
 * while the loss is far from 0 (its step's, as the status line shows it), or a loss that has grown
 * for many epochs.
 */
export function healthHint(session: TrainingSession): string | null {
  const { activation } = session.config;
  if (session.model.layers.length > 1 && (activation === 'relu' || activation === 'tanh' || activation === 'sigmoid')) {
    const units = session.hiddenOutputs().flat();
    if (activation === 'relu') {
      const dead = units.filter((outputs) => outputs.every((o) => o === 0)).length / units.length;
      if (dead >= DEAD_SHARE) return `${Math.round(dead * 100)}% of relu units are dead: lower the learning rate, then n for new weights`;
    } else {
      const level = (o: number): number => (activation === 'tanh' ? Math.abs(o) : Math.abs(2 * o - 1));
      const saturated = units.filter((outputs) => outputs.filter((o) => level(o) > SATURATED).length > outputs.length / 2).length / units.length;
      if (saturated >= SATURATED_SHARE) {
        return `${Math.round(saturated * 100)}% of ${activation} units are saturated: lower the rate (-), then n for new weights`;
      }
    }
  }
  // The gradients are a backward pass's only after a step: a reset, a restore or a divergence
  // leaves them at 0 until the next one.
  const step = session.lastStep;
  if (step !== null) {
    const norm = Math.sqrt(session.gradients().reduce((s, g) => s + g * g, 0));
    if (norm < VANISHING_NORM && step.loss > LOSS_FAR) {
      const fix = activation === 'relu' ? 'try fewer layers (m)' : 'try relu or fewer layers (m)';
      return `gradients vanished (norm ${norm.toExponential(1)}) at loss ${step.loss.toPrecision(3)}: ${fix}`;
    }
  }
  const losses = session.history.losses();
  const n = losses.length;
  if (n > GROWING_EPOCHS) {
    let rises = 0;
    for (let i = n - GROWING_EPOCHS; i < n; i++) if (losses[i] > losses[i - 1]) rises++;
    if (rises >= 0.8 * GROWING_EPOCHS && losses[n - 1] > losses[n - 1 - GROWING_EPOCHS]) {
      return `the loss has grown for ${GROWING_EPOCHS} epochs: lower the learning rate (-)`;
    }
  }
  return null;
}
