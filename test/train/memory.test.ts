import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../src/data/datasets.js';
import { UserError } from '../../src/errors.js';
import { checkMemory, memoryNeed, shapeOf, type MemoryBudget, type SetupShape } from '../../src/train/memory.js';
import { createSession } from '../../src/train/setup.js';
import { presetFor } from '../../src/train/presets.js';

const GB = 1024 ** 3;
/** A machine like the one the issue was found on: a 4 GB heap, 8 GB free. */
const MACHINE: MemoryBudget = { heap: 4 * GB, free: 8 * GB };
const moons = (samples: number, layers: number[], graph = false): SetupShape => ({ samples, inputs: 2, layers, graph });

function refusal(shape: SetupShape, copies: number, budget: MemoryBudget): string {
  try {
    checkMemory(shape, copies, budget);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  return '';
}

describe('the memory a setup needs', () => {
  it('grows with the samples and the layers, the graph engine in the heap and the tape outside it', () => {
    const small = memoryNeed(moons(100, [16, 16]));
    const many = memoryNeed(moons(100_000, [16, 16]));
    expect(many.arrays).toBeGreaterThan(900 * small.arrays);
    expect(memoryNeed(moons(100, [256, 256])).arrays).toBeGreaterThan(10 * small.arrays);
    const graph = memoryNeed(moons(100_000, [16, 16], true));
    expect(graph.heap).toBeGreaterThan(3 * GB); // the abort the issue saw after a minute
    expect(graph.arrays).toBe(many.arrays);
    expect(many.heap).toBeLessThan(GB / 4);
  });

  it('takes its shape from a session config: samples, inputs, layers and engine', () => {
    const dataset = makeDataset('moons', { size: 300 });
    const config = { dataset, ...presetFor('moons'), seed: 1, engine: 'graph' as const };
    expect(shapeOf(config)).toEqual({ samples: 300, inputs: 2, layers: [16, 16], graph: true });
  });
});

describe('checkMemory', () => {
  it('lets the issue\'s setups through on the tape, which now fits them', () => {
    expect(refusal(moons(100_000, [16, 16]), 1, MACHINE)).toBe('');
    expect(refusal(moons(100, [256, 256, 256, 256]), 2, MACHINE)).toBe('');
    expect(refusal(moons(1_160_000, [16, 16]), 1, MACHINE)).toBe('');
  });

  it('refuses a step graph larger than the heap, saying how big it is and what fits', () => {
    expect(refusal(moons(100_000, [16, 16], true), 1, MACHINE)).toMatch(
      /^too big for memory: 100000 samples of 2 inputs on layers 16,16 with --engine graph needs about 7\.\d GB of JavaScript heap a step, more than fits in its 4\.0 GB; about \d+ samples fit with these layers, or choose smaller layers \(or --engine tape, which needs far less\)$/,
    );
  });

  it('counts the trainer\'s two copies against the free memory', () => {
    const shape = moons(100_000, [256, 256, 256, 256, 256, 256, 256, 256]);
    expect(refusal(shape, 1, { heap: 4 * GB, free: 12 * GB })).toBe('');
    expect(refusal(shape, 2, { heap: 4 * GB, free: 12 * GB })).toMatch(
      /needs about 12\.\d GB of memory in 2 copies \(the screen's and the training's\), more than fits in the 12\.0 GB free; about \d+ samples fit/,
    );
  });

  it('says a number of samples that does fit', () => {
    for (const [shape, copies] of [[moons(100_000, [16, 16], true), 1], [moons(1_000_000, [256, 256, 256]), 2]] as const) {
      const message = refusal(shape, copies, MACHINE);
      const fits = Number(/about (\d+) samples fit/.exec(message)?.[1]);
      expect(fits).toBeGreaterThan(0);
      expect(refusal({ ...shape, samples: fits }, copies, MACHINE)).toBe('');
      expect(refusal({ ...shape, samples: Math.ceil(fits * 1.05) }, copies, MACHINE)).not.toBe('');
    }
  });

  it('is what createSession checks before it builds anything', () => {
    const options = { dataset: 'moons', ...presetFor('moons'), seed: 1, size: 100_000, engine: 'graph' as const };
    expect(() => createSession(options)).toThrow(/^too big for memory: 100000 samples/);
  });
});
