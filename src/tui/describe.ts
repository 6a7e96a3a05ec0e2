import type { Dataset } from '../data/dataset.js';
import { taskLabel, taskOf } from '../data/task.js';
import type { TrainingSession } from '../train/session.js';

/**
 * `moons (100)`: the dataset and its size, with its task unless it is two classes labelled
 * -1/+1 (the plain case, which the loss already says): `spiral (100, 3 classes)`,
 * `prices.csv (506, regression)`, `spam.csv (200, 2 classes 0/1)`.
 */
export function datasetLabel(dataset: Dataset): string {
  const task = taskOf(dataset);
  const plain = task.kind === 'binary' && !task.zeroOne;
  return `${dataset.name} (${dataset.x.length}${plain ? '' : `, ${taskLabel(task)}`})`;
}

/** `MLP 3-4-4-1 tanh`, or `MLP 2-16-16-1 relu/linear` when the output differs from the hidden layers. */
export function architecture(session: TrainingSession): string {
  const { activation, layers } = session.config;
  const out = session.outputActivation;
  const act = layers.length === 0 || out === activation ? activation : `${activation}/${out}`;
  return `MLP ${session.model.sizes.join('-')} ${act}`;
}

/** `SSE`, or `hinge+L2` when a penalty is added; then the optimiser unless it is plain SGD: `· adam`, `· momentum 0.9`. */
export function lossLabel(session: TrainingSession): string {
  const { loss, l2 = 0, optimizer = 'sgd', momentum = 0 } = session.config;
  const name = loss === 'sse' || loss === 'mse' || loss === 'bce' ? loss.toUpperCase() : loss;
  const label = l2 > 0 ? `${name}+L2` : name;
  if (optimizer === 'adam') return `${label} · adam`;
  return momentum > 0 ? `${label} · momentum ${momentum}` : label;
}
