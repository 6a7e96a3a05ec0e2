import { describe, expect, it } from 'vitest';
import { topBorder } from '../../src/tui/Panel.js';

describe('topBorder', () => {
  it('puts the title left and the info right, width wide', () => {
    expect(topBorder('loss', 'o log', 20)).toBe('╭─ loss ─── o log ─╮');
  });

  it('cuts the title, not the key hint, when both do not fit', () => {
    const line = topBorder('loss (log) + test ┄ + before hidden', 'o linear', 39);
    expect(line).toBe('╭─ loss (log) + test ┄ +… ─ o linear ─╮');
    expect(line).toHaveLength(39);
  });

  it('keeps the title over a longer info (a walk\'s neuron, a menu\'s keys)', () => {
    expect(topBorder('backprop · phase 1/5 forward', 'follows L1.N9', 40)).toBe('╭─ backprop · phase 1/5 forward ───────╮');
  });

  it('keeps what it can of the title when there is no room for the info', () => {
    expect(topBorder('parameters 337', '1-16 of 337', 12)).toBe('╭─ paramete╮');
  });
});
