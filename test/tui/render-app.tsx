import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { EventEmitter } from 'node:events';
import type { ReactNode } from 'react';
import { stripVTControlCharacters } from 'node:util';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';
import { RunFiles } from '../../src/train/run-files.js';
import type { TrainingSession } from '../../src/train/session.js';
import { App } from '../../src/tui/App.js';
import { asciiStream } from '../../src/tui/ascii.js';
import { Controller, type BackgroundFactory } from '../../src/tui/controller.js';
import type { Size } from '../../src/tui/use-terminal-size.js';
import { ColorContext } from '../../src/tui/theme.js';
import { TerminalContext, type Terminal } from '../../src/tui/terminal.js';
import { ManualScheduler } from './manual-scheduler.js';

/** Key strings as a terminal sends them. */
export const KEYS = {
  enter: '\r',
  escape: '\u001B',
  backspace: '\u007F',
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  ctrlC: '\u0003',
} as const;

export interface AppOptions {
  options?: Partial<RunOptions>;
  size?: Size;
  color?: boolean;
  /** Colour depth and Unicode; by default 256 colours (when `color`) and Unicode, whatever the test's environment. */
  terminal?: Partial<Terminal>;
  /** Where `w` and `e` write files given relative names (by default the working directory). */
  directory?: string;
  /** The run's session, when there already is one (a checkpoint continued); built from `options` otherwise. */
  session?: TrainingSession;
  /** Train in a worker made so; none by default. */
  background?: BackgroundFactory;
}

function Screen({ color = false, terminal = {}, children }: { color?: boolean; terminal?: Partial<Terminal>; children: ReactNode }) {
  return (
    <TerminalContext.Provider value={{ depth: color ? 256 : 0, unicode: true, ...terminal }}>
      <ColorContext.Provider value={color}>{children}</ColorContext.Provider>
    </TerminalContext.Provider>
  );
}

/**
 * The App on a controller whose training only advances when the test runs `scheduler`,
 * rendered by ink-testing-library and ready for keys (one tick has passed).
 */
export type RenderedApp = ReturnType<typeof render> & {
  controller: Controller;
  scheduler: ManualScheduler;
  /** The last frame without colour codes. */
  frame: () => string;
  lines: () => string[];
};

export async function renderApp({ options = {}, size = { columns: 80, rows: 24 }, color = false, terminal, directory, session, background }: AppOptions = {}): Promise<RenderedApp> {
  const scheduler = new ManualScheduler();
  const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, ...options }, scheduler, ...(session && { session }), ...(background && { background }) });
  const files = directory === undefined ? undefined : new RunFiles({}, () => ({ options: controller.options, session: controller.session }), { directory });
  const result = render(
    <Screen color={color} {...(terminal && { terminal })}>
      <App controller={controller} size={size} {...(files && { files })} />
    </Screen>,
  );
  await new Promise((resolve) => setImmediate(resolve));
  const frame = (): string => stripVTControlCharacters(result.lastFrame() ?? '');
  const lines = (): string[] => frame().split('\n');
  return { ...result, controller, scheduler, frame, lines };
}

/** A terminal stand-in for Ink's own `render`: any width, and the instance's exit promise. */
class FakeStdout extends EventEmitter {
  lastFrame = '';
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  /** Change the size as a terminal window does, and say so. */
  resize(size: Size): void {
    this.columns = size.columns;
    this.rows = size.rows;
    this.emit('resize');
  }
  write = (frame: string): boolean => {
    this.lastFrame = frame;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
  }
  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  ref(): void {}
  unref(): void {}
  resume(): void {}
  pause(): void {}
}

const mounted: { unmount: () => void }[] = [];

/** Unmount what `renderAppInTerminal` rendered (ink-testing-library's cleanup does not know it). */
export function cleanupTerminals(): void {
  for (const instance of mounted.splice(0)) instance.unmount();
}

/**
 * Like `renderApp`, through Ink's `render` with a stdout of `size` (the library's is 100 columns
 * wide). With `fromTerminal` the App reads the size from the stream instead of a prop; with
 * `terminal.unicode` false the frames go through the ASCII stream, as under a C locale.
 */
export async function renderAppInTerminal({ options = {}, size = { columns: 80, rows: 24 }, color = false, terminal, fromTerminal = false }: AppOptions & { fromTerminal?: boolean } = {}) {
  const scheduler = new ManualScheduler();
  const controller = new Controller({ run: { ...DEFAULT_RUN_OPTIONS, ...options }, scheduler });
  const stdout = new FakeStdout(size.columns, size.rows);
  // Under an ASCII locale the screen goes through the ASCII stream, as start.tsx sends it.
  const out = terminal?.unicode === false ? asciiStream(stdout as unknown as NodeJS.WriteStream) : stdout;
  const stdin = new FakeStdin();
  const instance = inkRender(
    <Screen color={color} {...(terminal && { terminal })}>
      {fromTerminal ? <App controller={controller} /> : <App controller={controller} size={size} />}
    </Screen>,
    {
      stdout: out as unknown as NodeJS.WriteStream,
      stderr: new FakeStdout(size.columns, size.rows) as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  mounted.push(instance);
  await new Promise((resolve) => setImmediate(resolve));
  const frame = (): string => stripVTControlCharacters(stdout.lastFrame);
  return { instance, stdin, stdout, controller, scheduler, frame, lines: () => frame().split('\n') };
}
