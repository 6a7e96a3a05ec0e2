import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { actionFor, BINDINGS, HINTS, type Action, type Binding } from '../../src/tui/keys.js';

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

/** The keys of the bindings that are not simply the character their help text shows. */
const PRESSES: Partial<Record<Action, [string, Key][]>> = {
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
  rowUp: [['', key({ upArrow: true })]],
  rowDown: [['', key({ downArrow: true })]],
  pageUp: [['', key({ pageUp: true })]],
  pageDown: [['', key({ pageDown: true })]],
  home: [['', key({ home: true })]],
  end: [['', key({ end: true })]],
  quit: [
    ['q', key()],
    ['c', key({ ctrl: true })],
  ],
};

/** How Ink reports the keys of a binding: listed above, or the one character its help shows. */
function presses(b: Binding): [string, Key][] {
  const listed = PRESSES[b.action];
  if (listed !== undefined) return listed;
  expect(b.keys, `binding ${b.action} needs an entry in PRESSES`).toHaveLength(1);
  return [[b.keys, key()]];
}

describe('BINDINGS and actionFor', () => {
  it('has one binding per action', () => {
    const actions = BINDINGS.map((b) => b.action);
    expect(new Set(actions).size).toBe(actions.length);
    for (const action of Object.keys(PRESSES)) expect(actions).toContain(action);
    for (const action of ['epochsUp10', 'epochsDown10', 'epochsUp100', 'epochsDown100', 'reset', 'newSeed', 'menu', 'sortByGrad', 'logScale', 'help']) {
      expect(actions).toContain(action);
    }
  });

  it.each(BINDINGS.map((b) => [b.action, b] as const))('reaches %s through its keys', (action, b) => {
    for (const [input, k] of presses(b)) expect(actionFor(input, k)).toBe(action);
  });

  it('binds the documented characters', () => {
    const keysOf = (action: Action): string | undefined => BINDINGS.find((b) => b.action === action)?.keys;
    expect([']', '[', '}', '{', 'r', 'n', 'm', 'g', 'o', '?']).toEqual(
      (['epochsUp10', 'epochsDown10', 'epochsUp100', 'epochsDown100', 'reset', 'newSeed', 'menu', 'sortByGrad', 'logScale', 'help'] as const).map(keysOf),
    );
  });

  it('binds nothing to other keys', () => {
    for (const input of ['z', 'Z', '1', '', '\r']) expect(actionFor(input, key())).toBeUndefined();
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

describe('keys that differ only in case', () => {
  it('never do different things: a capital letter does what its small letter does', () => {
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
      expect(actionFor(letter.toUpperCase(), key({ shift: true })), letter).toBe(actionFor(letter, key()));
    }
  });

  it('Ctrl with a letter is not the letter', () => {
    expect(actionFor('c', key({ ctrl: true }))).toBe('quit');
  });
});
