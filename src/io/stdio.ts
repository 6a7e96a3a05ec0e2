import { describeFsError } from './fs-error.js';

/**
 * How the standard streams failed: the terminal went away (a closed window, a dropped SSH link:
 * reads and writes on it fail, usually with EIO), the reader of a pipe went away (EPIPE, as after
 * `| head -1`), or a file or device refused the bytes (`> /dev/full`: ENOSPC, EIO).
 */
export type StdioFailure = { kind: 'hangup' } | { kind: 'closed' } | { kind: 'failed'; reason: string };

let failure: StdioFailure | undefined;
let watching = false;
const listeners = new Set<(failure: StdioFailure) => void>();

/**
 * Turn the standard streams' errors, which Node would otherwise throw as an unhandled 'error'
 * event (a stack trace, and on a dead terminal a native abort), into one `StdioFailure`: the
 * first is kept and passed to the `onStdioFailure` listeners; later ones are expected and ignored.
 * A failed file or device is reported on stderr in one line. Call once, at start-up.
 */
export function watchStdio(): void {
  if (watching) return;
  watching = true;
  const watch = (stream: NodeJS.ReadStream | NodeJS.WriteStream, isOutput: boolean): void => {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (stream.isTTY === true) return fail({ kind: 'hangup' });
      if (!isOutput) return; // a failed read of piped stdin is the reader's to report
      if (stream === process.stderr) return; // nowhere left to say anything
      fail(err.code === 'EPIPE' ? { kind: 'closed' } : { kind: 'failed', reason: describeFsError(err, 'write') });
    });
  };
  watch(process.stdin, false);
  // A terminal in raw mode never ends (Ctrl+D is a key there): its end is the terminal going away.
  process.stdin.on('end', () => {
    if (process.stdin.isTTY === true && process.stdin.isRaw) fail({ kind: 'hangup' });
  });
  watch(process.stdout, true);
  watch(process.stderr, true);
  // A command that finished its work before stdout failed (say `--help > /dev/full`) still fails.
  process.on('exit', () => {
    if (failure !== undefined && (process.exitCode ?? 0) === 0) process.exitCode = stdioExitCode(failure);
  });
}

function fail(f: StdioFailure): void {
  if (failure !== undefined) return;
  failure = f;
  if (f.kind === 'failed') writeErr(`micrograd-tui: cannot write to standard output: ${f.reason}\n`);
  for (const listener of [...listeners]) listener(f);
}

/** The first failure of the standard streams, if any. */
export function stdioFailure(): StdioFailure | undefined {
  return failure;
}

/** Call `listener` on the first failure of the standard streams. Returns the uninstaller. */
export function onStdioFailure(listener: (failure: StdioFailure) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The exit code a failure ends with: 1 for a failed file, 141 (128 + SIGPIPE) for a closed pipe, 129 for a hang-up. */
export function stdioExitCode(f: StdioFailure): number {
  return f.kind === 'failed' ? 1 : f.kind === 'closed' ? 141 : 129;
}

/** Write to stdout; once it has failed, nothing more is written there. Never throws. */
export function writeOut(text: string): void {
  write(process.stdout, text);
}

/** Write to stderr; once the terminal is gone, nothing more is written. Never throws. */
export function writeErr(text: string): void {
  write(process.stderr, text);
}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (failure !== undefined && (failure.kind === 'hangup' || stream === process.stdout)) return;
  if (stream.destroyed) return;
  try {
    stream.write(text);
  } catch (err) {
    stream.emit('error', err); // the same path as an asynchronous failure
  }
}
