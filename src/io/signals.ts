import { constants } from 'node:os';
import { onStdioFailure, stdioExitCode, stdioFailure, type StdioFailure } from './stdio.js';

/** The signals that stop a run after a clean save: a closed terminal, a kill, Ctrl-C. */
export const STOP_SIGNALS = ['SIGHUP', 'SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Why a run stops before its end: one of the stop signals, or its output failed. A terminal that
 * went away is a SIGHUP whichever came first, the signal or a failed read or write on it.
 */
export type StopReason = StopSignal | 'stdout closed' | 'stdout failed';

/** The conventional exit code after a signal: 128 + its number (129 for SIGHUP, 143 for SIGTERM). */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** The exit code of a run stopped for `reason` (see `stdioExitCode` for the output failures). */
export function stopExitCode(reason: StopReason): number {
  if (reason === 'stdout closed') return stdioExitCode({ kind: 'closed' });
  if (reason === 'stdout failed') return stdioExitCode({ kind: 'failed', reason: '' });
  return signalExitCode(reason);
}

function reasonFor(failure: StdioFailure): StopReason {
  return failure.kind === 'hangup' ? 'SIGHUP' : failure.kind === 'closed' ? 'stdout closed' : 'stdout failed';
}

/**
 * Call `onStop` on the first SIGHUP, SIGTERM or SIGINT, or the first failure of the standard
 * streams, instead of dying, so the work can be saved. After that a second SIGTERM or SIGINT acts
 * as usual; after a hang-up, SIGHUP stays caught (it is the same event, and would otherwise end
 * the save half way) until the returned uninstaller runs or `exitProcess` raises it.
 */
export function onStop(onStop: (reason: StopReason) => void): () => void {
  const stop = (reason: StopReason): void => {
    // Caught before the handlers go: with no listener at all, SIGHUP would kill at once.
    if (reason === 'SIGHUP') process.on('SIGHUP', ignore);
    unhook();
    onStop(reason);
  };
  const handlers = STOP_SIGNALS.map((signal) => [signal, () => stop(signal)] as const);
  const unwatch = onStdioFailure((failure) => stop(reasonFor(failure)));
  const unhook = (): void => {
    unwatch();
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    unhook();
    process.off('SIGHUP', ignore);
  };
}

function ignore(): void {
  // a hang-up already being handled
}

/**
 * End the process with `code`. A run stopped by a hang-up (or any run whose terminal is gone)
 * ends as if killed by SIGHUP (status 129), by re-raising it with its default action: a normal
 * exit would have Node reset the terminal's modes, and on a terminal that is gone that reset
 * aborts with a native trace.
 */
export function exitProcess(code: number): void {
  if (code === signalExitCode('SIGHUP') || stdioFailure()?.kind === 'hangup') {
    process.removeAllListeners('SIGHUP');
    process.kill(process.pid, 'SIGHUP');
  }
  process.exitCode = code;
}
