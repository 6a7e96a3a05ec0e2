import { Value } from '../engine/value.js';

/**
 * Losses over one output per sample. Sums run in sample order, starting from the first term,
 * and means multiply by 1/n, as the original micrograd demo does.
 */

export type LossName = 'sse' | 'mse' | 'hinge' | 'bce';

/**
 * A loss as one term per sample, reduced over the samples. The same definition builds the
 * Value graph of a whole batch and the one-sample graph the column-wise tape replays, so that
 * both compute the same thing. A term reads the model's outputs and a few numbers taken from
 * the sample's target (leaves, so that a tape can feed them as columns), and has the same
 * shape for every sample: no branch on the data (the tape records one sample for all).
 */
export interface LossDefinition {
  description: string;
  classification: boolean;
  /** Sum of the terms, or their mean (the sum times 1/n). */
  reduction: 'sum' | 'mean';
  /**
   * True when the term has a corner (hinge's max at margin 1), false when it is smooth even if
   * built with relu (bce's softplus): a gradient check treats only real corners as kinks.
   */
  kinked: boolean;
  /** The numbers a term reads from its target. */
  targetNumbers(target: number): number[];
  /** One sample's term from its outputs and its target numbers. */
  term(outputs: readonly Value[], numbers: readonly Value[]): Value;
}

/** (output - target)^2, written output + (-target) as the original's `out - target` builds it. */
const squaredError = (outputs: readonly Value[], [minusTarget]: readonly Value[]): Value =>
  first(outputs).add(minusTarget).pow(2);

export const LOSSES: Record<LossName, LossDefinition> = {
  sse: {
    description: 'sum of squared errors',
    classification: false,
    reduction: 'sum',
    kinked: false,
    targetNumbers: (y) => [-y],
    term: squaredError,
  },
  mse: {
    description: 'mean squared error',
    classification: false,
    reduction: 'mean',
    kinked: false,
    targetNumbers: (y) => [-y],
    term: squaredError,
  },
  hinge: {
    description: 'hinge (max-margin), labels -1/+1',
    classification: true,
    reduction: 'mean',
    kinked: true,
    targetNumbers: (y) => [-y],
    // max(0, 1 - y * score)
    term: (outputs, [minusLabel]) => first(outputs).mul(minusLabel).add(1).relu(),
  },
  bce: {
    description: 'binary cross-entropy on scores, labels -1/+1',
    classification: true,
    reduction: 'mean',
    kinked: false,
    targetNumbers: (y) => [-y],
    // -log sigmoid(y * score) = log(1 + exp(-y * score)) = softplus(-y * score)
    term: (outputs, [minusLabel]) => softplus(first(outputs).mul(minusLabel)),
  },
};

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
    definition.term(out, definition.targetNumbers(targets[i]).map((x) => new Value(x))),
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

const BY_NAME: Record<LossName, (outputs: readonly Value[], targets: readonly number[]) => Value> = {
  sse: sumSquaredError,
  mse: meanSquaredError,
  hinge: hingeLoss,
  bce: binaryCrossEntropy,
};

/** The loss over one output per sample. */
export function lossFunction(name: LossName): (outputs: readonly Value[], targets: readonly number[]) => Value {
  return BY_NAME[name];
}

/** Fraction of samples whose score has the sign of its label (labels -1/+1). */
export function accuracy(scores: readonly number[], labels: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] > 0 === scores[i] > 0) correct++;
  return scores.length === 0 ? 0 : correct / scores.length;
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
