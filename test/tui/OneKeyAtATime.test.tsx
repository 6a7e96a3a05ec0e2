import { Text } from 'ink';
import SelectInput from 'ink-select-input';
import { cleanup, render } from 'ink-testing-library';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OneKeyAtATime, splitKeys } from '../../src/tui/OneKeyAtATime.js';
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
  it('splits an input event into keys: escape sequences whole, text one character at a time', () => {
    expect(splitKeys('L0.05\r')).toEqual(['L', '0', '.', '0', '5', '\r']);
    expect(splitKeys(KEYS.down)).toEqual([KEYS.down]);
    expect(splitKeys('😀a')).toEqual(['😀', 'a']);
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
