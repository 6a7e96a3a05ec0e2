import type { Value } from '../engine/value.js';

/**
 * Losses over one output per sample. Sums run in sample order, starting from the first term,
 * and means multiply by 1/n, as the original micrograd demo does.
 */

export type LossName = 'sse' | 'mse' | 'hinge' | 'bce';

export const LOSSES: Record<LossName, { description: string; classification: boolean }> = {
  sse: { description: 'sum of squared errors', classification: false },
  mse: { description: 'mean squared error', classification: false },
  hinge: { description: 'hinge (max-margin), labels -1/+1', classification: true },
  bce: { description: 'binary cross-entropy on scores, labels -1/+1', classification: true },
};

function sum(terms: Value[]): Value {
  if (terms.length === 0) throw new RangeError('a loss needs at least one sample');
  let total = terms[0] as Value;
  for (let i = 1; i < terms.length; i++) total = total.add(terms[i] as Value);
  return total;
}

function mean(terms: Value[]): Value {
  return sum(terms).mul(1 / terms.length);
}

function checkLengths(outputs: readonly Value[], targets: readonly number[]): void {
  if (outputs.length !== targets.length) {
    throw new RangeError(`got ${outputs.length} outputs for ${targets.length} targets`);
  }
}

/** Sum over samples of (output - target)^2: the classic example's loss. */
export function sumSquaredError(outputs: readonly Value[], targets: readonly number[]): Value {
  checkLengths(outputs, targets);
  return sum(outputs.map((out, i) => out.sub(targets[i] as number).pow(2)));
}

/** Mean over samples of (output - target)^2. */
export function meanSquaredError(outputs: readonly Value[], targets: readonly number[]): Value {
  checkLengths(outputs, targets);
  return mean(outputs.map((out, i) => out.sub(targets[i] as number).pow(2)));
}

/** Mean over samples of max(0, 1 - y * score), for labels y in {-1, +1}. */
export function hingeLoss(scores: readonly Value[], labels: readonly number[]): Value {
  checkLengths(scores, labels);
  return mean(scores.map((s, i) => s.mul(-(labels[i] as number)).add(1).relu()));
}

/**
 * Binary cross-entropy of sigmoid(score) against labels y in {-1, +1}, written as the
 * equivalent mean of log(1 + exp(-y * score)).
 */
export function binaryCrossEntropy(scores: readonly Value[], labels: readonly number[]): Value {
  checkLengths(scores, labels);
  return mean(scores.map((s, i) => softplus(s.mul(-(labels[i] as number)))));
}

/** log(1 + exp(z)), as z + log(1 + exp(-z)) when z > 0 so that exp cannot overflow to Infinity. */
function softplus(z: Value): Value {
  return z.data > 0 ? z.add(z.neg().exp().add(1).log()) : z.exp().add(1).log();
}

/** alpha * sum of p^2 over the parameters: add it to a loss to keep weights small. */
export function l2Regularization(params: readonly Value[], alpha: number): Value {
  return sum(params.map((p) => p.mul(p))).mul(alpha);
}

export function lossFunction(name: LossName): (outputs: readonly Value[], targets: readonly number[]) => Value {
  switch (name) {
    case 'sse':
      return sumSquaredError;
    case 'mse':
      return meanSquaredError;
    case 'hinge':
      return hingeLoss;
    case 'bce':
      return binaryCrossEntropy;
  }
}

/** Fraction of samples whose score has the sign of its label (labels -1/+1). */
export function accuracy(scores: readonly number[], labels: readonly number[]): number {
  let correct = 0;
  for (let i = 0; i < scores.length; i++) if ((labels[i] as number) > 0 === (scores[i] as number) > 0) correct++;
  return scores.length === 0 ? 0 : correct / scores.length;
}
