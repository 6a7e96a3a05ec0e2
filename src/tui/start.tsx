import { render } from 'ink';
import type { TrainingSession } from '../train/session.js';
import type { RunOptions } from '../train/setup.js';
import { App } from './App.js';
import { Controller } from './controller.js';
import { formatLoss } from './format.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SIGNALS = { SIGTERM: 15, SIGHUP: 1 } as const;

/**
 * Open the terminal trainer and resolve with the exit code when it closes. Without an
 * interactive terminal it says so in one line and gives 2. The screen is drawn on the
 * alternate screen, so quitting (q, Ctrl+C, SIGTERM, SIGHUP) leaves the terminal as it was.
 */
export async function startTui(options: RunOptions, session?: TrainingSession): Promise<number> {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    process.stderr.write(
      'micrograd-tui: the terminal UI needs an interactive terminal (over SSH use ssh -t); add --headless to train without it\n',
    );
    return 2;
  }
  const controller = new Controller(options, undefined, session);
  let onScreen = true;
  const leaveScreen = (): void => {
    if (!onScreen) return;
    onScreen = false;
    process.stdout.write(LEAVE_ALT_SCREEN);
  };
  process.stdout.write(ENTER_ALT_SCREEN);
  process.on('exit', leaveScreen);

  const instance = render(<App controller={controller} />, { maxFps: 30 });
  const onSignal = (signal: keyof typeof SIGNALS) => (): void => {
    controller.dispose();
    instance.unmount();
    leaveScreen();
    process.exit(128 + SIGNALS[signal]);
  };
  const handlers = Object.keys(SIGNALS).map((s) => {
    const signal = s as keyof typeof SIGNALS;
    const handler = onSignal(signal);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });

  let code = 0;
  try {
    await instance.waitUntilExit();
  } catch (err) {
    process.stderr.write(`micrograd-tui: ${(err as Error).message}\n`);
    code = 1;
  } finally {
    controller.dispose();
    leaveScreen();
    process.off('exit', leaveScreen);
    for (const off of handlers) off();
  }
  const s = controller.session;
  process.stdout.write(`micrograd-tui: stopped at epoch ${s.epoch}/${s.epochs}, loss ${formatLoss(s.latest.loss)}, seed ${s.config.seed}\n`);
  return code;
}
