/**
 * What the learned-function panel draws for a dataset:
 * - `boundary`: a 2-input classifier's score over the plane;
 * - `field`: a 2-input regression's prediction over the plane;
 * - `curve`: a 1-input model's output over x;
 * - `scatter`: prediction against target (regression, 3 or more inputs);
 * - `histogram`: the scores of each class (classification, 3 or more inputs);
 * - `table`: target and output per sample, for datasets small enough to list (the classic
 *   example), and for K classes on other than 2 inputs (a count per class when the list does not fit).
 */
export type MapKind = 'boundary' | 'field' | 'curve' | 'scatter' | 'histogram' | 'table';

/** Datasets up to this many samples keep the per-sample table: it says more than a picture there. */
export const TABLE_SAMPLES = 8;

export function mapKind(inputs: number, samples: number, classification: boolean, classes?: number): MapKind {
  if (inputs === 2) return classification ? 'boundary' : 'field';
  if (classes !== undefined) return 'table';
  if (inputs === 1) return 'curve';
  if (samples <= TABLE_SAMPLES) return 'table';
  return classification ? 'histogram' : 'scatter';
}

/** The panel's title: `boundary` for a 2-input classifier, `fit` for the other pictures. */
export function mapTitle(kind: MapKind): string {
  return kind === 'boundary' ? 'boundary' : kind === 'table' ? 'outputs' : 'fit';
}

/** The most lines the panel can use: a table needs its samples, a header and borders; a picture any. */
export function mapLines(kind: MapKind, samples: number): number {
  return kind === 'table' ? samples + 3 : Infinity;
}
