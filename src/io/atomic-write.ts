import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';

/** The file-system calls an atomic write makes; tests pass their own to fail one half way. */
export interface WriteFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  statSync(path: string): { isDirectory(): boolean };
}

const realFs: WriteFs = nodeFs;

/**
 * Write `data` to `path` so that the file is either the old one or the new one, never a mix:
 * write a temporary file beside the target, flush it to disk, then rename it over the target.
 * On any failure the temporary file is removed, the old file is left whole, and a one-line
 * UserError names the path and the reason.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, fs: WriteFs = realFs): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    if (isDirectory(fs, path)) throw new UserError(`${path}: cannot save: is a directory`);
    fd = fs.openSync(temp, 'wx', 0o644);
    created = true;
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
    created = false;
  } catch (err) {
    if (fd !== undefined) ignoreErrors(() => fs.closeSync(fd as number));
    if (created) ignoreErrors(() => fs.unlinkSync(temp));
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: cannot save: ${describeWriteError(err)}`);
  }
}

/**
 * Refuse early a target that can never be written (its directory is missing, it is a directory,
 * or the directory is not writable), so a long run does not end in a failed save.
 */
export function checkWritable(path: string): void {
  const dir = dirname(path);
  let reason: string | undefined;
  try {
    if (!nodeFs.statSync(dir).isDirectory()) reason = 'a part of the path is not a directory';
    else if (isDirectory(realFs, path)) reason = 'is a directory';
    else nodeFs.accessSync(dir, nodeFs.constants.W_OK);
  } catch (err) {
    reason = describeWriteError(err);
  }
  if (reason !== undefined) throw new UserError(`${path}: cannot save: ${reason}`);
}

function isDirectory(fs: WriteFs, path: string): boolean {
  try {
    return fs.statSync(path).isDirectory();
  } catch {
    return false; // missing is fine; any other problem shows up when writing
  }
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // cleaning up after a failure that is already being reported
  }
}

/** A short reason for a failed write, from the error code. */
export function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EISDIR':
      return 'is a directory';
    case 'ENAMETOOLONG':
      return 'file name too long';
    case 'EIO':
      return 'input/output error';
    default:
      return code ?? (String((err as Error | undefined)?.message ?? err).split('\n')[0] as string);
  }
}
