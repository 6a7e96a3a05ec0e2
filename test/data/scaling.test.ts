import { describe, expect, it } from 'vitest';
import { fitScaling, scaleDataset, scaleRow, standardisation, unscaleOutput } from '../../src/data/scaling.js';

describe('scaling', () => {
  it('standardises a column to mean 0 and standard deviation 1', () => {
    const s = standardisation([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s).toEqual({ mean: 5, std: 2 });
  });

  it('leaves a constant column shifted but not divided by zero', () => {
    expect(standardisation([3, 3, 3])).toEqual({ mean: 3, std: 1 });
  });

  it('scales each input column and, for regression, the targets; outputs go back to the data units', () => {
    const data = { name: 'd', source: 'd', x: [[1, 100], [3, 300]], y: [1000, 3000] };
    const scaling = fitScaling(data, true);
    expect(scaleDataset(data, scaling)).toMatchObject({ x: [[-1, -1], [1, 1]], y: [-1, 1] });
    expect(scaleRow([2, 200], scaling)).toEqual([0, 0]);
    expect(unscaleOutput(0.5, scaling)).toBe(2500);
    const labels = fitScaling({ ...data, y: [-1, 1] }, false);
    expect(labels.target).toBeNull();
    expect(scaleDataset({ ...data, y: [-1, 1] }, labels).y).toEqual([-1, 1]);
  });
});
