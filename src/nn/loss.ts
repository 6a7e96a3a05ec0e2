import { Value } from '../engine/value.js';

/**
 * Losses, one term per sample over its outputs. Sums run in sample order, starting from the
 * first term, and means multiply by 1/n, as the original micrograd demo does.
 */

export type LossName = 'sse' | 'mse' | 'hinge' | 'bce' | 'ce';

/**
 * A loss as one term per sample, reduced over the samples. The same definition builds the
 * Value graph of a whole batch and the one-sample graph the column-wise tape replays, so that
 * both compute the same thing. A term reads the model's outputs and a few numbers taken from
 * the sample's target (leaves, so that a tape can feed them as columns), and has the same
 * shape for every sample: no branch on the data (the tape records one sample for all).
 */
export interface LossDefinition {
  description: string;
  /** What it scores: any targets, two classes labelled -1/+1, or K >= 3 classes numbered 0..K-1. */
  targets: 'any' | 'binary' | 'classes';
  /** Sum of the terms, or their mean (the sum times 1/n). */
  reduction: 'sum' | 'mean';
  /**
   * True when the term has a corner (hinge's max at margin 1), false when it is smooth even if
   * built with relu (bce's softplus): a gradient check treats only real corners as kinks.
   */
  kinked: boolean;
  /** The numbers a term reads from its target, for a model with `outputs` outputs. */
  targetNumbers(target: number, outputs: number): number[];
  /** One sample's term from its outputs and its target numbers. */
  term(outputs: readonly Value[], numbers: readonly Value[]): Value;
}

/**
 * (output - target)^2, written output + (-target) as the original's `out - target` builds it;
 * with K outputs, the sum over them against the one-hot target.
 */
function squaredError(outputs: readonly Value[], minusTargets: readonly Value[]): Value {
  return sum(outputs.map((out, k) => out.add(minusTargets[k]).pow(2)));
}

/** -target for one output; for K outputs, minus the one-hot vector of class `target`. */
const minusTargets = (y: number, outputs: number): number[] => (outputs === 1 ? [-y] : oneHot(y, outputs).map((t) => -t));

/** The vector of `outputs` numbers that is 1 at class `y` and 0 elsewhere. */
export function oneHot(y: number, outputs: number): number[] {
  return Array.from({ length: outputs }, (_, k) => (k === y ? 1 : 0));
}

export const LOSSES: Record<LossName, LossDefinition> = {
  sse: {
    description: 'sum of squared errors',
    targets: 'any',
    reduction: 'sum',
    kinked: false,
    targetNumbers: minusTargets,
    term: squaredError,
  },
  mse: {
    description: 'mean squared error',
    targets: 'any',
    reduction: 'mean',
    kinked: false,
    targetNumbers: minusTargets,
    term: squaredError,
  },
  hinge: {
    description: 'hinge (max-margin), labels -1/+1',
    targets: 'binary',
    reduction: 'mean',
    kinked: true,
    targetNumbers: (y) => [-y],
    // max(0, 1 - y * score)
    term: (outputs, [minusLabel]) => first(outputs).mul(minusLabel).add(1).relu(),
  },
  bce: {
    description: 'binary cross-entropy on scores, labels -1/+1',
    targets: 'binary',
    reduction: 'mean',
    kinked: false,
    targetNumbers: (y) => [-y],
    // -log sigmoid(y * score) = log(1 + exp(-y * score)) = softplus(-y * score)
    term: (outputs, [minusLabel]) => softplus(first(outputs).mul(minusLabel)),
  },
  ce: {
    description: 'softmax cross-entropy, classes 0..K-1',
    targets: 'classes',
    reduction: 'mean',
    // Smooth: the relu chain of its max only shifts the scores, and what passes through it cancels.
    kinked: false,
    targetNumbers: oneHot,
    term: softmaxCrossEntropy,
  },
};

/**
 * -log softmax(z)[y] from the scores z and the one-hot target t, without overflow: with m the
 * largest score, log(sum_k exp(z_k - m)) + m - sum_k t_k z_k, so no exp sees a positive number.
 * m is built without a branch, m = z1 + relu(z2 - z1), then m + relu(z3 - m), ..., so that the
 * tape, which records one sample for all, computes it for every sample. The gradient of the
 * scores is softmax(z) - t; what passes through m cancels (its two paths sum to 1 - sum p = 0).
 */
export function softmaxCrossEntropy(scores: readonly Value[], target: readonly Value[]): Value {
  let max = first(scores);
  for (let k = 1; k < scores.length; k++) max = max.add((scores[k]).sub(max).relu());
  const total = sum(scores.map((z) => z.sub(max).exp()));
  const picked = sum(scores.map((z, k) => z.mul(target[k])));
  return total.log().add(max).sub(picked);
}

function first(outputs: readonly Value[]): Value {
  const out = outputs[0];
  if (out === undefined) throw new RangeError('a loss term needs an output');
  return out;
}

/**
 * log(1 + exp(z)) without a branch and without overflow: relu(z) + log(1 + exp(-|z|)), with
 * |z| = 2 relu(z) - z. For z > 0 that is z + log(1 + exp(-z)), for z <= 0 log(1 + exp(z)), the
 * same numbers as choosing by sign; this |z| (not relu(z) + relu(-z)) also gives the true
 * slope 1/2 at z = 0, where relu's derivative is taken as 0.
 */
export function softplus(z: Value): Value {
  const positive = z.relu();
  const magnitude = positive.mul(2).sub(z);
  return positive.add(magnitude.neg().exp().add(1).log());
}

function sum(terms: Value[]): Value {
  if (terms.length === 0) throw new RangeError('a loss needs at least one sample');
  let total = terms[0];
  for (let i = 1; i < terms.length; i++) total = total.add(terms[i]);
  return total;
}

/** The loss from the sum of the terms: the sum itself, or the mean as sum * (1/n), as the original does. */
export function reduceTerms(definition: LossDefinition, total: Value, reciprocalCount: Value): Value {
  return definition.reduction === 'mean' ? total.mul(reciprocalCount) : total;
}

/** The loss of a batch: one term per sample, summed in sample order from the first, then reduced. */
export function batchLoss(name: LossName, outputs: readonly (readonly Value[])[], targets: readonly number[]): Value {
  if (outputs.length !== targets.length) throw new RangeError(`got ${outputs.length} outputs for ${targets.length} targets`);
  const definition = LOSSES[name];
  const terms = outputs.map((out, i) =>
    definition.term(out, definition.targetNumbers(targets[i], out.length).map((x) => new Value(x))),
  );
  return reduceTerms(definition, sum(terms), new Value(1 / terms.length));
}

const onePerSample = (name: LossName) => (outputs: readonly Value[], targets: readonly number[]): Value =>
  batchLoss(name, outputs.map((o) => [o]), targets);

/** Sum over samples of (output - target)^2: the classic example's loss. */
export const sumSquaredError = onePerSample('sse');
/** Mean over samples of (output - target)^2. */
export const meanSquaredError = onePerSample('mse');
/** Mean over samples of max(0, 1 - y * score), for labels y in {-1, +1}. */
export const hingeLoss = onePerSample('hinge');
/**
 * Binary cross-entropy of sigmoid(score) against labels y in {-1, +1}, written as the
 * equivalent mean of softplus(-y * score).
 */
export const binaryCrossEntropy = onePerSample('bce');
/** Mean over samples of -log softmax(scores)[class], for classes numbered 0..K-1 (K scores a sample). */
export const crossEntropy = (outputs: readonly (readonly Value[])[], classes: readonly number[]): Value => batchLoss('ce', outputs, classes);

/** alpha * sum of p^2 over the parameters: add it to a loss to keep weights small. */
export function l2Regularization(params: readonly Value[], alpha: number): Value {
  return scalePenalty(sum(params.map(penaltyTerm)), alpha);
}

/** One parameter's share of the L2 penalty: p^2, written p * p. */
export function penaltyTerm(p: Value): Value {
  return p.mul(p);
}

/** The L2 penalty from the sum of the parameters' terms (summed first to last): alpha times it. */
export function scalePenalty(total: Value, alpha: number): Value {
  return total.mul(alpha);
}

/** A loss over one output per sample (a regression or two classes; see `batchLoss` for K outputs). */
export function lossFunction(name: LossName): (outputs: readonly Value[], targets: readonly number[]) => Value {
  return onePerSample(name);
}

/** Fraction of samples whose score has the sign of its label (labels -1/+1). */
export function accuracy(scores: readonly number[], labels: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] > 0 === scores[i] > 0) correct++;
  return scores.length === 0 ? 0 : correct / scores.length;
}

/** The index of the largest score (the first of equal ones): the predicted class. */
export function argmax(scores: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < scores.length; k++) if ((scores[k]) > (scores[best])) best = k;
  return best;
}

/** Fraction of samples whose largest score is at their class (classes 0..K-1, K scores a sample). */
export function classAccuracy(scores: readonly (readonly number[])[], classes: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < scores.length; i++) if (argmax(scores[i]) === classes[i]) correct++;
  return scores.length === 0 ? 0 : correct / scores.length;
}

/** Each sample's class probabilities from its scores: softmax, computed from the largest score down. */
export function softmax(scores: readonly number[]): number[] {
  const max = Math.max(...scores);
  const e = scores.map((z) => Math.exp(z - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/**
 * Coefficient of determination: 1 - (sum of squared residuals) / (sum of squares about the
 * targets' mean). 1 is a perfect fit, 0 no better than the mean; null when the targets are all equal.
 */
export function rSquared(outputs: readonly number[], targets: readonly number[]): number | null {
  const n = targets.length;
  let mean = 0;
  for (const t of targets) mean += t / n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (outputs[i] - targets[i]) ** 2;
    total += (targets[i] - mean) ** 2;
  }
  return total > 0 ? 1 - residual / total : null;
}
