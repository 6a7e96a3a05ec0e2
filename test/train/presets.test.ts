import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { DATASET_NAMES } from '../../src/data/datasets.js';
import { CLASS_PRESETS, DATA_FILE_PRESET, PRESETS, presetFor } from '../../src/train/presets.js';
import { defaultOutputActivation } from '../../src/train/session.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';

describe('dataset presets', () => {
  it('every built-in dataset has one', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...DATASET_NAMES].sort());
  });

  it.each(DATASET_NAMES.filter((n) => n !== 'classic'))('%s learns with only --dataset', (name) => {
    const { run } = parseCli(['--headless', '--dataset', name]);
    const session = createSession(run);
    expect(session.epochs).toBe(presetFor(name).epochs);
    while (session.status === 'ready') session.step();
    expect(session.status).toBe('done');
    expect(session.latest.accuracy).toBeGreaterThanOrEqual(name === 'spiral' ? 0.9 : 0.95);
  });

  it('the classic example keeps its setup: MLP(3,[4,4,1]) tanh, sse, lr 0.1', () => {
    expect(parseCli([]).run).toEqual(DEFAULT_RUN_OPTIONS);
    expect(DEFAULT_RUN_OPTIONS).toEqual({ dataset: 'classic', layers: [4, 4], activation: 'tanh', loss: 'sse', optimizer: 'sgd', momentum: 0, learningRate: 0.1, l2: 0, epochs: 100, seed: 42 });
  });

  it('flags override single fields of the preset, wherever they stand', () => {
    const { run } = parseCli(['--lr', '0.05', '--dataset', 'moons', '--layers', '8']);
    expect(run).toMatchObject({ ...PRESETS.moons, dataset: 'moons', layers: [8], learningRate: 0.05 });
  });

  it('a data file has its own preset', () => {
    expect(parseCli(['--data', 'x.csv', '--epochs', '9']).run).toMatchObject({ ...DATA_FILE_PRESET, layers: [16, 16], epochs: 9 });
  });
});

describe('README', () => {
  it('lists every preset as it is', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, p] of [...Object.entries(PRESETS), ['a data file', DATA_FILE_PRESET] as const]) {
      const output = defaultOutputActivation(p.loss, name !== 'a data file');
      const row = [name === 'a data file' ? name : `\`${name}\``, p.layers.join(','), p.activation, output, p.loss, p.optimizer, p.learningRate, p.l2, p.epochs];
      expect(readme).toContain(`| ${row.join(' | ')} |`);
    }
    for (const [name, p] of Object.entries(CLASS_PRESETS)) {
      const row = [`\`${name} --classes K\` (K >= 3)`, p.layers.join(','), p.activation, defaultOutputActivation(p.loss, false), p.loss, p.optimizer, p.learningRate, p.l2, p.epochs];
      expect(readme).toContain(`| ${row.join(' | ')} |`);
    }
  });
});
