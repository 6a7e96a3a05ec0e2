import type { Dataset } from './dataset.js';

/** `--scale`: standardise a data file's columns (auto), or train on the numbers as they are (none). */
export type ScaleMode = 'auto' | 'none';

export const SCALE_MODES: readonly ScaleMode[] = ['auto', 'none'];

/** One column's standardisation: the model sees (value - mean) / std. */
export interface Standardisation {
  mean: number;
  std: number;
}

/**
 * How a dataset is turned into what the model trains on: every input column standardised, and
 * the target too for regression (null: targets as they are, as classification labels must be).
 */
export interface Scaling {
  inputs: Standardisation[];
  target: Standardisation | null;
}

/** Mean and standard deviation of `values`; a constant column gets std 1 so it is only shifted. */
export function standardisation(values: readonly number[]): Standardisation {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v / n;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / n);
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

/** The scaling that standardises `dataset`'s inputs, and its targets when `targets` is true. */
export function fitScaling(dataset: Dataset, targets: boolean): Scaling {
  const width = dataset.x[0]?.length ?? 0;
  return {
    inputs: Array.from({ length: width }, (_, j) => standardisation(dataset.x.map((row) => row[j]))),
    target: targets ? standardisation(dataset.y) : null,
  };
}

/** One number in standardised units. */
export function standardise(v: number, s: Standardisation): number {
  return (v - s.mean) / s.std;
}

export function scaleRow(row: readonly number[], scaling: Scaling): number[] {
  return row.map((v, j) => {
    const s = scaling.inputs[j];
    return s === undefined ? v : standardise(v, s);
  });
}

/** A target in the model's units. */
export function scaleTarget(y: number, scaling: Scaling): number {
  const t = scaling.target;
  return t === null ? y : standardise(y, t);
}

/** A model output back in the data's own units. */
export function unscaleOutput(output: number, scaling: Scaling): number {
  const t = scaling.target;
  return t === null ? output : output * t.std + t.mean;
}

/** The dataset as the model sees it. */
export function scaleDataset(dataset: Dataset, scaling: Scaling): Dataset {
  return { ...dataset, x: dataset.x.map((row) => scaleRow(row, scaling)), y: dataset.y.map((y) => scaleTarget(y, scaling)) };
}
