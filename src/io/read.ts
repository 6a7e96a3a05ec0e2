import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UserError } from '../errors.js';
import { describeFsError } from './fs-error.js';

/** Bytes read per call: large enough for few calls, small enough not to matter when refused. */
const CHUNK = 1024 * 1024;

/**
 * The text of a file of at most `maxBytes` (UTF-8, a BOM kept for the caller to drop), or a
 * UserError saying why it cannot be read. Any kind of file is read the same way, streaming and
 * stopping at the cap: a regular file, a pipe or FIFO (waiting for its writer, as `cat` does), a
 * process substitution (`<(gen)`), a device such as /dev/zero that never ends. `-` is standard input.
 */
export function readText(path: string, maxBytes: number): string {
  const bytes = readBytes(path, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UserError(`${shown(path)}: not valid UTF-8 text`);
  }
}

/** Standard input's descriptor. */
const STDIN_FD = 0;

/**
 * Open `path` for reading. Standard input opens /dev/stdin, a description of its own, so reading
 * it never disturbs Node's own stdin; a socket (what Node and others give a child as its stdin
 * pipe) cannot be opened that way (ENXIO), and is read from descriptor 0 itself, left open.
 */
function openForReading(path: string): { fd: number; owned: boolean } {
  if (path !== STANDARD_INPUT) return { fd: openSync(path, 'r'), owned: true };
  try {
    return { fd: openSync('/dev/stdin', 'r'), owned: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
    return { fd: STDIN_FD, owned: false };
  }
}

/** readSync that waits for data on a descriptor in non-blocking mode (a shared socket), as a blocking read would. */
function readWaiting(fd: number, chunk: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function readBytes(path: string, maxBytes: number): Uint8Array {
  let opened: { fd: number; owned: boolean } | undefined;
  try {
    opened = openForReading(path);
    const { fd } = opened;
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${shown(path)}: is a directory, expected a file`);
    if (stat.isFile() && stat.size > maxBytes) throw new UserError(`${shown(path)}: file is ${stat.size} bytes, the limit is ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readWaiting(fd, chunk);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new UserError(`${shown(path)}: more than the limit of ${maxBytes} bytes (stopped reading there)`);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${shown(path)}: ${describeFsError(err, 'read')}`);
  } finally {
    if (opened?.owned === true) closeSync(opened.fd);
  }
}

/** The path that names standard input on the command line (`--data -`). */
export const STANDARD_INPUT = '-';

/** How messages name the file: standard input is `-` on the command line. */
export function shown(path: string): string {
  return path === STANDARD_INPUT ? 'standard input' : path;
}
