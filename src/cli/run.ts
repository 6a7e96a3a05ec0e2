import { UserError } from '../errors.js';
import { checkWritable } from '../io/atomic-write.js';
import { checkCollisions, filesOf } from './collisions.js';
import { oneLine } from '../io/one-line.js';
import { RunFiles, type RunFilePaths } from '../train/run-files.js';
import type { TrainingSession } from '../train/session.js';
import { VERSION } from '../version.js';
import { helpText, parseCli, type CliOptions } from './args.js';
import { runHeadless } from './headless.js';
import { openSession } from './open-session.js';
import { onStop, stopExitCode, type StopReason } from '../io/signals.js';
import { writeErr, writeOut } from '../io/stdio.js';

/** Where the command writes: the process's stdout and stderr, or a test's buffers. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processOutput: Output = { out: writeOut, err: writeErr };

/**
 * Run the command with `argv` and return its exit code: 0 done, 1 diverged, 2 a user mistake
 * (one line on stderr, no stack trace), 128 + n stopped by signal n after saving (141 when the
 * reader of stdout went away, 1 when stdout failed: see `stopExitCode`).
 */
export async function run(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const { out, err } = output;
  try {
    const options = parseCli(argv);
    if (options.mode === 'help') {
      out(helpText());
      return 0;
    }
    if (options.mode === 'version') {
      out(`micrograd-tui ${VERSION}\n`);
      return 0;
    }
    for (const path of [options.save, options.autosave, options.exportHistory]) if (path !== undefined) checkWritable(path);
    const { run: runOptions, session } = openSession(options);
    checkCollisions(filesOf(options, runOptions));
    const paths: RunFilePaths = {
      ...(options.autosave !== undefined && { autosave: { path: options.autosave, every: options.autosaveEvery } }),
      ...(options.save !== undefined && { save: options.save }),
      ...(options.exportHistory !== undefined && { exportHistory: options.exportHistory }),
      ...(options.load !== undefined && { load: options.load }),
    };
    if (options.mode === 'tui') {
      // Loaded only here: Ink and React are most of the program's start-up, which --help, --version and headless runs need not pay.
      const { startTui } = await import('../tui/start.js');
      return await startTui(runOptions, session, paths, options.tour, options.fps, options.pace);
    }
    return await train(options, new RunFiles(paths, () => ({ options: runOptions, session })), session, output);
  } catch (e) {
    if (e instanceof UserError) {
      err(`micrograd-tui: ${oneLine(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

/** Train headless with autosave and signal handling, then write the requested files. */
async function train(options: CliOptions, files: RunFiles, session: TrainingSession, { out, err }: Output): Promise<number> {
  const stop = new AbortController();
  let stopped: StopReason | undefined;
  const uninstall = onStop((reason) => {
    stopped = reason;
    stop.abort(reason);
  });
  // Uninstalled only at the very end: a hang-up that follows a failed write must not end the saves half way.
  try {
    const afterStep = (): void => {
      const failure = files.autosaveIfDue();
      if (failure !== null) err(`micrograd-tui: ${failure}\n`);
    };
    const outcome = await runHeadless(session, { json: options.json, printEvery: options.printEvery, stop: stop.signal, afterStep }, (line) => out(line + '\n'));

    const { written, failures } = files.finish();
    for (const failure of failures) err(`micrograd-tui: ${failure}\n`);
    if (stopped !== undefined) {
      for (const { what, path } of written) err(`micrograd-tui: ${stopped}: ${what} ${oneLine(path)} at epoch ${session.epoch}\n`);
      return stopExitCode(stopped);
    }
    // Where the files went; --json keeps standard output to its records.
    for (const { what, path, holds } of written) (options.json ? err : out)(`${what} ${oneLine(path)} (${holds})\n`);
    if (outcome === 'diverged') return 1;
    return failures.length > 0 ? 2 : 0;
  } finally {
    uninstall();
  }
}
