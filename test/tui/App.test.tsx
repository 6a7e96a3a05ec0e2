import { cleanup } from 'ink-testing-library';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatLoss, formatPercent } from '../../src/format.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import type { BackgroundTrainer } from '../../src/train/background.js';
import type { BackgroundFactory } from '../../src/tui/controller.js';
import { BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS, WALK_BINDINGS } from '../../src/tui/keys.js';
import { cleanupTerminals, KEYS, renderApp, renderAppInTerminal, type RenderedApp as App } from './render-app.js';

afterEach(() => {
  cleanup();
  cleanupTerminals();
});

const dir = mkdtempSync(join(tmpdir(), 'tui-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** The header line and the status line of the frame. */
const header = (app: App): string => app.lines()[0] ?? '';
const status = (app: App): string => app.lines().at(-2) ?? '';
const settings = (app: App): string => app.lines().at(-3) ?? '';
const bottom = (app: App): string => app.lines().at(-1) ?? '';

/**
 * Send keys and wait until the frame satisfies `check`, then let React finish: Ink attaches the
 * new key handler (of the mode just entered, of the menu's list) in an effect that runs after the
 * frame, in a later turn of the event loop when the machine is busy. A key sent before that is
 * handled by the previous mode.
 */
async function press(app: App, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 5, timeout: 5000 }); // typed text goes in one key, and one frame, at a time
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** False once the app has exited: Ink stops reading keys. */
const readsKeys = (app: App): boolean => app.stdin.listenerCount('readable') > 0;

/** From the top of the setup menu's list, ↑ goes round to its end: apply. */
async function toApply(app: App): Promise<void> {
  await press(app, KEYS.up, () => expect(app.frame()).toMatch(/❯ apply and restart training/));
}

/** The table rows on screen: name and gradient. */
function tableRows(app: App): { name: string; grad: number }[] {
  return app
    .lines()
    .map((line) => /│ (L\d\.N\d+\.(?:w\d+|b)) +(\S+) +(\S+) +(\S+) │$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ name: m[1] as string, grad: Number(m[3]) }));
}

const EXPLODES: Partial<RunOptions> = { dataset: 'moons', size: 20, layers: [4], activation: 'linear', loss: 'hinge', learningRate: 1e6, epochs: 100 };

describe('App frame at 80x24', () => {
  it('shows the header, chart, outputs, table, settings, status and hints', async () => {
    const app = await renderApp();
    expect(header(app)).toMatch(/^ micrograd-tui · classic \(4\) · MLP 3-4-4-1 tanh · SSE · seed 42\b.* ⏸ paused$/);
    const frame = app.frame();
    expect(frame).toMatch(/╭─ loss ─+ o log ─╮/);
    expect(frame).toContain('epoch 0: initial weights');
    expect(frame).toContain('outputs 75% at epoch 0');
    expect(settings(app)).toBe(' lr 0.1 + - L · pace max < > · target 100 [ ] { } · L2 0');
    expect(frame).toMatch(/╭─ parameters 41 ─+ 1-16 of 41 ─╮/);
    expect(frame).toMatch(/│ name +value +grad +change │/);
    expect(tableRows(app)).toHaveLength(16);
    expect(tableRows(app)[0]?.name).toBe('L1.N1.w1');
    expect(status(app)).toMatch(/^ epoch 0\/100 +· loss +3\.255 · acc +75% · lr 0\.1 · pace max$/); // no rate while paused
    expect(bottom(app)).toBe(' space play · s step · +/- lr · r reset · m menu · < > pace · ? help · q quit');
  });

  it('labels the chart y axis with the loss, top to bottom', async () => {
    const app = await renderApp();
    const labels = app
      .lines()
      .map((line) => /^│ +(\d+\.\d+) [┤┼]/.exec(line))
      .filter((m) => m !== null)
      .map((m) => Number(m[1]));
    expect(labels).toHaveLength(9);
    for (let i = 1; i < labels.length; i++) expect(labels[i]).toBeLessThan(labels[i - 1] as number);
    expect(labels[0]).toBeGreaterThan(3.2549);
    expect(labels.at(-1)).toBeLessThan(3.2549);
  });

  it('stays within 80 columns and 23 lines, also while training and in every mode', async () => {
    const app = await renderApp({ options: { epochs: 1000 } });
    const fits = (): void => {
      const lines = app.lines();
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    };
    fits();
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    app.scheduler.run(30);
    await press(app, ' ', () => expect(status(app)).toMatch(/epoch +240\/1000/));
    fits();
    for (const [key, mode] of [
      ['?', '─ help '],
      ['?', '─ loss '],
      ['m', '─ setup '],
      [KEYS.escape, '─ loss '],
      ['L', 'type a learning rate'],
      [KEYS.escape, 'space play'],
    ] as const) {
      await press(app, key, () => expect(app.frame()).toContain(mode));
      fits();
    }
  });

  it("draws a big setup's first frame from the model and the data alone; the next frame brings the figures, the same as an eager session's", async () => {
    // moons-1000 on MLP(2,[32,32,1]): 1,185 parameters x 1,000 samples, a big setup (see isBig).
    const options: Partial<RunOptions> = { dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge', l2: 1e-4 };
    const app = await renderApp({ options });
    const first = stripVTControlCharacters(app.frames[0] ?? '');
    expect(first).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    expect(first).toContain('│evaluating the map…');
    expect(first).toContain('│evaluating the initial weights…');
    expect(first).toMatch(/epoch +0\/\d+ +· loss +⋯ · acc +⋯ · lr 0\.1/); // no number before the model has run
    expect(first).toMatch(/│ L1\.N1\.w1 +-?\d\.\d{4} /); // the parameters are there
    expect(first).toMatch(/╭─ loss ─+ o log ─╮/);
    await vi.waitFor(() => expect(app.frame()).not.toContain('evaluating the map'));
    expect(app.frame()).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    expect(app.frame()).toMatch(/[●○]/); // the samples on the map
    expect(app.frame()).not.toContain('…');
    expect(app.frame()).not.toContain('⋯');
    // The figures of a session evaluated at once, as before the first frame was drawn early.
    const eager = createSession({ ...DEFAULT_RUN_OPTIONS, ...options });
    const { loss, accuracy } = eager.reported;
    expect(status(app)).toMatch(new RegExp(`epoch +0/\\d+ +· loss +${formatLoss(loss).replace('.', '\\.')} · acc +${formatPercent(accuracy as number)} ·`));
    expect(app.controller.session.latest).toEqual(eager.latest);
  });

  it("draws a big setup's first frame within 80 columns and 23 lines, at 80x24 and 80x23", async () => {
    for (const rows of [24, 23]) {
      const app = await renderApp({ options: { dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge' }, size: { columns: 80, rows } });
      const first = stripVTControlCharacters(app.frames[0] ?? '').split('\n');
      expect(first.join('\n')).toContain('evaluating the initial weights…');
      expect(first.length).toBeLessThanOrEqual(rows - 1);
      for (const line of first) expect(line.length).toBeLessThanOrEqual(80);
      await vi.waitFor(() => expect(app.frame()).not.toContain('evaluating'));
      expect(app.lines().length).toBe(first.length); // the complete frame has the same layout
      app.unmount();
    }
  });

  it("starts the worker once a big setup's complete frame is on screen: its copy of the session takes no CPU from the frames before", async () => {
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge', l2: 1e-4 };
    const session = createSession(options);
    const evaluatedAtStart: boolean[] = [];
    const background: BackgroundFactory = () => {
      evaluatedAtStart.push(session.evaluated); // the complete frame is the one that evaluates it
      return { start() {}, stop() {}, update() {}, dispose() {} } as unknown as BackgroundTrainer;
    };
    const app = await renderApp({ options, session, background });
    expect(stripVTControlCharacters(app.frames[0] ?? '')).toContain('evaluating the map…');
    await vi.waitFor(() => expect(app.frame()).not.toContain('evaluating'));
    await vi.waitFor(() => expect(evaluatedAtStart).toEqual([true]));
  });

  it('a big setup restored at a later epoch shows its figures in the first frame: the history has them', async () => {
    const options: RunOptions = { ...DEFAULT_RUN_OPTIONS, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge', l2: 1e-4 };
    const trained = createSession(options);
    trained.step();
    const restored = createSession(options);
    const { history } = trained;
    restored.restore({ parameters: trained.parameters(), epoch: 1, learningRate: 0.1, epochs: trained.epochs, history: { loss: history.losses(), accuracy: history.accuracies(), learningRate: history.learningRates() } });
    const app = await renderApp({ options, session: restored });
    const first = stripVTControlCharacters(app.frames[0] ?? '');
    expect(first).toMatch(new RegExp(`epoch +1/\\d+ +· loss +${formatLoss(trained.reported.loss).replace('.', '\\.')} · acc +${formatPercent(trained.reported.accuracy as number)} ·`));
    expect(first).toContain('│evaluating the map…'); // its outputs and grid come next
  });
});

describe('App: play, pause, step, done', () => {
  it('space plays and pauses', async () => {
    const app = await renderApp();
    await press(app, ' ', () => expect(header(app)).toMatch(/▶ running$/));
    expect(app.controller.playing).toBe(true);
    expect(status(app)).toMatch(/ pace max · +\d+ steps\/s$/); // the rate, while it runs
    expect(bottom(app)).toMatch(/^ space pause · s step/);
    app.scheduler.run(2);
    await vi.waitFor(() => expect(status(app)).toMatch(/epoch +16\/100/));
    await press(app, ' ', () => expect(header(app)).toMatch(/⏸ paused$/));
    expect(bottom(app)).toMatch(/^ space play · s step/);
    expect(app.scheduler.pending).toBe(0);
    expect(app.frame()).toContain('epoch 16 ');
  });

  it('s and → each step one epoch', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, KEYS.right, () => expect(status(app)).toMatch(/epoch +2\/100/));
    expect(header(app)).toContain('paused');
  });

  it('several keys in one write act one after another: sss is three steps', async () => {
    const app = await renderApp();
    await press(app, 'sss', () => expect(status(app)).toMatch(/epoch +3\/100/));
    await press(app, '++-', () => expect(status(app)).toContain('lr 0.2 '));
    expect(app.controller.session.epoch).toBe(3);
  });

  it('s while running is refused with a message', async () => {
    const app = await renderApp();
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    await press(app, 's', () => expect(bottom(app)).toContain('pause with space first'));
    expect(app.controller.session.epoch).toBe(0);
  });

  it('stops at the target in state done; ] raises it and space goes on', async () => {
    const app = await renderApp({ options: { epochs: 20 } });
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    app.scheduler.run();
    await vi.waitFor(() => expect(header(app)).toMatch(/■ done$/));
    expect(status(app)).toMatch(/epoch 20\/20/);
    expect(status(app)).toMatch(/· pace max$/); // the rate shows only while training runs: not a 0 when done
    expect(bottom(app)).toMatch(/^ done: 20 epochs, loss \S+\. Raise the target with \] or \} to go on$/);
    await press(app, ' ', () => expect(bottom(app)).toContain('reached the epoch target 20'));
    await press(app, ']', () => expect(status(app)).toMatch(/epoch 20\/30/));
    expect(header(app)).toContain('paused');
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    app.scheduler.run();
    await vi.waitFor(() => expect(header(app)).toContain('done'));
    expect(status(app)).toMatch(/epoch 30\/30/);
    await press(app, '}', () => expect(status(app)).toMatch(/epoch +30\/130/));
    expect(header(app)).toContain('paused');
  });

  it('[ and { lower the target, never below the epochs run', async () => {
    const app = await renderApp({ options: { epochs: 120 } });
    await press(app, '[', () => expect(status(app)).toMatch(/epoch +0\/110/));
    await press(app, 'sssss', () => expect(status(app)).toMatch(/epoch +5\/110/));
    await press(app, '{', () => expect(status(app)).toMatch(/epoch +5\/10/));
    await press(app, '{', () => expect(status(app)).toMatch(/epoch 5\/5/));
    expect(header(app)).toContain('done');
    await press(app, '[', () => expect(bottom(app)).toContain('the epoch target cannot go below the 5 epochs already run'));
    expect(status(app)).toMatch(/epoch 5\/5/);
  });

  it('shows the divergence banner and keeps working', async () => {
    const app = await renderApp({ options: EXPLODES });
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    app.scheduler.run(200);
    await vi.waitFor(() => expect(header(app)).toMatch(/✖ diverged$/));
    expect(bottom(app)).toMatch(/^ diverged at epoch \d+: back to epoch \d+'s weights; lower lr \(-\), space$/);
    expect(app.frame()).not.toMatch(/NaN|Infinity/);
    await press(app, '-', () => expect(status(app)).toContain('lr 10 '));
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, '1e-5', () => expect(app.frame()).toContain('1e-5▏'));
    await press(app, KEYS.enter, () => expect(status(app)).toContain('lr 1e-5'));
    // The next epoch starts from the restored weights: the chart's epoch axis marks it.
    expect(app.frame()).not.toContain('↺');
    await press(app, 's', () => expect(app.frame()).toContain('↺'));
    await press(app, ' ', () => expect(header(app)).toContain('running'));
  });
});

describe('App: reset, new seed, setup menu', () => {
  /** The table's first row (the right-hand side of its line: the chart beside it changes). */
  const firstRow = (app: App): string[] => app.frame().split('\n').filter((l) => l.includes('L1.N1.w1')).map((l) => l.slice(39));

  it('r resets to the initial weights', async () => {
    const app = await renderApp();
    const initial = firstRow(app);
    await press(app, 'ss', () => expect(status(app)).toMatch(/epoch +2\/100/));
    expect(firstRow(app)).not.toEqual(initial);
    await press(app, 'r', () => expect(status(app)).toMatch(/epoch +0\/100/));
    expect(bottom(app)).toBe(' reset to the initial weights of seed 42');
    expect(app.frame()).toMatch(/│ +epoch 0 +epoch 2 │/); // beside the run before, shaded: its 2 epochs
    expect(firstRow(app)).toEqual(initial);
  });

  it('after a long run, r keeps both epoch labels of the chart whole', async () => {
    const app = await renderApp({ color: true, options: { epochs: 1500 } }); // the previous run is drawn in colour
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    app.scheduler.run();
    await press(app, 'r', () => expect(status(app)).toMatch(/epoch +0\/1500/));
    const axis = app.lines().find((l) => l.includes('epoch 0')) ?? '';
    expect(axis.replace(/\u001B\[[\d;]*m/g, '')).toMatch(/│ +epoch 0 +epoch 1500 │/); // was `epoch 0: initial weightsepoc`
  });

  it('n draws a new seed', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, 'n', () => expect(header(app)).toContain('seed 43'));
    expect(status(app)).toMatch(/epoch +0\/100/);
    expect(bottom(app)).toBe(' new seed 43: initial weights drawn again');
  });

  it('m opens the menu; choosing moons and applying restarts on moons', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, 'm', () => expect(app.frame()).toContain('esc cancel'));
    expect(app.frame()).toMatch(/dataset +classic/);
    expect(bottom(app)).toContain('enter choose');
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · dataset'));
    expect(app.frame()).toContain('classic: the classic example: 4 samples, 3 inputs');
    await press(app, KEYS.down, () => expect(app.frame()).toMatch(/❯ xor/));
    await press(app, KEYS.down, () => expect(app.frame()).toMatch(/❯ moons/));
    expect(app.frame()).toContain('moons: two interleaving half circles');
    expect(app.frame()).toContain('preset: layers 16,16 relu · hinge · sgd lr 0.1 · L2 0.0001 · 200 epochs');
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ dataset +moons/));
    await toApply(app);
    await press(app, KEYS.enter, () => expect(header(app)).toContain('moons (100)'));
    expect(header(app)).toContain('MLP 2-16-16-1 relu/linear · hinge+L2'); // moons' preset
    expect(status(app)).toMatch(/epoch +0\/200/);
    expect(status(app)).toContain('lr 0.1 ');
    expect(bottom(app)).toBe(' applied: training starts again from epoch 0');
    expect(app.controller.session.config.dataset.name).toBe('moons');
    expect(app.frame()).toMatch(/╭─ boundary ─+ d discrete ─╮/);
    expect(app.frame()).toContain(' 1-16 of 337 ─╮');
  });

  it('comes back to the field just edited, and choosing the same dataset keeps its --size', async () => {
    const app = await renderApp({ options: { dataset: 'moons', size: 30 } });
    await press(app, 'm', () => expect(app.frame()).toContain('esc cancel'));
    await press(app, KEYS.down.repeat(8), () => expect(app.frame()).toMatch(/❯ hidden layers/));
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · hidden layers'));
    await press(app, '\u0015' + '8,8', () => expect(app.frame()).toMatch(/hidden layers: 8,8▏/));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ hidden layers +8,8/));
    await press(app, KEYS.up.repeat(8), () => expect(app.frame()).toMatch(/❯ dataset +moons/));
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · dataset'));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/❯ dataset +moons/)); // moons again
    await toApply(app);
    await press(app, KEYS.enter, () => expect(header(app)).toContain('moons (30)'));
    expect(header(app)).toContain('MLP 2-8-8-1');
  });

  it('esc leaves the menu with everything unchanged', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    const session = app.controller.session;
    await press(app, 'm', () => expect(app.frame()).toContain('esc cancel'));
    await press(app, KEYS.enter, () => expect(app.frame()).toContain('setup · dataset'));
    await press(app, KEYS.down, () => expect(app.frame()).toMatch(/❯ xor/));
    await press(app, KEYS.down, () => expect(app.frame()).toMatch(/❯ moons/));
    await press(app, KEYS.enter, () => expect(app.frame()).toMatch(/dataset +moons/));
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('─ loss '));
    expect(header(app)).toContain('classic (4)');
    expect(status(app)).toMatch(/epoch +1\/100/);
    expect(app.controller.session).toBe(session);
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +2\/100/));
  });

  it('opening the menu pauses training', async () => {
    const app = await renderApp();
    await press(app, ' ', () => expect(header(app)).toContain('running'));
    await press(app, 'm', () => expect(app.frame()).toContain('esc cancel'));
    expect(app.controller.playing).toBe(false);
    await vi.waitFor(() => expect(header(app)).toContain('paused'));
  });
});

describe('App: learning rate', () => {
  it('L takes a typed rate on Enter', async () => {
    const app = await renderApp();
    await press(app, 'L', () => expect(bottom(app)).toBe(' type a learning rate, like 0.05 or 1e-3 · enter apply · esc cancel'));
    await press(app, '0.05', () => expect(settings(app)).toMatch(/^ lr 0\.05▏ \+ - L ·/));
    await press(app, KEYS.enter, () => expect(status(app)).toContain('lr 0.05 '));
    expect(bottom(app)).toContain('space play');
    expect(settings(app)).toMatch(/^ lr 0\.05 \+ - L ·/);
  });

  it('refuses a bad rate with a message and keeps the old one', async () => {
    const app = await renderApp();
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, 'abc', () => expect(app.frame()).toContain('abc▏'));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(' learning rate must be a finite number > 0, like 0.05 or 1e-3 (got "abc")'));
    expect(status(app)).toContain('lr 0.1 ');
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(' nothing typed: learning rate unchanged'));
    expect(status(app)).toContain('lr 0.1 ');
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, '1e', () => expect(app.frame()).toContain('1e▏'));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(' learning rate must be a finite number > 0, like 0.05 or 1e-3 (got "1e")'));
    expect(status(app)).toContain('lr 0.1 ');
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, '-0.5', () => expect(app.frame()).toContain('-0.5▏'));
    await press(app, KEYS.enter, () => expect(bottom(app)).toContain('(got "-0.5")'));
    expect(status(app)).toContain('lr 0.1 ');
    expect(app.controller.session.learningRate).toBe(0.1);
  });

  it('Backspace deletes the last typed character', async () => {
    const app = await renderApp();
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, '0.55', () => expect(app.frame()).toContain('0.55▏'));
    await press(app, KEYS.backspace, () => expect(settings(app)).toMatch(/^ lr 0\.5▏ /));
    await press(app, KEYS.enter, () => expect(status(app)).toContain('lr 0.5 '));
  });

  it('Esc cancels typing and keeps the rate', async () => {
    const app = await renderApp();
    await press(app, 'L', () => expect(bottom(app)).toContain('type a learning rate'));
    await press(app, '0.7', () => expect(app.frame()).toContain('0.7▏'));
    await press(app, KEYS.escape, () => expect(bottom(app)).toContain('space play'));
    expect(status(app)).toContain('lr 0.1 ');
    expect(settings(app)).toMatch(/^ lr 0\.1 \+ - L ·/);
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
  });

  it('+ and - walk the ladder', async () => {
    const app = await renderApp();
    await press(app, '+', () => expect(status(app)).toContain('lr 0.2 '));
    await press(app, '+', () => expect(status(app)).toContain('lr 0.5 '));
    await press(app, '-', () => expect(status(app)).toContain('lr 0.2 '));
    await press(app, '-', () => expect(status(app)).toContain('lr 0.1 '));
    await press(app, '-', () => expect(status(app)).toContain('lr 0.05 '));
  });

  it('+ at the top and - at the bottom of the ladder say so', async () => {
    const top = await renderApp({ options: { learningRate: 10 } });
    await press(top, '+', () => expect(bottom(top)).toBe(' learning rate is at the top of the ladder (10); type one with L'));
    expect(status(top)).toContain('lr 10 ');
    const low = await renderApp({ options: { learningRate: 1e-5 } });
    await press(low, '-', () => expect(bottom(low)).toBe(' learning rate is at the bottom of the ladder (1e-5); type one with L'));
    expect(status(low)).toContain('lr 1e-5');
  });
});

describe('App: saving and exporting', () => {
  const CLEAR_LINE = '\u0015'; // Ctrl+U

  it('w offers a default checkpoint name; esc writes nothing', async () => {
    const app = await renderApp();
    await press(app, 'w', () => expect(bottom(app)).toBe(' save checkpoint to: classic-4-4-tanh-sse.ckpt▏ · enter save · esc cancel'));
    await press(app, KEYS.escape, () => expect(bottom(app)).toContain('space play'));
    expect(app.controller.message).toBeNull();
  });

  it('w saves a checkpoint where the user types', async () => {
    const app = await renderApp();
    const path = join(dir, 'run.ckpt');
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, 'w', () => expect(bottom(app)).toContain('save checkpoint to:'));
    await press(app, CLEAR_LINE, () => expect(bottom(app)).toContain('save checkpoint to: ▏'));
    await press(app, path, () => expect(bottom(app)).toContain(`${path}▏`));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(` saved ${path} at epoch 1`));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ epoch: 1 });
    await press(app, 'w', () => expect(bottom(app)).toContain(`save checkpoint to: ${path}▏`));
  });

  it('expands a leading ~ in the file name as a shell does', async () => {
    vi.stubEnv('HOME', dir);
    try {
      const app = await renderApp();
      await press(app, 'w', () => expect(bottom(app)).toContain('save checkpoint to:'));
      await press(app, CLEAR_LINE + '~/home.ckpt' + KEYS.enter, () => expect(bottom(app)).toBe(` saved ${dir}/home.ckpt at epoch 0`));
      expect(JSON.parse(readFileSync(join(dir, 'home.ckpt'), 'utf8'))).toMatchObject({ epoch: 0 });
      await press(app, 'e', () => expect(bottom(app)).toContain('export history (CSV) to:'));
      await press(app, CLEAR_LINE + '~/home.csv' + KEYS.enter, () => expect(bottom(app)).toBe(` wrote 0 epochs of history to ${dir}/home.csv`));
      expect(existsSync(join(dir, 'home.csv'))).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('asks before replacing a file it did not write, and keeps it unless told y', async () => {
    const path = join(dir, 'theirs.ckpt');
    writeFileSync(path, 'the user\'s own work');
    const app = await renderApp();
    const saveTo = async (answer: string, expected: string): Promise<void> => {
      await press(app, 'w', () => expect(bottom(app)).toContain('save checkpoint to:'));
      await press(app, CLEAR_LINE + path, () => expect(bottom(app)).toContain(`${path}▏`));
      await press(app, KEYS.enter, () => expect(bottom(app)).toBe(` ${path} exists: y replaces it · any other key keeps it`));
      await press(app, answer, () => expect(bottom(app)).toBe(expected));
    };
    await saveTo('n', ` ${path} is left as it was`);
    expect(readFileSync(path, 'utf8')).toBe("the user's own work");
    await saveTo('y', ` saved ${path} at epoch 0`);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ epoch: 0 });
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, 'w', () => expect(bottom(app)).toContain(`save checkpoint to: ${path}▏`));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(` saved ${path} at epoch 1`)); // its own file now
  });

  it('shows the end of a file name too long for the line, where the cursor is', async () => {
    const app = await renderApp();
    const name = `${'a'.repeat(60)}/${'b'.repeat(20)}.ckpt`;
    await press(app, 'w', () => expect(bottom(app)).toContain('save checkpoint to:'));
    await press(app, CLEAR_LINE + name, () => expect(bottom(app)).toMatch(/^ save checkpoint to: …a+\/b{20}\.ckpt▏$/));
    expect(bottom(app).length).toBeLessThanOrEqual(80);
    await press(app, KEYS.escape, () => expect(bottom(app)).toContain('space play'));
  });

  it('w says why a checkpoint cannot be written and goes on', async () => {
    const app = await renderApp();
    const path = join(dir, 'no-such-folder', 'run.ckpt');
    await press(app, 'w', () => expect(bottom(app)).toContain('save checkpoint to:'));
    await press(app, CLEAR_LINE + path + KEYS.enter, () => expect(bottom(app)).toContain(path));
    expect(app.controller.message?.tone).toBe('error');
    expect(existsSync(path)).toBe(false);
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
  });

  it('e exports the loss history as CSV', async () => {
    const app = await renderApp();
    const path = join(dir, 'history.csv');
    await press(app, 'ss', () => expect(status(app)).toMatch(/epoch +2\/100/));
    await press(app, 'e', () => expect(bottom(app)).toBe(' export history (CSV) to: classic-4-4-tanh-sse-history.csv▏'));
    await press(app, CLEAR_LINE, () => expect(bottom(app)).toContain('to: ▏'));
    await press(app, path, () => expect(bottom(app)).toContain(`${path}▏`));
    await press(app, KEYS.enter, () => expect(bottom(app)).toBe(` wrote 2 epochs of history to ${path}`));
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});

describe('App: parameter table', () => {
  it('scrolls with up, down, page up, page down, home and end', async () => {
    const app = await renderApp();
    const at = async (key: string, pos: string, first: string): Promise<void> => {
      await press(app, key, () => expect(app.frame()).toContain(` ${pos} ─╮`));
      expect(tableRows(app)[0]?.name).toBe(first);
      expect(tableRows(app)).toHaveLength(16);
    };
    await at(KEYS.up, '1-16 of 41', 'L1.N1.w1');
    await at(KEYS.down, '2-17 of 41', 'L1.N1.w2');
    await at(KEYS.pageDown, '18-33 of 41', 'L2.N1.w2');
    await at(KEYS.pageDown, '26-41 of 41', 'L2.N2.b');
    await at(KEYS.down, '26-41 of 41', 'L2.N2.b');
    expect(tableRows(app).at(-1)?.name).toBe('L3.N1.b');
    await at(KEYS.pageUp, '10-25 of 41', 'L1.N3.w2');
    await at(KEYS.home, '1-16 of 41', 'L1.N1.w1');
    await at(KEYS.end, '26-41 of 41', 'L2.N2.b');
    await at(KEYS.up, '25-40 of 41', 'L2.N2.w4');
  });

  it('g sorts by |grad| and back', async () => {
    const app = await renderApp();
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\/100/));
    await press(app, KEYS.pageDown, () => expect(app.frame()).toContain(' 17-32 of 41 ─╮'));
    await press(app, 'g', () => expect(app.frame()).toContain('41 by |grad| ───'));
    expect(app.frame()).toContain(' 1-16 of 41 ─╮'); // sorting shows the top
    const rows = tableRows(app);
    expect(rows[0]?.name).not.toBe('L1.N1.w1');
    for (let i = 1; i < rows.length; i++) expect(Math.abs(rows[i]?.grad as number)).toBeLessThanOrEqual(Math.abs(rows[i - 1]?.grad as number));
    const largest = Math.max(...app.controller.session.snapshot().map((p) => Math.abs(p.grad)));
    expect(Math.abs(rows[0]?.grad as number)).toBeCloseTo(largest, 4);
    await press(app, 'g', () => expect(app.frame()).toMatch(/parameters 41 ─/));
    expect(tableRows(app)[0]?.name).toBe('L1.N1.w1');
  });
});

describe('App: chart, help, quit', () => {
  it('answers keys while a big setup is built, then shows it', async () => {
    const app = await renderApp();
    app.controller.apply({ ...app.controller.options, dataset: 'moons', size: 1000, layers: [32, 32], activation: 'relu', loss: 'hinge' });
    await vi.waitFor(() => expect(app.frame()).toContain('building moons (1000 samples)'));
    await press(app, 'o', () => expect(app.frame()).toContain('─ loss (log) '));
    expect(app.controller.building).toBe(true);
    app.scheduler.run();
    await vi.waitFor(() => expect(app.frame()).toContain('─ boundary '));
    expect(app.frame()).toContain('applied: training starts again from epoch 0');
  });

  it('o toggles the log scale', async () => {
    const app = await renderApp();
    await press(app, 'o', () => expect(app.frame()).toContain('─ loss (log) '));
    await press(app, 'ss', () => expect(status(app)).toMatch(/epoch +2\/100/));
    expect(app.frame()).toMatch(/ epoch 1 +epoch 2 │/); // the losses of epochs 1 and 2
    await press(app, 'o', () => expect(app.frame()).not.toContain('(log)'));
    expect(app.frame()).toContain('─ loss ');
  });

  it('? shows every view\'s keys and what the panels mean, page by page, and stays open until ? or esc', async () => {
    const app = await renderApp();
    await press(app, '?', () => expect(app.frame()).toMatch(/─ help 1\/\d+ /));
    expect(bottom(app)).toBe(' ← → turn the page · ? or esc close the help');
    const pages = Number(/─ help 1\/(\d+) /.exec(app.frame())?.[1]);
    let seen = app.frame();
    for (let p = 2; p <= pages; p++) {
      await press(app, KEYS.right, () => expect(app.frame()).toContain(`─ help ${p}/${pages} `));
      seen += app.frame();
    }
    // Long descriptions go on under themselves (never cut with …): read the pages as running text.
    expect(seen).not.toContain('…');
    const text = seen.split('\n').map((line) => line.replace(/^│ ?/, '').replace(/ *│$/, '').slice(11).trim()).join(' ');
    for (const b of [...BINDINGS, ...WALK_BINDINGS, ...DIAGRAM_BINDINGS, ...TOUR_BINDINGS]) expect(text).toContain(b.description);
    for (const term of ['header', 'value', 'grad', 'change', 'boundary', 'outputs', 'fit', 'settings', 'status', 'hints']) expect(seen).toMatch(new RegExp(`│ ${term} +\\S`));
    expect(text).toContain('and steps a second while playing');
    for (const heading of ['trainer', 'backprop walk (b)', 'network diagram (v)', 'guided tour (t, --tour)', 'setup menu (m)', 'what you see']) expect(seen).toContain(heading);
    expect(seen).toMatch(/ grad +d loss \/ d parameter/);
    await press(app, 's', () => expect(app.frame()).toContain('─ help '));
    expect(status(app)).toMatch(/epoch +0\/100/);
    await press(app, '?', () => expect(app.frame()).toContain('─ loss '));
    await press(app, '?', () => expect(app.frame()).toContain('─ help 1/'));
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('─ loss '));
    // q closes it too, and Q (Caps Lock on) as q: keys that differ only in case do the same.
    await press(app, '?', () => expect(app.frame()).toContain('─ help 1/'));
    app.stdin.write('\u0011'); // Ctrl+Q is not q: the help stays
    await press(app, KEYS.right, () => expect(app.frame()).toContain('─ help 2/'));
    await press(app, 'Q', () => expect(app.frame()).toContain('─ loss '));
  });

  it('reads only the table\'s rows on screen each frame, and in the walk none: a frame costs the same on any network', async () => {
    const app = await renderApp({ options: { dataset: 'moons', layers: [64, 64] } });
    const session = app.controller.session;
    const every = vi.spyOn(session, 'snapshot');
    const some = vi.spyOn(session, 'snapshotAt');
    await press(app, 's', () => expect(status(app)).toMatch(/epoch +1\//));
    expect(every).not.toHaveBeenCalled();
    expect(Math.max(...some.mock.calls.map(([indices]) => indices.length))).toBeLessThanOrEqual(app.lines().length);
    await press(app, 'b', () => expect(app.frame()).toContain('phase 1/5 forward'));
    some.mockClear();
    await press(app, 's', () => expect(app.frame()).toContain('operation 2/'));
    await press(app, '\t', () => expect(app.frame()).toContain('sample 2/'));
    expect([every.mock.calls.length, some.mock.calls.length]).toEqual([0, 0]);
  });

  it('? in the walk, the diagram and the tour opens the help at that view\'s keys, and esc goes back to the view', async () => {
    const app = await renderApp();
    const helpShows = (heading: string) => () => {
      expect(app.frame()).toContain('─ help ');
      expect(app.frame()).toMatch(new RegExp(`^│ ${heading.replace(/[()]/g, '\\$&')} +│$`, 'm'));
    };
    await press(app, 'b', () => expect(app.frame()).toContain('backprop · phase 1/5'));
    const hints = (): string => app.lines().filter((l) => l.trim() !== '').at(-1) ?? '';
    expect(hints()).toMatch(/^ s\/→ next · .* · \? help · b\/esc back$/);
    await press(app, '?', helpShows('backprop walk (b)'));
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('backprop · phase 1/5'));
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('─ loss '));
    await press(app, 'v', () => expect(app.frame()).toContain('network · sample 1/4'));
    expect(hints()).toMatch(/^ ←→ layer · .* · \? help · v\/esc back$/);
    await press(app, '?', helpShows('network diagram (v)'));
    await press(app, '?', () => expect(app.frame()).toContain('network · sample 1/4'));
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('─ loss '));
    await press(app, 't', () => expect(app.frame()).toContain('tour 1/14'));
    expect(hints()).toMatch(/^ →\/space next · .* · \? help · q back$/);
    await press(app, '?', helpShows('guided tour (t, --tour)'));
    await press(app, 'q', () => expect(app.frame()).toContain('tour 1/14')); // q closes the help, not the tour
  });

  it('q quits: the exit promise resolves and training stops', async () => {
    const app = await renderAppInTerminal();
    app.stdin.write(' ');
    await vi.waitFor(() => expect(app.controller.playing).toBe(true));
    app.stdin.write('q');
    await expect(app.instance.waitUntilExit()).resolves.toBeUndefined();
    expect(app.controller.playing).toBe(false);
    expect(app.scheduler.pending).toBe(0);
  });

  it('Ctrl+C quits too', async () => {
    const app = await renderAppInTerminal();
    app.stdin.write(KEYS.ctrlC);
    await expect(app.instance.waitUntilExit()).resolves.toBeUndefined();
  });

  it('Ctrl+C quits when it arrives in one read with another key (as tmux and fast typing deliver)', async () => {
    const app = await renderAppInTerminal();
    app.stdin.write(' ' + KEYS.ctrlC);
    await expect(app.instance.waitUntilExit()).resolves.toBeUndefined();
  });

  it('q in the test library stops the frames', async () => {
    const app = await renderApp();
    app.stdin.write('q');
    await vi.waitFor(() => expect(readsKeys(app)).toBe(false), { interval: 5, timeout: 10_000 });
    const count = app.frames.length;
    // Keys are handled as they are read and training runs only from the scheduler: a step would show now.
    app.stdin.write('s');
    app.scheduler.run();
    expect(app.controller.session.epoch).toBe(0);
    expect(app.scheduler.pending).toBe(0);
    expect(app.frames.length).toBe(count);
  });
});

describe('App at other sizes', () => {
  it('uses a larger terminal for more table rows and a taller chart', async () => {
    const app = await renderAppInTerminal({ size: { columns: 120, rows: 40 } });
    const lines = app.lines();
    expect(lines.length).toBeLessThanOrEqual(39);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(120);
    expect(app.frame()).toContain(' 1-32 of 41 ─╮');
    expect(lines.filter((l) => /^│ +\d+\.\d+ [┤┼]/.test(l)).length).toBeGreaterThan(10);
    expect(lines.filter((l) => /│ L\d\.N\d+\.\S+ .* │$/.test(l))).toHaveLength(32);
  });

  it('asks for at least 60x18 in a smaller terminal', async () => {
    const app = await renderApp({ size: { columns: 59, rows: 20 } });
    expect(app.lines()).toEqual(['micrograd-tui needs at least 60x18;', 'this terminal is 59x20.', 'Enlarge it to continue (q quits).']);
  });

  it('ignores every key but q while the terminal is too small', async () => {
    const app = await renderApp({ size: { columns: 60, rows: 17 } });
    // Keys are handled as they are read, and training runs only from the scheduler.
    for (const key of [' ', 's', 'r', ']', '+']) app.stdin.write(key);
    app.scheduler.run();
    expect(app.controller.playing).toBe(false);
    expect(app.controller.session.epoch).toBe(0);
    expect(app.controller.session.epochs).toBe(100);
    expect(app.controller.session.learningRate).toBe(0.1);
    // The keys did reach the app: q, read the same way, quits it.
    app.stdin.write('q');
    await vi.waitFor(() => expect(readsKeys(app)).toBe(false), { interval: 5, timeout: 10_000 });
  });

  it('follows the terminal when it is resized: too small, then room again', async () => {
    const app = await renderAppInTerminal({ size: { columns: 100, rows: 30 }, fromTerminal: true });
    expect(app.frame()).toContain(' 1-22 of 41 ─╮');
    app.stdout.resize({ columns: 50, rows: 20 });
    await vi.waitFor(() => expect(app.frame()).toContain('this terminal is 50x20.'));
    app.stdout.resize({ columns: 80, rows: 24 });
    await vi.waitFor(() => expect(app.frame()).toContain(' 1-16 of 41 ─╮'));
    expect(app.lines().length).toBeLessThanOrEqual(23);
    for (const line of app.lines()) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('asks for room in a terminal one column narrower than the compact screen, and still quits with q', async () => {
    const app = await renderAppInTerminal({ size: { columns: 59, rows: 24 } });
    expect(app.frame()).toContain('needs at least 60x18');
    app.stdin.write('q');
    await expect(app.instance.waitUntilExit()).resolves.toBeUndefined();
  });
});
