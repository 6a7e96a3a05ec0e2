import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { actionFor, BINDINGS, HINTS, type Action } from '../../src/tui/keys.js';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const key = (flags: Partial<Key> = {}): Key => ({ ...NO_KEY, ...flags });

/** Every key each action answers to, as Ink reports it. */
const PRESSES: Record<Action, [string, Key][]> = {
  togglePlay: [[' ', key()]],
  step: [
    ['s', key()],
    ['', key({ rightArrow: true })],
  ],
  lrUp: [
    ['+', key()],
    ['=', key()],
  ],
  lrDown: [
    ['-', key()],
    ['_', key()],
  ],
  lrType: [
    ['L', key({ shift: true })],
    ['l', key()],
  ],
  epochsUp10: [[']', key()]],
  epochsDown10: [['[', key()]],
  epochsUp100: [['}', key()]],
  epochsDown100: [['{', key()]],
  reset: [['r', key()]],
  newSeed: [['n', key()]],
  menu: [['m', key()]],
  rowUp: [['', key({ upArrow: true })]],
  rowDown: [['', key({ downArrow: true })]],
  pageUp: [['', key({ pageUp: true })]],
  pageDown: [['', key({ pageDown: true })]],
  home: [['', key({ home: true })]],
  end: [['', key({ end: true })]],
  sortByGrad: [['g', key()]],
  logScale: [['o', key()]],
  help: [['?', key()]],
  quit: [
    ['q', key()],
    ['c', key({ ctrl: true })],
  ],
};

describe('BINDINGS and actionFor', () => {
  it('has one binding per action', () => {
    const actions = BINDINGS.map((b) => b.action);
    expect(new Set(actions).size).toBe(actions.length);
    expect([...actions].sort()).toEqual(Object.keys(PRESSES).sort());
  });

  it.each(BINDINGS.map((b) => [b.action, b] as const))('reaches %s through its keys', (action) => {
    for (const [input, k] of PRESSES[action]) expect(actionFor(input, k)).toBe(action);
  });

  it('binds nothing to other keys', () => {
    for (const input of ['x', 'S', 'c', 'Q', '1', '', '\r']) expect(actionFor(input, key())).toBeUndefined();
    expect(actionFor('', key({ leftArrow: true }))).toBeUndefined();
    expect(actionFor('', key({ escape: true, meta: true }))).toBeUndefined();
    expect(actionFor('\r', key({ return: true }))).toBeUndefined();
  });

  it('describes every binding for the help screen', () => {
    for (const b of BINDINGS) {
      expect(b.keys.trim()).not.toBe('');
      expect(b.description.trim()).not.toBe('');
    }
  });
});

describe('HINTS', () => {
  it('lists the short forms in table order', () => {
    expect(HINTS).toEqual(['space play', 's step', '+/- lr', '[ ] epochs', 'r reset', 'm menu', '? help', 'q quit']);
  });

  it('fits the hint line of an 80-column terminal', () => {
    expect(` ${HINTS.join(' · ')}`.length).toBeLessThanOrEqual(80);
  });
});
