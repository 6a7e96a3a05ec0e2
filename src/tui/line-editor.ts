/** The keys the line editor reacts to; Ink's `Key` is one, `{}` is plain text. */
export interface EditKey {
  escape?: boolean;
  return?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** The line after a key, and whether the key ended the editing (enter submits, esc cancels). */
export interface Edit {
  text: string;
  done: 'submit' | 'cancel' | null;
}

/** Longer lines are cut: a file name or a learning rate never needs more. */
export const MAX_LINE = 240;

const CONTROL = /[\x00-\x1f]/;

/**
 * One key event applied to a line being typed: text is appended, backspace deletes the last
 * character, Ctrl+U clears the line as in a shell, enter submits and esc cancels. Fast typing
 * (or tmux) may deliver several keys as one `input`, "0.05\r" say: each character counts, and
 * enter submits what came before it.
 */
export function editLine(text: string, input: string, key: EditKey): Edit {
  if (key.escape) return { text, done: 'cancel' };
  if (key.return) return { text, done: 'submit' };
  if (key.ctrl || key.meta) return { text: key.ctrl && input === 'u' ? '' : text, done: null };
  if (key.backspace || key.delete) return { text: text.slice(0, -1), done: null };
  let line = text;
  for (const ch of input) {
    if (ch === '\r' || ch === '\n') return { text: line, done: 'submit' };
    if (ch === '\x7f' || ch === '\b') line = line.slice(0, -1);
    else if (ch === '\x15') line = ''; // Ctrl+U typed together with other keys
    else if (!CONTROL.test(ch)) line += ch;
  }
  return { text: line.slice(0, MAX_LINE), done: null };
}

/**
 * `label`, the text with the cursor after it, then `keys`, in at most `room` characters. Text too
 * long for the room keeps its end, where the cursor is (cut at the end, what is being typed would
 * be out of sight); the keys go first.
 */
export function editedLine(label: string, text: string, keys: string, room: number): string {
  const line = `${label}${text}▏${keys}`;
  if (line.length <= room) return line;
  const fits = Math.max(2, room - label.length - 1);
  return `${label}${text.length > fits ? '…' + text.slice(-(fits - 1)) : text}▏`;
}
