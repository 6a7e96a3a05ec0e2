import { createContext, useContext } from 'react';
import { colourDepth } from './terminal.js';

/** Whether to use colour: off when NO_COLOR is set to anything non-empty (no-color.org) or TERM=dumb. */
export const ColorContext = createContext<boolean>(colourDepth() > 0);

export interface Paint {
  /** Props that colour a Text, or nothing when colour is off: `<Text {...paint.fg('red')}>`. */
  fg(color: string): { color?: string };
  /** Props that colour a Box's border. */
  border(color: string): { borderColor?: string };
  /** Dimmed text, only when colour is on. */
  dim(): { dimColor?: boolean };
}

export function usePaint(): Paint {
  const on = useContext(ColorContext);
  return {
    fg: (color) => (on ? { color } : {}),
    border: (color) => (on ? { borderColor: color } : {}),
    dim: () => (on ? { dimColor: true } : {}),
  };
}
