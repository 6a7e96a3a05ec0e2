import { describe, expect, it } from 'vitest';
import { asciiStream, toAscii } from '../../src/tui/ascii.js';

describe('toAscii', () => {
  it('turns the screen\'s characters into ASCII, one column for one, and leaves colour codes alone', () => {
    const line = '╭─ loss ┄ ─╮│▀▄█░▓●○■□·…▶⏸✓✗❯│\x1b[38;5;33mx\x1b[0m';
    const out = toAscii(line);
    expect(out).toMatch(/^[\x00-\x7f]*$/);
    expect(out).toBe('+- loss . -+|",#.#OoXx..>=vx>|\x1b[38;5;33mx\x1b[0m');
    expect(toAscii('漢')).toBe('?');
    expect(toAscii('↺ restored')).toBe('^ restored'); // as the chart's axis marks it in ASCII
    // A status figure still to come reads apart from the separators around it.
    expect(toAscii('epoch 0/200 · loss ⋯ · acc ⋯')).toBe('epoch 0/200 . loss ? . acc ?');
  });
});

describe('asciiStream', () => {
  it('writes ASCII through the stream and keeps its size and events', () => {
    const written: string[] = [];
    const stream = { columns: 80, rows: 24, isTTY: true, write: (s: string) => (written.push(s), true), on: () => stream } as unknown as NodeJS.WriteStream;
    const wrapped = asciiStream(stream);
    wrapped.write('│ ● │');
    expect(written).toEqual(['| O |']);
    expect(wrapped.columns).toBe(80);
    expect(wrapped.isTTY).toBe(true);
    expect(wrapped.on('resize', () => {})).toBe(stream);
  });
});
