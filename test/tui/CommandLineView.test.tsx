import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { commandLine } from '../../src/train/command-line.js';
import { continuedLines } from '../../src/tui/CommandLineView.js';
import { KEYS, renderApp, type RenderedApp as App } from './render-app.js';

afterEach(() => cleanup());

async function press(app: App, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 5, timeout: 10_000 });
}

/** The command as the panel shows it, its continued lines joined again. */
function shownCommand(app: App): string {
  const lines = app.lines().filter((l) => l.startsWith('│ ')).map((l) => l.slice(2, -1).trimEnd());
  const end = lines.findIndex((l) => !l.endsWith(' \\'));
  return lines.slice(0, end + 1).map((l) => l.replace(/ \\$/, '').trim()).join(' ');
}

describe('i: the command line of the setup', () => {
  it('shows the command that sets up the run again, after changes from the menu, n and the learning rate', async () => {
    const app = await renderApp({ options: parseCli(['--dataset', 'moons', '--layers', '16,16,16,16', '--l2', '0.001', '--test-fraction', '0.2', '--engine', 'graph', '--momentum', '0.9']).run });
    await press(app, 'n', () => expect(app.lines().at(-1)).toContain('new seed 43'));
    await press(app, 'L0.05\r', () => expect(app.controller.session.learningRate).toBe(0.05));
    await press(app, 'i', () => expect(app.frame()).toContain('─ command line ─'));
    const expected = 'micrograd-tui --dataset moons --test-fraction 0.2 --layers 16,16,16,16 --l2 0.001 --lr 0.05 --momentum 0.9 --seed 43 --engine graph';
    expect(commandLine(app.controller.options)).toBe(expected);
    expect(shownCommand(app)).toBe(expected);
    expect(app.frame()).toContain('add --headless to train');
    expect(app.lines().at(-1)).toBe(' any key: back to the trainer');
    expect(app.lines().every((l) => l.length <= 80)).toBe(true);
    await press(app, 'q', () => expect(app.frame()).toContain('─ loss '));
    expect(app.controller.session.epoch).toBe(0);
  });

  it('is listed in the help', async () => {
    const app = await renderApp();
    await press(app, '?', () => expect(app.frame()).toContain('─ help '));
    expect(app.frame()).toMatch(/i +the command line of this setup/);
    await press(app, KEYS.escape, () => expect(app.frame()).toContain('─ loss '));
  });

  it('continues long commands on the next line with a backslash, so they paste as one', () => {
    const words = ['micrograd-tui', '--dataset', 'moons', '--layers', '16,16', '--seed', '43'];
    expect(continuedLines(words, 32)).toEqual(['micrograd-tui --dataset moons \\', '  --layers 16,16 --seed 43']);
    expect(continuedLines(words, 200)).toEqual([words.join(' ')]);
  });
});
