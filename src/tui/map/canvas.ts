import type { ColourDepth } from '../terminal.js';
import { RESET, sgr, type Rgb } from './palette.js';

/** One character cell: a glyph with optional foreground and background colours. */
export interface Cell {
  char: string;
  fg?: Rgb;
  bg?: Rgb;
}

/** A grid of cells, `width` x `rows`, blank to start with. */
export class Canvas {
  readonly cells: Cell[][];

  constructor(
    readonly width: number,
    readonly rows: number,
  ) {
    this.cells = Array.from({ length: rows }, () => Array.from({ length: width }, () => ({ char: ' ' })));
  }

  set(row: number, col: number, cell: Cell): void {
    if (row >= 0 && row < this.rows && col >= 0 && col < this.width) this.cells[row][col] = cell;
  }

  get(row: number, col: number): Cell | undefined {
    return this.cells[row]?.[col];
  }

  /**
   * The rows as strings for the terminal: colours as SGR escapes at `depth` (none at 0), sent
   * only where they change, and reset at the end of each line.
   */
  lines(depth: ColourDepth): string[] {
    return this.cells.map((row) => {
      let out = '';
      let fg = '';
      let bg = '';
      for (const cell of row) {
        const f = cell.fg === undefined ? '' : sgr(cell.fg, depth);
        const b = cell.bg === undefined ? '' : sgr(cell.bg, depth, true);
        if (f !== fg || b !== bg) {
          if ((fg !== '' && f === '') || (bg !== '' && b === '')) out += RESET;
          out += f + b;
          fg = f;
          bg = b;
        }
        out += cell.char;
      }
      return fg !== '' || bg !== '' ? out + RESET : out;
    });
  }
}
