import { useApp, useStdin } from 'ink';
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const CONTROL = /[\x00-\x1f\x7f]/;
const CTRL_C = '\u0003';

/**
 * The next key of the pending input `text` (an Ink input event, or what is left of one): an
 * escape sequence (an arrow, Alt+x) is one key, anything else one character ("L0.05\r" pasted,
 * "jj" typed fast) — except that while a line is being typed, a run of printable characters
 * goes in at once (a pasted file name is one edit, not one frame per character).
 */
export function nextKey(text: string, typing: boolean): string {
  if (text.startsWith('\u001B')) return text;
  const first = [...text][0] ?? '';
  if (!typing || CONTROL.test(first)) return first;
  const end = text.search(CONTROL);
  return end < 0 ? text : text.slice(0, end);
}

/** How many lines are being typed on screen now (a mutable count, read when the next key goes out). */
const TextEntryContext = createContext<{ lines: number }>({ lines: 0 });

/** Say that a line is being typed while `active`: text pasted into it then goes in as a whole. */
export function useTextEntry(active: boolean): void {
  const entry = useContext(TextEntryContext);
  useLayoutEffect(() => {
    if (!active) return;
    entry.lines++;
    return () => {
      entry.lines--;
    };
  }, [active, entry]);
}

/**
 * Keys that arrive together (pasted, typed fast, over a slow link) reach the components one at
 * a time, each after the screen has been drawn for the one before. Ink hands every key of a read
 * to every `useInput` handler at once, before React has drawn anything: a handler then sees the
 * state from before the previous key (ink-select-input moves once for `↓↓` and selects the
 * first item on `↓↓⏎`), and a view opened by a key has not yet started listening for the next.
 *
 * Ink offers no hook for this, so this wraps the event emitter its `useInput` listens to: the
 * input waits in a queue, and the next key goes out once React has committed the last one's
 * changes and run their effects (where Ink attaches the handlers of what was just drawn).
 */
export function OneKeyAtATime({ children }: { children: ReactNode }) {
  const { internal_eventEmitter: emitter } = useStdin();
  const { exit } = useApp();
  const [entry] = useState(() => ({ lines: 0 }));
  const queue = useRef<{ pending: string[]; busy: boolean; send: (key: string) => void }>({ pending: [], busy: false, send: () => {} });
  // Each delivered key draws this component once more: its effect below runs after every handler
  // of that frame is attached, whether or not the key changed anything on screen.
  const [delivered, setDelivered] = useState(0);

  const next = (): void => {
    const q = queue.current;
    const text = q.pending[0];
    q.busy = text !== undefined;
    if (text === undefined) return;
    const key = nextKey(text, entry.lines > 0);
    if (key.length === text.length) q.pending.shift();
    else q.pending[0] = text.slice(key.length);
    q.send(key);
    setDelivered((n) => n + 1);
  };

  useLayoutEffect(() => {
    const emit = emitter.emit;
    queue.current.send = (key) => emit.call(emitter, 'input', key);
    emitter.emit = function (this: typeof emitter, event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'input' || typeof args[0] !== 'string' || args[0] === '') return emit.call(this, event, ...args);
      // Ctrl+C never waits behind other keys. Ink quits on a lone Ctrl+C itself (exitOnCtrlC) and
      // then hands it to no handler; inside a chunk ("j\x03") it would not see it, so quit here as Ink does.
      if (args[0] !== CTRL_C && args[0].includes(CTRL_C)) {
        queue.current.pending = [];
        exit();
        return true;
      }
      queue.current.pending.push(args[0]);
      if (!queue.current.busy) next();
      return true;
    };
    return () => {
      emitter.emit = emit;
      queue.current.pending = [];
      queue.current.busy = false;
    };
  }, [emitter, exit]);

  useEffect(() => {
    if (queue.current.busy) next();
  }, [delivered]);

  return <TextEntryContext.Provider value={entry}>{children}</TextEntryContext.Provider>;
}
