import { cleanup } from 'ink-testing-library';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/errors.js';
import { BUILT_IN_DATASETS } from '../../src/data/datasets.js';
import { RUN_SETTINGS, runSetting, type RunSetting } from '../../src/train/run-settings.js';
import { KEYS, renderApp, type RenderedApp as App } from './render-app.js';

afterEach(() => cleanup());

const dir = mkdtempSync(join(tmpdir(), 'setup-menu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CTRL_U = '\u0015';

/** Send keys (all in one write) and wait until the frame satisfies `check`. */
async function press(app: App, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 5, timeout: 10_000 });
}

/** The text inside the menu's panel, its lines joined: wrapped explanations read as one line. */
function panelText(app: App): string {
  return app
    .lines()
    .filter((line) => line.startsWith('│'))
    .map((line) => line.slice(1, -1).trim())
    .join(' ');
}

const setting = (flag: string): RunSetting => runSetting(flag) as RunSetting;

/** ↓ through the settings list until `label` is highlighted. */
async function highlight(app: App, label: string): Promise<void> {
  const highlighted = new RegExp(`❯ ${label} `);
  for (let i = 0; i < 30 && !highlighted.test(app.frame()); i++) {
    const before = app.frame();
    await press(app, KEYS.down, () => expect(app.frame()).not.toBe(before));
  }
  expect(app.frame()).toMatch(highlighted);
}

/** Open the setting and give it `value`: chosen from its list, or typed. */
async function edit(app: App, flag: string, value: string): Promise<void> {
  const { label, choices } = setting(flag);
  await highlight(app, label);
  await press(app, KEYS.enter, () => expect(app.frame()).toContain(`setup · ${label}`));
  if (choices !== undefined) {
    const chosen = new RegExp(`❯ ${value.replace('.', '\\.')}\\s`);
    for (let i = 0; i < 10 && !chosen.test(app.frame()); i++) {
      const before = app.frame();
      await press(app, KEYS.down, () => expect(app.frame()).not.toBe(before));
    }
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(new RegExp(`❯ ${label} +${value.replace('.', '\\.')}\\s`)));
  } else {
    await press(app, CTRL_U + value, () => expect(app.frame()).toContain(`${label}: ${value}▏`));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(new RegExp(`❯ ${label} +${value.replace('.', '\\.')}\\s`)));
  }
}

async function openMenu(app: App): Promise<void> {
  await press(app, 'm', () => expect(app.frame()).toContain('enter choose · esc cancel'));
}

/** ↑ (round past the top of the list) until `label` is highlighted. */
async function upTo(app: App, label: string): Promise<void> {
  const highlighted = new RegExp(`❯ ${label}`);
  for (let i = 0; i < 30 && !highlighted.test(app.frame()); i++) {
    const before = app.frame();
    await press(app, KEYS.up, () => expect(app.frame()).not.toBe(before));
  }
  expect(app.frame()).toMatch(highlighted);
}

/** ↑ round to "apply", and enter. */
async function applyMenu(app: App): Promise<void> {
  await upTo(app, 'apply and restart training');
  await press(app, KEYS.enter, () => expect(app.lines().at(-1)).toBe(' applied: training starts again from epoch 0'));
}

describe('the setup menu reaches every setting', () => {
  it('edits each one by keys, and applying trains with all of them', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    const values: [string, string][] = [
      ['size', '60'], ['noise', '0.2'], ['data-seed', '5'], ['test-fraction', '0.25'], ['layers', '8,8,4'], ['activation', 'sigmoid'],
      ['output-activation', 'tanh'], ['loss', 'mse'], ['l2', '0.001'], ['lr', '0.05'], ['momentum', '0.9'],
      ['epochs', '300'], ['seed', '7'], ['engine', 'graph'],
    ];
    for (const [flag, value] of values) await edit(app, flag, value);
    await applyMenu(app);
    for (const [flag, value] of values) expect(setting(flag).read(app.controller.options), flag).toBe(value);
    const { config } = app.controller.session;
    expect(config).toMatchObject({ layers: [8, 8, 4], activation: 'sigmoid', outputActivation: 'tanh', loss: 'mse', l2: 0.001, momentum: 0.9, seed: 7, engine: 'graph', testFraction: 0.25 });
    expect(config.dataset.x).toHaveLength(60);
    expect(app.lines()[0]).toContain('moons (60)');
  });

  it('chooses the optimiser; momentum is only offered with sgd', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    await highlight(app, 'momentum');
    expect(app.frame()).toMatch(/momentum +0\s/);
    await edit(app, 'optimizer', 'adam');
    expect(app.frame()).not.toContain('momentum');
    await applyMenu(app);
    expect(app.controller.session.config.optimizer).toBe('adam');
  });

  it('a dataset fills in its preset, which can then be edited; its description and preset wrap instead of being cut', async () => {
    const app = await renderApp({ size: { columns: 80, rows: 24 } });
    await openMenu(app);
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · dataset'));
    await press(app, KEYS.down.repeat(4), () => expect(app.frame()).toMatch(/❯ spiral/));
    expect(panelText(app)).toContain(`spiral: ${BUILT_IN_DATASETS.spiral?.description} preset: layers 16,16 tanh · hinge · sgd lr 0.3 · L2 0 · 1000 epochs`);
    expect(app.frame()).not.toContain('…');
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ dataset +spiral/));
    await edit(app, 'layers', '32,32');
    await highlight(app, 'learning rate');
    expect(app.frame()).toMatch(/learning rate +0\.3\s/);
    await applyMenu(app);
    expect(app.controller.options).toMatchObject({ dataset: 'spiral', layers: [32, 32], learningRate: 0.3, epochs: 1000, activation: 'tanh' });
    expect(app.lines()[0]).toMatch(/^ micrograd-tui · spiral \(100\) · MLP 2-32-32-1/); // the header keeps its name
  });

  it('explains the highlighted setting in full, wrapped at 80 columns', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    for (const flag of ['dataset', 'size', 'noise', 'test-fraction', 'layers']) {
      await highlight(app, setting(flag).label);
      expect(panelText(app)).toContain(setting(flag).help);
    }
    await upTo(app, 'apply and restart training');
    expect(panelText(app)).toContain('Applying starts training again from epoch 0, with these settings.');
    expect(app.frame()).not.toContain('…');
    expect(app.lines().every((line) => line.length <= 80)).toBe(true);
  });

  it('fits 80x23 and the compact 60x18, the explanation still whole', async () => {
    for (const size of [{ columns: 80, rows: 23 }, { columns: 60, rows: 18 }]) {
      const app = await renderApp({ size, options: parseCli(['--dataset', 'moons']).run });
      await openMenu(app);
      await highlight(app, 'held out');
      expect(app.lines().length).toBeLessThanOrEqual(size.rows - 1);
      expect(app.lines().every((line) => line.length <= size.columns)).toBe(true);
      expect(panelText(app)).toContain(setting('test-fraction').help);
      cleanup();
    }
  });

  it('refuses a value that is not accepted with the command line\'s message, and keeps the old one', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    const bad: [string, string][] = [
      ['size', '0'], ['noise', '-1'], ['test-fraction', '0.95'], ['layers', '8,,4'], ['l2', '-1'], ['lr', 'abc'], ['momentum', '1'], ['epochs', '2.5'], ['seed', '-3'],
    ];
    for (const [flag, value] of bad) {
      const cli = (() => {
        try {
          parseCli(['--dataset', 'moons', `--${flag}=${value}`]);
        } catch (err) {
          if (err instanceof UserError) return err.message;
        }
        throw new Error(`--${flag} ${value} should be refused`);
      })();
      const { label } = setting(flag);
      const before = setting(flag).read(app.controller.options) ?? '';
      await highlight(app, label);
      await press(app, KEYS.enter, () => expect(app.frame()).toContain(`setup · ${label}`));
      await press(app, CTRL_U + value + KEYS.enter, () => expect(panelText(app)).toContain(cli));
      await press(app, KEYS.escape, () => expect(app.frame()).toContain('enter choose · esc cancel'));
      expect(app.frame()).toMatch(new RegExp(`❯ ${label} +${before.replace('.', '\\.')}\\s`));
    }
  });

  it('↑↓ in a typed setting steps through its suggestions', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    await highlight(app, 'hidden layers');
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · hidden layers'));
    expect(panelText(app)).toContain('↑↓ to pick one of: 2 · 4 · 4,4 · 8,8 · 16,16 · 32,32 · 8,8,8');
    await press(app, KEYS.down, () => expect(app.frame()).toContain('hidden layers: 2▏'));
    await press(app, KEYS.up, () => expect(app.frame()).toContain('hidden layers: 8,8,8▏'));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ hidden layers +8,8,8\s/));
  });

  it('a typed setting opens on its current value, selected: typing replaces it, enter keeps it, backspace clears it', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    await highlight(app, 'hidden layers');
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('hidden layers: 16,16▏'));
    expect(panelText(app)).toContain('enter keeps 16,16; typing replaces it');
    await press(app, '32,32', () => expect(app.frame()).toContain('hidden layers: 32,32▏'));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ hidden layers +32,32\s/));
    await highlight(app, 'samples');
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('samples: 100▏'));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ samples +100\s/));
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('samples: 100▏'));
    await press(app, '\x7f', () => expect(app.frame()).toContain('samples: ▏'));
    await press(app, '60', () => expect(app.frame()).toContain('samples: 60▏'));
  });

  it('↑ from the top of the list goes round to apply', async () => {
    const app = await renderApp();
    await openMenu(app);
    await press(app, KEYS.up, () => expect(app.frame()).toMatch(/❯ apply and restart training/));
  });

  it('regenerate draws the dataset again with the next data seed', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    const before = app.controller.session.config.dataset.x;
    await openMenu(app);
    await highlight(app, 'regenerate data');
    expect(app.frame()).toMatch(/regenerate data +↻ data seed 1338\s/);
    expect(panelText(app)).toContain('Draw the dataset again: the next data seed gives new points of the same shape.');
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/regenerate data +↻ data seed 1339\s/));
    expect(app.frame()).toMatch(/│ {2}data seed +1338\s/);
    await applyMenu(app);
    expect(app.controller.options.dataSeed).toBe(1338);
    expect(app.controller.session.config.dataset.x).toHaveLength(before.length);
    expect(app.controller.session.config.dataset.x).not.toEqual(before);
  });

  it('takes a data file typed in, with its own preset and scaling', async () => {
    const file = join(dir, 'square.csv');
    writeFileSync(file, ['x,y', ...Array.from({ length: 21 }, (_, i) => `${i / 10 - 1},${(i / 10 - 1) ** 2}`)].join('\n'));
    const app = await renderApp({ options: parseCli(['--dataset', 'moons']).run });
    await openMenu(app);
    await edit(app, 'data', file);
    expect(app.frame()).not.toContain('samples'); // size and noise are for generated data
    await edit(app, 'scale', 'none');
    await applyMenu(app);
    expect(app.controller.options).toMatchObject({ dataFile: file, scale: 'none', loss: 'mse', optimizer: 'adam' });
    expect(app.controller.session.config.dataset.x).toHaveLength(21);
  });
});

describe('keys that arrive together', () => {
  it('a whole edit sent as one chunk: m, ↓ to hidden layers, enter, a typed 8,8,4, enter, ↑ round to apply and enter', async () => {
    const options = parseCli(['--dataset', 'moons']).run;
    const app = await renderApp({ options });
    // The list: the settings that apply, and "regenerate data" after the data seed.
    const layers = RUN_SETTINGS.filter((s) => s.inapplicable?.(options) === undefined).findIndex((s) => s.flag === 'layers') + 1;
    app.stdin.write(`m${KEYS.down.repeat(layers)}${KEYS.enter}${CTRL_U}8,8,4${KEYS.enter}${KEYS.up.repeat(layers + 1)}${KEYS.enter}`);
    await vi.waitFor(() => expect(app.lines()[0]).toContain('MLP 2-8-8-4-1'), { interval: 5, timeout: 10_000 });
    expect(app.controller.options.layers).toEqual([8, 8, 4]);
    expect(app.lines().at(-1)).toBe(' applied: training starts again from epoch 0');
  });

  it('↓↓⏎ in one chunk picks the third choice of a list', async () => {
    const app = await renderApp();
    await openMenu(app);
    await press(app, KEYS.enter + KEYS.down + KEYS.down + KEYS.enter, () => expect(app.frame()).toMatch(/❯ dataset +moons\s/));
  });

  it('a pasted L0.05 and enter sets the learning rate', async () => {
    const app = await renderApp();
    await press(app, 'L0.05\r', () => expect(app.lines().at(-2)).toContain('lr 0.05 '));
    expect(app.controller.session.learningRate).toBe(0.05);
  });
});
