import { constants } from 'node:os';

/** The signals that stop a run after a clean save: a closed terminal, a kill, Ctrl-C. */
export const STOP_SIGNALS = ['SIGHUP', 'SIGTERM', 'SIGINT'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The conventional exit code after a signal: 128 + its number (129 for SIGHUP, 143 for SIGTERM). */
export function signalExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * Call `onStop` on the first SIGHUP, SIGTERM or SIGINT instead of dying, so the work can be saved.
 * After that the handlers are gone and a second signal acts as usual. Returns the uninstaller.
 */
export function onStopSignals(onStop: (signal: StopSignal) => void): () => void {
  const handlers = STOP_SIGNALS.map((signal) => [signal, () => (uninstall(), onStop(signal))] as const);
  const uninstall = (): void => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return uninstall;
}
