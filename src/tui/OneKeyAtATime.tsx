import { useApp, useStdin } from 'ink';
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

const CONTROL = /[\x00-\x1f\x7f]/;
const CTRL_C = '\u0003';
const ESC = '\u001B';
/** The rest of a CSI or SS3 sequence (an arrow's `[C`, `[1;5C`, `OA`) at the start of the text. */
const SEQUENCE_TAIL = /^(?:\[\[?[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|O[\x40-\x7e])/;
/** The start of such a rest whose last bytes are still to come (`[`, `[1;`). */
const TAIL_START = /^(?:\[\[?[\x30-\x3f]*[\x20-\x2f]*|O)$/;
/**
 * How long a lone ESC waits for the rest of an escape sequence before it counts as the esc key.
 * Ink waits one turn of the event loop; under load an arrow's bytes can come further apart, and
 * its `[C` then read as `[` and `c` (vim waits 100 ms, ttimeoutlen).
 */
export const ESC_WAIT_MS = 100;
/** A sequence's rest that comes this soon after its ESC was given out alone is dropped, not typed. */
const LATE_TAIL_MS = 1000;

/**
 * The next key of the pending input `text` (an Ink input event, or what is left of one): an
 * escape sequence (an arrow, Alt+x) is one key, anything else one character ("L0.05\r" pasted,
 * "jj" typed fast) — except that while a line is being typed, a run of printable characters
 * goes in at once (a pasted file name is one edit, not one frame per character).
 */
export function nextKey(text: string, typing: boolean): string {
  if (text.startsWith(ESC)) return text;
  const first = [...text][0] ?? '';
  if (!typing || CONTROL.test(first)) return /^[A-Z]$/.test(first) ? first.toLowerCase() : first;
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
 *
 * Two more things happen on the way. A capital letter goes out as its small letter unless a line
 * is being typed: keys that differ only in case never do different things (Caps Lock, and
 * ink-select-input's j/k). And a lone ESC waits up to `escapeWaitMs` for the rest of a sequence
 * that came apart: an arrow split into ESC and `[C` under load would otherwise close a view and
 * then type `[` and `c`; a rest that comes later still is dropped.
 */
export function OneKeyAtATime({ children, escapeWaitMs = ESC_WAIT_MS }: { children: ReactNode; escapeWaitMs?: number }) {
  const { internal_eventEmitter: emitter } = useStdin();
  const { exit } = useApp();
  const [entry] = useState(() => ({ lines: 0 }));
  const queue = useRef<{ pending: string[]; busy: boolean; send: (key: string) => void }>({ pending: [], busy: false, send: () => {} });
  /** A lone ESC held back (its timer) with what came after it so far, and when the last one held was given out alone. */
  const escape = useRef<{ held: NodeJS.Timeout | null; after: string; givenAt: number | null }>({ held: null, after: '', givenAt: null });
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
    const esc = escape.current;
    queue.current.send = (key) => emit.call(emitter, 'input', key);
    const enqueue = (text: string): void => {
      queue.current.pending.push(text);
      if (!queue.current.busy) next();
    };
    /** Hold an ESC back (with the start of a rest, `after`) until its rest comes or `escapeWaitMs` pass. */
    const hold = (after: string): void => {
      esc.after = after;
      // From the timer, give it out on the next turn: a rest already read by then (its bytes
      // waiting while the loop was busy) comes first and joins it.
      esc.held = setTimeout(() => {
        setImmediate(() => {
          if (esc.held === null) return;
          esc.held = null;
          esc.after = ''; // a rest begun but never ended is not keys of its own
          esc.givenAt = performance.now();
          enqueue(ESC);
        });
      }, escapeWaitMs);
    };
    const receive = (input: string): void => {
      let text = input;
      const givenAt = esc.givenAt;
      esc.givenAt = null;
      if (esc.held !== null) {
        clearTimeout(esc.held);
        esc.held = null;
        text = esc.after + text;
        const tail = SEQUENCE_TAIL.exec(text)?.[0];
        if (tail === undefined && TAIL_START.test(text)) return hold(text); // `[`, then `C` in a later read
        enqueue(ESC + (tail ?? '')); // the whole sequence, or the esc key before what follows it
        text = text.slice(tail?.length ?? 0);
      } else if (givenAt !== null && performance.now() - givenAt < LATE_TAIL_MS && SEQUENCE_TAIL.exec(text)?.[0] === text) {
        return; // the rest of a sequence whose ESC went out as the esc key: not keys of its own
      }
      if (text === ESC) return hold('');
      if (text !== '') enqueue(text);
    };
    emitter.emit = function (this: typeof emitter, event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'input' || typeof args[0] !== 'string' || args[0] === '') return emit.call(this, event, ...args);
      // Ctrl+C never waits behind other keys. Ink quits on a lone Ctrl+C itself (exitOnCtrlC) and
      // then hands it to no handler; inside a chunk ("j\x03") it would not see it, so quit here as Ink does.
      if (args[0] !== CTRL_C && args[0].includes(CTRL_C)) {
        queue.current.pending = [];
        exit();
        return true;
      }
      receive(args[0]);
      return true;
    };
    return () => {
      emitter.emit = emit;
      if (esc.held !== null) clearTimeout(esc.held);
      esc.held = null;
      queue.current.pending = [];
      queue.current.busy = false;
    };
  }, [emitter, exit, escapeWaitMs]);

  useEffect(() => {
    if (queue.current.busy) next();
  }, [delivered]);

  return <TextEntryContext.Provider value={entry}>{children}</TextEntryContext.Provider>;
}
