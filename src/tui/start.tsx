import { render } from 'ink';
import { onStop, stopExitCode, type StopReason } from '../io/signals.js';
import { writeErr, writeOut } from '../io/stdio.js';
import { BackgroundTrainer } from '../train/background.js';
import type { RunFilePaths, RunFiles } from '../train/run-files.js';
import type { TrainingSession } from '../train/session.js';
import type { RunOptions } from '../train/setup.js';
import { App } from './App.js';
import { asciiStream } from './ascii.js';
import { unicodeLocale } from './terminal.js';
import { Controller } from './controller.js';
import { attachRunFiles } from './run-files.js';
import { formatLoss } from '../format.js';
import { oneLine } from '../io/one-line.js';
import { messageOf } from '../errors.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * Open the terminal trainer and resolve with the exit code when it closes. Without an
 * interactive terminal it says so in one line and gives 2. The screen is drawn on the
 * alternate screen, so quitting (q, Ctrl+C, SIGTERM, SIGHUP) leaves the terminal as it was;
 * on the way out the autosave, --save and --export-history files are written. With `tour` it
 * opens on the guided tour (--tour); it draws at most `maxFps` frames a second (--fps).
 */
export async function startTui(
  options: RunOptions,
  session?: TrainingSession,
  paths: RunFilePaths = {},
  tour = false,
  maxFps = 30,
  /** Epochs a second to play at (Infinity, the default: max). */
  pace = Infinity,
): Promise<number> {
  if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
    writeErr(
      'micrograd-tui: the terminal UI needs an interactive terminal (over SSH use ssh -t); add --headless to train without it\n',
    );
    return 2;
  }
  // Training runs in a worker thread: the screen and the keys never wait for a step.
  const controller = new Controller({
    run: options,
    ...(session !== undefined && { session }),
    background: (config, events) => new BackgroundTrainer(config, events),
  });
  controller.setPace(pace);
  const files = attachRunFiles(controller, paths);

  let onScreen = true;
  // Also on an exit Ink does not see (an uncaught error): the terminal goes back to how it was found.
  const leaveScreen = (): void => {
    if (!onScreen) return;
    onScreen = false;
    writeOut(LEAVE_ALT_SCREEN + SHOW_CURSOR);
    if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
  };
  writeOut(ENTER_ALT_SCREEN);
  process.on('exit', leaveScreen);

  // The App paces its own frames (at most maxFps a second while training): Ink's own limit would only
  // hold back the answer to a key until a timer fires after the next slice of training.
  // Under a locale that is not UTF-8 the whole screen is drawn in ASCII (see terminal.ts).
  const stdout = unicodeLocale() ? process.stdout : asciiStream(process.stdout);
  const instance = render(<App controller={controller} files={files} tour={tour} maxFps={maxFps} />, { maxFps: 1000, stdout });
  // A signal, or a terminal that went away (a closed window, a dropped SSH link), ends the UI
  // where it is; the files are written below, before the process exits.
  // Ink's exit promise waits for a write to the terminal, which never completes once it is gone.
  let stopped: StopReason | undefined;
  let stopNow = (): void => {};
  const stop = new Promise<void>((resolve) => (stopNow = resolve));
  const uninstall = onStop((reason) => {
    stopped = reason;
    controller.dispose(); // training stops at the epoch reached
    instance.unmount();
    stopNow();
  });

  let code = 0;
  try {
    await Promise.race([instance.waitUntilExit(), stop]);
  } catch (err) {
    writeErr(`micrograd-tui: ${messageOf(err)}\n`);
    code = 1;
  } finally {
    controller.dispose();
    leaveScreen();
    process.off('exit', leaveScreen);
  }
  const written = writeFiles(files);
  uninstall(); // only now: a hang-up that follows a failed write must not end the saves half way
  const s = controller.session;
  if (stopped !== undefined) {
    writeErr(`micrograd-tui: ${stopped}: stopped at epoch ${s.epoch}${written ?? ''}\n`);
    return written === null ? 2 : stopExitCode(stopped);
  }
  // A tour left before any training (--tour, then q) has no run to report.
  const untouched = tour && s.epoch === 0 && s.batchesDone === 0 && written === '';
  if (!untouched) writeOut(`micrograd-tui: stopped at epoch ${s.epoch}/${s.epochs}, loss ${formatLoss(s.reported.loss)}, seed ${s.config.seed}${written ?? ''}\n`);
  return written === null ? 2 : code;
}

/**
 * Write the run's end-of-run files: the autosave, --save and --export-history files. Returns
 * `; wrote a (seed 42, epoch 200)` for the closing line, or null when one failed (each failure has said why).
 */
function writeFiles(files: RunFiles): string | null {
  const { written, failures, kept } = files.finish();
  for (const failure of failures) writeErr(`micrograd-tui: ${failure}\n`);
  if (failures.length > 0) return null;
  // Say what each file holds: after r or n the autosave file still holds the run before.
  const wrote = written.map((w) => `; wrote ${oneLine(w.path)} (${w.holds})`);
  const left = kept.map((k) => `; ${oneLine(k.path)} holds the earlier run (${k.holds}), autosaved before the new one`);
  return [...wrote, ...left].join('');
}
