import { Text, useInput } from 'ink';
import SelectInput from 'ink-select-input';
import { cleanup, render } from 'ink-testing-library';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextKey, OneKeyAtATime, useTextEntry } from '../../src/tui/OneKeyAtATime.js';
import { KEYS } from './render-app.js';

afterEach(() => cleanup());

const ITEMS = ['one', 'two', 'three', 'four'].map((v) => ({ label: v, value: v }));

function Picker() {
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <>
      <SelectInput items={ITEMS} onSelect={(item) => setChosen((c) => [...c, item.value])} />
      <Text>chosen: {chosen.join(' ')}</Text>
    </>
  );
}

describe('OneKeyAtATime', () => {
  it('takes keys one by one: escape sequences whole, text a character at a time, or a printable run while a line is typed', () => {
    expect(nextKey('L0.05\r', false)).toBe('l'); // a capital goes out small
    expect(nextKey('😀a', false)).toBe('😀');
    expect(nextKey(KEYS.down, false)).toBe(KEYS.down);
    expect(nextKey('0.05\rs', true)).toBe('0.05');
    expect(nextKey('\rs', true)).toBe('\r');
    expect(nextKey('\u0015abc', true)).toBe('\u0015');
  });

  it('gives ink-select-input ↓↓⏎ sent at once as three keys: the third item is chosen', async () => {
    const app = render(
      <OneKeyAtATime>
        <Picker />
      </OneKeyAtATime>,
    );
    await new Promise((resolve) => setImmediate(resolve));
    app.stdin.write(KEYS.down + KEYS.down + KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain('chosen: three'), { interval: 5, timeout: 10_000 });
    app.stdin.write('jk' + 'j\r');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('chosen: three four'), { interval: 5, timeout: 10_000 });
  });

  it('gives a capital letter out as its small letter (ink-select-input moves on J as on j), unless a line is typed', async () => {
    const app = render(
      <OneKeyAtATime>
        <Picker />
      </OneKeyAtATime>,
    );
    await new Promise((resolve) => setImmediate(resolve));
    app.stdin.write('JJ\r');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('chosen: three'), { interval: 5, timeout: 10_000 });
    const typed = render(
      <OneKeyAtATime>
        <Keys typing />
      </OneKeyAtATime>,
    );
    await new Promise((resolve) => setImmediate(resolve));
    typed.stdin.write('Run1');
    await vi.waitFor(() => expect(typed.lastFrame()).toContain('keys: Run1'), { interval: 5, timeout: 10_000 });
  });

  /** Ink gives out a lone ESC on the next turn of the event loop: then write what follows it. */
  const afterInk = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

  it('joins an arrow split into ESC and [C (under load) into one arrow, and gives a lone ESC out as esc', async () => {
    const app = render(
      <OneKeyAtATime escapeWaitMs={60_000}>
        <Keys />
      </OneKeyAtATime>,
    );
    await new Promise((resolve) => setImmediate(resolve));
    app.stdin.write('\u001B');
    await afterInk();
    app.stdin.write('[Cx');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('keys: → x'), { interval: 5, timeout: 10_000 });
    // Split in three: ESC, `[`, `C`.
    app.stdin.write('\u001B');
    await afterInk();
    app.stdin.write('[');
    await afterInk();
    app.stdin.write('C');
    await vi.waitFor(() => expect(app.lastFrame()).toContain('keys: → x →'), { interval: 5, timeout: 10_000 });
    const quick = render(
      <OneKeyAtATime escapeWaitMs={0}>
        <Keys />
      </OneKeyAtATime>,
    );
    await new Promise((resolve) => setImmediate(resolve));
    quick.stdin.write('\u001B');
    await vi.waitFor(() => expect(quick.lastFrame()).toContain('keys: esc'), { interval: 5, timeout: 10_000 });
    // The rest of the sequence, later still, is dropped: not `[` and `c` typed into the view.
    quick.stdin.write('[C');
    quick.stdin.write('x');
    await vi.waitFor(() => expect(quick.lastFrame()).toContain('keys: esc x'), { interval: 5, timeout: 10_000 });
  });
});

/** Every key it is given, by name; `typing` says a line is being typed. */
function Keys({ typing = false }: { typing?: boolean }) {
  const [keys, setKeys] = useState<string[]>([]);
  useTextEntry(typing);
  useInput((input, key) => {
    const name = key.rightArrow ? '→' : key.escape ? 'esc' : input;
    setKeys((k) => (typing ? [k.join('') + name] : [...k, name]));
  });
  return <Text>keys: {keys.join(' ')}</Text>;
}
