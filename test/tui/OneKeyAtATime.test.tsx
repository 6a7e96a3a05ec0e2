import { Text } from 'ink';
import SelectInput from 'ink-select-input';
import { cleanup, render } from 'ink-testing-library';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextKey, OneKeyAtATime } from '../../src/tui/OneKeyAtATime.js';
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
    expect(nextKey('L0.05\r', false)).toBe('L');
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
});
