import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { nextKey } from '../../src/tui/OneKeyAtATime.js';
import { keyHints } from '../../src/tui/StatusBar.js';
import { BINDINGS, bindingFor, DIAGRAM_BINDINGS, findBinding, HINTS, TOUR_BINDINGS, WALK_BINDINGS, type Action, type Binding } from '../../src/tui/keys.js';

/** A key event with no special key. */
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

/** The action bound to a key in the trainer, if any. */
const actionFor = (input: string, key: Key): Action | undefined => bindingFor(BINDINGS, input, key);

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
  lrType: [['l', key()]],
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
  it('has one binding per action (and per delta of the epoch target)', () => {
    const actions = BINDINGS.map((b) => b.action);
    expect(new Set(BINDINGS.map((b) => (b.action === 'epochs' ? `epochs${b.delta}` : b.action))).size).toBe(actions.length);
    for (const action of Object.keys(PRESSES)) expect(actions).toContain(action);
    for (const action of ['epochs', 'reset', 'newSeed', 'menu', 'sortByGrad', 'logScale', 'help']) {
      expect(actions).toContain(action);
    }
  });

  it.each(BINDINGS.map((b) => [b.action, b] as const))('reaches %s through its keys', (action, b) => {
    for (const [input, k] of presses(b)) expect(actionFor(input, k)).toBe(action);
  });

  it('binds the documented characters', () => {
    const keysOf = (action: Action): string | undefined => BINDINGS.find((b) => b.action === action)?.keys;
    expect(['r', 'n', 'm', 'g', 'o', '?']).toEqual((['reset', 'newSeed', 'menu', 'sortByGrad', 'logScale', 'help'] as const).map(keysOf));
    const deltaOf = (input: string): number | undefined => {
      const b = findBinding(BINDINGS, input, NO_KEY);
      return b?.action === 'epochs' ? b.delta : undefined;
    };
    expect([']', '[', '}', '{'].map(deltaOf)).toEqual([10, -10, 100, -100]);
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
    expect(HINTS).toEqual(['space play', 's step', '+/- lr', 'r reset', 'm menu', '< > pace', 'b walk', 'v network', 't tour', '? help', 'q quit']);
  });

  it('fits the hint line of an 80-column terminal, and a wider one shows the views too', () => {
    expect(keyHints(79)).toBe('space play · s step · +/- lr · r reset · m menu · < > pace · ? help · q quit');
    expect(keyHints(119)).toBe('space play · s step · +/- lr · r reset · m menu · < > pace · b walk · v network · t tour · ? help · q quit');
    expect(keyHints(40)).toBe('space play · s step · ? help · q quit');
    expect(keyHints(40, true)).toBe('space pause · s step · ? help · q quit'); // while training plays
  });
});

describe('keys that differ only in case', () => {
  it('never do different things: no view binds a capital letter (they arrive small: OneKeyAtATime)', () => {
    for (const bindings of [BINDINGS, WALK_BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS] as readonly Binding<string>[][]) {
      for (const letter of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
        expect(bindingFor(bindings, letter, key({ shift: true })), letter).toBeUndefined();
        expect(bindingFor(bindings, letter, key()), letter).toBeUndefined();
      }
    }
    expect(nextKey('S', false)).toBe('s');
    expect(nextKey('L0.05', true)).toBe('L0.05'); // but a line being typed keeps its capitals
  });

  it('Ctrl with a letter is not the letter, in any view (only Ctrl+C quits the trainer)', () => {
    expect(actionFor('c', key({ ctrl: true }))).toBe('quit');
    for (const bindings of [BINDINGS, WALK_BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS] as readonly Binding<string>[][]) {
      for (const letter of 'abdefghijklmnopqrstuvwxyz ') {
        expect(bindingFor(bindings, letter, key({ ctrl: true })), `Ctrl+${letter}`).toBeUndefined();
        expect(bindingFor(bindings, letter, key({ meta: true })), `Alt+${letter}`).toBeUndefined();
      }
    }
  });
});

describe('keys that throw work away', () => {
  /** Neighbours on a QWERTY keyboard (the space bar lies under c v b n m). */
  const QWERTY = ['1234567890-=', 'qwertyuiop[]', 'asdfghjkl;\'', 'zxcvbnm,./'];
  function neighbours(ch: string): Set<string> {
    const around = new Set<string>();
    QWERTY.forEach((row, r) => {
      const c = row.indexOf(ch);
      if (c < 0) return;
      for (const [dr, dcs] of [[-1, [0, 1]], [0, [-1, 1]], [1, [-1, 0]]] as const) {
        for (const dc of dcs) {
          const other = QWERTY[r + dr]?.[c + dc];
          if (other !== undefined) around.add(other);
        }
      }
      if (r === 3 && 'cvbnm'.includes(ch)) around.add(' ');
    });
    return around;
  }
  it('n and r are in the trainer, next to none of the keys it moves with (step, table)', () => {
    expect([actionFor('n', key()), actionFor('r', key())]).toEqual(['newSeed', 'reset']);
    const moving = BINDINGS.filter((b) => ['step', 'rowUp', 'rowDown', 'pageUp', 'pageDown', 'home', 'end'].includes(b.action));
    for (const destructive of ['n', 'r']) {
      for (const ch of neighbours(destructive)) {
        expect(moving.some((b) => b.matches(ch, key())), `${JSON.stringify(ch)} next to ${destructive}`).toBe(false);
      }
    }
    expect(neighbours('n')).toEqual(new Set(['h', 'j', 'b', 'm', ' ']));
  });

  it('b, which leaves the walk and drops its half-walked step, is next to none of the keys the walk moves with', () => {
    const moving = WALK_BINDINGS.filter((b) => b.action !== 'close');
    expect(bindingFor(WALK_BINDINGS, 'b', key())).toBe('close');
    for (const ch of neighbours('b')) expect(moving.some((b) => b.matches(ch, key())), `${JSON.stringify(ch)} next to b`).toBe(false);
  });

  it('n and r act only in the trainer, never inside the walk, the diagram or the tour', () => {
    for (const bindings of [WALK_BINDINGS, DIAGRAM_BINDINGS, TOUR_BINDINGS] as readonly Binding<string>[][]) {
      for (const ch of ['n', 'r', 'N', 'R']) expect(bindingFor(bindings, ch, key())).toBeUndefined();
    }
  });
});
