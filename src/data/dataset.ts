/**
 * Samples: inputs `x[i]` and a target `y[i]` each. The targets are numbers for a regression,
 * -1/+1 for two classes, or the class numbers 0..K-1 for K >= 3 classes (`classes` set);
 * `withTask` (src/data/task.ts) decides which from the targets and `--task`.
 */
export interface Dataset {
  /** Short name for headers: a built-in dataset's name or a file's base name. */
  name: string;
  /** Where it came from: a built-in name or a file path, enough to load it again. */
  source: string;
  x: number[][];
  y: number[];
  /** K for a K-class problem (K >= 3): the model has K outputs and `y` holds class numbers. */
  classes?: number;
  /** Two classes the data gave as 0/1: trained as -1/+1, shown as 0/1. */
  zeroOne?: boolean;
  /** `--task regression`: the targets are numbers even where they look like classes (all -1/+1). */
  regression?: boolean;
}

/** True when accuracy applies: two classes labelled -1/+1, or K classes. */
export function isClassification(data: Dataset): boolean {
  return data.classes !== undefined || isBinary(data);
}

/** True for two classes: every target is -1 or +1 and no regression was asked for (hinge and bce apply). */
export function isBinary(data: Dataset): boolean {
  return data.classes === undefined && data.regression !== true && data.y.every((t) => t === 1 || t === -1);
}

/** How many outputs a model of this data has: one per class for K classes, else one. */
export function outputCount(data: Dataset): number {
  return data.classes ?? 1;
}
