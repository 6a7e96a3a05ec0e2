import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { DATASET_NAMES } from '../../src/data/datasets.js';
import { PRESETS, presetFor } from '../../src/train/presets.js';
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
    expect(DEFAULT_RUN_OPTIONS).toEqual({ dataset: 'classic', layers: [4, 4], activation: 'tanh', loss: 'sse', learningRate: 0.1, l2: 0, epochs: 100, seed: 42 });
  });

  it('flags override single fields of the preset, wherever they stand', () => {
    const { run } = parseCli(['--lr', '0.05', '--dataset', 'moons', '--layers', '8']);
    expect(run).toMatchObject({ ...PRESETS.moons, dataset: 'moons', layers: [8], learningRate: 0.05 });
  });

  it('a data file starts from the classic setup', () => {
    expect(parseCli(['--data', 'x.csv']).run).toMatchObject(PRESETS.classic as object);
  });
});

describe('README', () => {
  it('lists every preset as it is', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name, p] of Object.entries(PRESETS)) {
      const row = [`\`${name}\``, p.layers.join(','), p.activation, defaultOutputActivation(p.loss), p.loss, p.learningRate, p.l2, p.epochs];
      expect(readme).toContain(`| ${row.join(' | ')} |`);
    }
  });
});
