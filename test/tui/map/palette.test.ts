import { describe, expect, it } from 'vitest';
import { ansi16, ansi256, BLUE, divergingColour, ORANGE, PALE, sgr } from '../../../src/tui/map/palette.js';
import { colourDepth, unicodeLocale } from '../../../src/tui/terminal.js';

describe('the diverging palette', () => {
  it('is orange at -1, pale at 0, blue at +1, and clamps beyond', () => {
    expect(divergingColour(-1)).toEqual(ORANGE);
    expect(divergingColour(0)).toEqual(PALE);
    expect(divergingColour(1)).toEqual(BLUE);
    expect(divergingColour(-7)).toEqual(ORANGE);
    expect(divergingColour(Number.NaN)).toEqual(PALE);
  });

  it('gets stronger with |score| on each side', () => {
    const distance = (score: number, to: readonly number[]): number => divergingColour(score).reduce((s, c, i) => s + Math.abs(c - (to[i] as number)), 0);
    expect(distance(0.8, BLUE)).toBeLessThan(distance(0.3, BLUE));
    expect(distance(-0.8, ORANGE)).toBeLessThan(distance(-0.3, ORANGE));
  });

  it('is written at the depth the terminal has: 24-bit, 256 or 16 colours, or not at all', () => {
    expect(sgr(BLUE, 16_777_216)).toBe('\x1b[38;2;8;119;189m');
    expect(sgr(BLUE, 16_777_216, true)).toBe('\x1b[48;2;8;119;189m');
    expect(sgr(BLUE, 256)).toBe(`\x1b[38;5;${ansi256(BLUE)}m`);
    expect(ansi256([0, 0, 0])).toBe(16);
    expect(ansi256([255, 255, 255])).toBe(231);
    expect(ansi256([128, 128, 128])).toBe(244);
    expect(ansi16(BLUE)).toBe(4);
    expect(ansi16(ORANGE)).toBe(3);
    expect(ansi16(PALE)).toBe(15);
    expect(sgr(BLUE, 16)).toBe('\x1b[34m');
    expect(sgr(PALE, 16, true)).toBe('\x1b[107m');
    expect(sgr(BLUE, 0)).toBe('');
  });
});

describe('the terminal', () => {
  it('has no colour under NO_COLOR or TERM=dumb, 24-bit where COLORTERM says so, else 256 or 16', () => {
    expect(colourDepth({ NO_COLOR: '1', COLORTERM: 'truecolor' })).toBe(0);
    expect(colourDepth({ TERM: 'dumb' })).toBe(0);
    expect(colourDepth({ NO_COLOR: '', COLORTERM: 'truecolor' })).toBe(16_777_216);
    expect(colourDepth({ COLORTERM: '24bit', TERM: 'xterm' })).toBe(16_777_216);
    expect(colourDepth({ TERM: 'tmux-256color' })).toBe(256);
    expect(colourDepth({ TERM: 'xterm' })).toBe(16);
  });

  it('uses Unicode only under a UTF-8 locale: LC_ALL, then LC_CTYPE, then LANG', () => {
    expect(unicodeLocale({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(unicodeLocale({ LANG: 'C.utf8' })).toBe(true);
    expect(unicodeLocale({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(unicodeLocale({ LC_CTYPE: 'POSIX', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(unicodeLocale({ LC_ALL: '', LC_CTYPE: 'de_DE.UTF-8', LANG: 'C' })).toBe(true);
    expect(unicodeLocale({ LANG: 'C' })).toBe(false);
    expect(unicodeLocale({})).toBe(false);
  });
});
