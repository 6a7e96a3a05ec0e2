import { useStdin } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The keys of one input event, one by one: an escape sequence (an arrow, Alt+x) is one key,
 * anything else one key per character ("L0.05\r" pasted, "jj" typed fast).
 */
export function splitKeys(input: string): string[] {
  return input.startsWith('\u001B') ? [input] : [...input];
}

/**
 * Keys that arrive together (pasted, typed fast, over a slow link) reach the components one at
 * a time, each after the screen has been drawn for the one before. Ink hands every key of a read
 * to every `useInput` handler at once, before React has drawn anything: a handler then sees the
 * state from before the previous key (ink-select-input moves once for `↓↓` and selects the
 * first item on `↓↓⏎`), and a view opened by a key has not yet started listening for the next.
 *
 * Ink offers no hook for this, so this wraps the event emitter its `useInput` listens to: the
 * keys wait in a queue, and the next one goes out once React has committed the last one's
 * changes and run their effects (where Ink attaches the handlers of what was just drawn).
 */
export function OneKeyAtATime({ children }: { children: ReactNode }) {
  const { internal_eventEmitter: emitter } = useStdin();
  const queue = useRef<{ keys: string[]; busy: boolean; send: (key: string) => void }>({ keys: [], busy: false, send: () => {} });
  // Each delivered key draws this component once more: its effect below runs after every handler
  // of that frame is attached, whether or not the key changed anything on screen.
  const [delivered, setDelivered] = useState(0);

  const next = (): void => {
    const q = queue.current;
    const key = q.keys.shift();
    q.busy = key !== undefined;
    if (key === undefined) return;
    q.send(key);
    setDelivered((n) => n + 1);
  };

  useLayoutEffect(() => {
    const emit = emitter.emit;
    queue.current.send = (key) => emit.call(emitter, 'input', key);
    emitter.emit = function (this: typeof emitter, event: string | symbol, ...args: unknown[]): boolean {
      if (event !== 'input' || typeof args[0] !== 'string') return emit.call(this, event, ...args);
      queue.current.keys.push(...splitKeys(args[0]));
      if (!queue.current.busy) next();
      return true;
    };
    return () => {
      emitter.emit = emit;
      queue.current.keys = [];
      queue.current.busy = false;
    };
  }, [emitter]);

  useEffect(() => {
    if (queue.current.busy) next();
  }, [delivered]);

  return <>{children}</>;
}
