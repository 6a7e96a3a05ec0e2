import type { Value } from '../engine/value.js';

/** The nonlinearity a neuron applies to its weighted sum. */
export type Activation = 'tanh' | 'relu' | 'sigmoid' | 'linear';

export const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'sigmoid', 'linear'];

export function activate(v: Value, activation: Activation): Value {
  switch (activation) {
    case 'tanh':
      return v.tanh();
    case 'relu':
      return v.relu();
    case 'sigmoid':
      return v.sigmoid();
    case 'linear':
      return v;
  }
}
