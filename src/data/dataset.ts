/** Samples for a model with one output: inputs `x[i]` and a target `y[i]` each. */
export interface Dataset {
  /** Short name for headers: a built-in dataset's name or a file's base name. */
  name: string;
  /** Where it came from: a built-in name or a file path, enough to load it again. */
  source: string;
  x: number[][];
  y: number[];
}

/** True when every target is -1 or +1, so accuracy and the classification losses apply. */
export function isClassification(data: Dataset): boolean {
  return data.y.every((t) => t === 1 || t === -1);
}
