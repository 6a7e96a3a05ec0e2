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

function readBytes(path: string, maxBytes: number): Uint8Array {
  let fd: number | undefined;
  try {
    // /dev/stdin opens a description of its own: reading it never disturbs Node's own stdin.
    fd = openSync(path === '-' ? '/dev/stdin' : path, 'r');
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${path}: is a directory, expected a file`);
    if (stat.isFile() && stat.size > maxBytes) throw new UserError(`${path}: file is ${stat.size} bytes, the limit is ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
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
    if (fd !== undefined) closeSync(fd);
  }
}

/** How messages name the file: standard input is `-` on the command line. */
export function shown(path: string): string {
  return path === '-' ? 'standard input' : path;
}
