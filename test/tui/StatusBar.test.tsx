import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { StatusBar, type StatusBarProps } from '../../src/tui/StatusBar.js';

afterEach(() => cleanup());

const BASE: StatusBarProps = {
  epoch: 200,
  epochs: 200,
  loss: 0.5,
  accuracy: 0.5,
  testLoss: null,
  testAccuracy: null,
  learningRate: 20,
  stepsPerSecond: null,
  pace: Infinity,
  message: null,
  health: null,
  prompt: null,
  width: 80,
};

const DONE = { text: 'done: 200 epochs, loss 0.5. Raise the target with ] or } to go on', tone: 'info', yieldsToHealth: true } as const;
const DEAD = '91% of relu units are dead: lower the learning rate, then n for new weights';

/** The line under the status line. */
const bottomOf = (props: Partial<StatusBarProps>): string => render(<StatusBar {...BASE} {...props} />).lastFrame()?.split('\n')[1] ?? '';

describe('the line under the status line', () => {
  it('at the end of a run shows what is wrong with it, with the fix, rather than that it ended', () => {
    expect(bottomOf({ message: DONE })).toBe(` ${DONE.text}`);
    expect(bottomOf({ message: DONE, health: DEAD })).toBe(` ${DEAD}`);
  });

  it('keeps any other message over a health hint, and the key hints under both', () => {
    const error = { text: 'diverged at epoch 3: back to epoch 1\'s weights; lower lr (-), space', tone: 'error' } as const;
    expect(bottomOf({ message: error, health: DEAD })).toBe(` ${error.text}`);
    expect(bottomOf({ health: DEAD })).toBe(` ${DEAD}`);
    expect(bottomOf({})).toMatch(/^ space play · s step/);
  });
});
