import { createContext, useContext } from 'react';

/** How many colours the terminal shows: none, 16, 256 or 24-bit. */
export type ColourDepth = 0 | 16 | 256 | 16_777_216;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The terminal's colour depth from the environment: none under NO_COLOR (no-color.org) or
 * TERM=dumb, 24-bit where COLORTERM says truecolor/24bit, 256 where TERM says 256color, else 16.
 */
export function colourDepth(env: Env = process.env): ColourDepth {
  if ((env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb') return 0;
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  if (colorterm === 'truecolor' || colorterm === '24bit') return 16_777_216;
  if (/256/.test(env.TERM ?? '')) return 256;
  return 16;
}

/**
 * True when the locale's character set is UTF-8. The first of LC_ALL, LC_CTYPE and LANG that is
 * set decides (as the C library does); none set means the C locale, which is ASCII.
 */
export function unicodeLocale(env: Env = process.env): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /utf-?8/i.test(locale);
}

/** What the screen may draw with: decided once at start from the environment, overridable in tests. */
export interface Terminal {
  depth: ColourDepth;
  unicode: boolean;
}

export const TerminalContext = createContext<Terminal>({ depth: colourDepth(), unicode: unicodeLocale() });

export function useTerminal(): Terminal {
  return useContext(TerminalContext);
}
