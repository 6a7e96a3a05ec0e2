/** ASCII stand-ins for the characters the screen draws, for terminals whose locale is not UTF-8. */
const ASCII: Record<string, string> = {
  '─': '-', '━': '-', '┄': '.', '╌': '-', '│': '|', '┃': '|', '┆': ':', '╎': '|',
  '╭': '+', '╮': '+', '╰': '+', '╯': '+', '┌': '+', '┐': '+', '└': '+', '┘': '+',
  '┼': '+', '┤': '|', '├': '|', '┬': '+', '┴': '+', '╴': '-', '╶': '-', '╷': '|', '╵': '|',
  '▀': '"', '▄': ',', '█': '#', '░': '.', '▒': ':', '▓': '#', '▏': '|', '▕': '|',
  '●': 'O', '○': 'o', '■': 'X', '□': 'x', '•': 'o', '·': '.', '…': '.',
  '▶': '>', '⏸': '=', '✖': 'x', '✓': 'v', '✗': 'x', '❯': '>', '→': '>', '←': '<', '↑': '^', '↓': 'v',
  '×': 'x', '−': '-', '–': '-', '—': '-', '≈': '~', '≥': '>', '≤': '<', '²': '2', '∂': 'd', 'Δ': 'D', 'η': 'n', 'ε': 'e', '√': 'V',
  '▲': '^', '▼': 'v', '◀': '<', '▸': '>', '◂': '<', '⟶': '>', '⋯': '?', '↺': '^',
};

/** `text` with every character outside ASCII replaced, one column for one (unknown ones become ?). */
export function toAscii(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x00-\x7f]/gu, (ch) => ASCII[ch] ?? '?');
}

/**
 * A stream that writes through `stream`, turned to ASCII: under a C/POSIX locale every frame the
 * screen draws (borders, glyphs, and the `…` Ink adds where it cuts a line) stays ASCII, whatever
 * a component forgot. Everything else (size, resize events, isTTY) is the stream's own.
 */
export function asciiStream(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? toAscii(chunk) : chunk, ...rest);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
