/**
 * `text` as one printable line: newlines, carriage returns, escape sequences and other control
 * characters are shown escaped (`\n`, `\x1b`), so a message that quotes a hostile file name or
 * file content can neither break the line nor drive the terminal.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** At most `max` characters of a user's text, for quoting it in a message. */
export function clip(text: string, max = 20): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
