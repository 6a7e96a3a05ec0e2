import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYS, renderApp } from './render-app.js';

// Chalk decides from the test's stdout whether the terminal takes colour; these tests say so
// themselves, so that "no colour" is checked against a renderer that would otherwise use it.
let level: typeof chalk.level;
beforeEach(() => {
  level = chalk.level;
  chalk.level = 1;
});
afterEach(() => {
  cleanup();
  chalk.level = level;
});

/** SGR codes that set a foreground, background or border colour (bold, dim and inverse are allowed). */
const COLOUR = /\u001B\[(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m/;

describe('colour', () => {
  it('is used with colour on: the paused badge and the signs of gradients', async () => {
    const app = await renderApp({ color: true });
    app.stdin.write('s');
    await expect.poll(() => app.lastFrame() ?? '').toMatch(/epoch +1\/100/);
    const frame = app.lastFrame() ?? '';
    expect(frame).toMatch(COLOUR);
    expect(frame.split('\n')[0]).toContain('⏸ paused');
    expect(frame.split('\n')[0]).not.toMatch(COLOUR); // the paused badge in the terminal's own colour
    expect(frame).toContain('\u001B[32m  1.1874'); // L1.N1.w1's positive gradient in green
    expect(frame).toContain('\u001B[31m -1.1244'); // L1.N1.w3's negative gradient in red
  });

  it('reads on dark and light backgrounds: no yellow, cyan or grey text, no dim hints, on every screen', async () => {
    // Yellow and cyan fade on white, grey (bright black) is the background of some dark palettes,
    // and dim text fades on black: docs/colours.md. (The chart's previous run, after r, is the one grey line.)
    const FADES = /\u001B\[(?:33|36|37|90|93|96|97|2)m/;
    const app = await renderApp({ color: true });
    const frames: string[] = [];
    const visit = async (key: string, text: string): Promise<void> => {
      app.stdin.write(key);
      await expect.poll(() => app.lastFrame() ?? '').toContain(text);
      frames.push(app.lastFrame() ?? '');
    };
    frames.push(app.lastFrame() ?? '');
    await visit('ss', '2/100');
    await visit('o', 'loss (log)');
    await visit('?', '─ help ');
    await visit('?', '─ loss ');
    await visit('t', 'tour');
    expect(frames).toHaveLength(6);
    for (const frame of frames) {
      expect(frame).not.toMatch(FADES);
    }
  });

  it('is absent with colour off, on every screen', async () => {
    const app = await renderApp({ color: false });
    const frames: string[] = [];
    const visit = async (key: string, text: string): Promise<void> => {
      app.stdin.write(key);
      await expect.poll(() => app.lastFrame() ?? '', { timeout: 10_000 }).toContain(text); // keys typed together go in one at a time
      await new Promise((resolve) => setTimeout(resolve, 5));
      frames.push(app.lastFrame() ?? '');
    };
    frames.push(app.lastFrame() ?? '');
    await visit('s', '1/100');
    await visit('m', 'esc cancel');
    await visit(KEYS.enter, 'setup · dataset');
    await visit(KEYS.escape, 'esc cancel');
    await visit(KEYS.escape, '─ loss ');
    await visit('?', '─ help ');
    await visit('?', '─ loss ');
    await visit('L', 'type a learning rate');
    await visit('0\r', '(got "0")');
    await visit('+'.repeat(10), 'top of the ladder');
    for (const frame of frames) expect(frame).not.toMatch(COLOUR);
    expect(frames.join('')).toContain('\u001B[1m'); // bold is still there: chalk is on
  });
});
