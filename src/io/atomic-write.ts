import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { describeFsError, errorCode } from './fs-error.js';

/** What an atomic write needs to know of an existing file. */
interface FileStat {
  isDirectory(): boolean;
  isFile(): boolean;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

/** The file-system calls an atomic write makes; tests pass their own to fail one half way. */
export interface WriteFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  statSync(path: string): FileStat;
  realpathSync(path: string): string;
  readdirSync(path: string): string[];
  fchmodSync(fd: number, mode: number): void;
  fchownSync(fd: number, uid: number, gid: number): void;
}

const realFs: WriteFs = nodeFs;

/** The longest file name most file systems take, in bytes. */
const NAME_MAX = 255;
/** A temporary file left behind (by a SIGKILL, a power cut) is removed once this old. */
const STALE_MS = 60_000;

/**
 * Write `data` to `path` so that the file is either the old one or the new one, never a mix:
 * write a temporary file beside the target, flush it to disk, then rename it over the target.
 * A symlink is written through (its target is replaced, the link stays), an existing file keeps
 * its mode (and, for root, its owner), and a target that is not a regular file (a device, a
 * FIFO) is refused. Temporary files of the same target left by a killed process are removed.
 * On any failure the temporary file is removed, the old file is left whole, and a one-line
 * UserError names the path and the reason.
 *
 * Why not npm's write-file-atomic, which does the same: its synchronous API takes no file system
 * to inject, and the tests inject one to fail a write half way (a full disk, a failed fsync or
 * rename) and check the previous file survives; its temporary names need the same length check.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, fs: WriteFs = realFs): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let temp = '';
  let fd: number | undefined;
  let created = false;
  try {
    const target = realTarget(fs, path);
    const existing = statOf(fs, target);
    refuseKind(path, existing);
    removeStaleTemps(fs, target);
    temp = join(dirname(target), `${tempPrefix(target)}${randomBytes(4).toString('hex')}.tmp`);
    fd = fs.openSync(temp, 'wx', 0o644);
    created = true;
    if (existing !== undefined) keepOwnership(fs, fd, existing);
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
    created = false;
  } catch (err) {
    const open = fd;
    if (open !== undefined) ignoreErrors(() => fs.closeSync(open));
    if (created) ignoreErrors(() => fs.unlinkSync(temp));
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: cannot save: ${describeFsError(err, 'write')}`);
  }
}

/**
 * Refuse early a target that can never be written (its directory is missing or not writable, it
 * is a directory or not a regular file, or its name is too long), so a long run does not end in
 * a failed save.
 */
export function checkWritable(path: string): void {
  let reason: string | undefined;
  try {
    if (Buffer.byteLength(basename(path)) > NAME_MAX) throw Object.assign(new Error(), { code: 'ENAMETOOLONG' });
    const target = realTarget(realFs, path);
    const dir = dirname(target);
    if (!nodeFs.statSync(dir).isDirectory()) reason = 'a part of the path is not a directory';
    else {
      refuseKind(path, statOf(realFs, target));
      nodeFs.accessSync(dir, nodeFs.constants.W_OK);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    reason = describeFsError(err, 'write');
  }
  if (reason !== undefined) throw new UserError(`${path}: cannot save: ${reason}`);
}

/** The file a write to `path` replaces: through a symlink to its target, else `path` itself. */
function realTarget(fs: WriteFs, path: string): string {
  try {
    return fs.realpathSync(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return path; // a new file (or a dangling link)
    throw err;
  }
}

function statOf(fs: WriteFs, path: string): FileStat | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined; // missing is fine; any other problem shows up when writing
  }
}

function refuseKind(path: string, existing: FileStat | undefined): void {
  if (existing === undefined || existing.isFile()) return;
  if (existing.isDirectory()) throw new UserError(`${path}: cannot save: is a directory`);
  throw new UserError(`${path}: cannot save: not a regular file (a device, a FIFO or a socket); choose a file name`);
}

function keepOwnership(fs: WriteFs, fd: number, existing: FileStat): void {
  fs.fchmodSync(fd, existing.mode & 0o7777);
  if (process.getuid?.() === 0) ignoreErrors(() => fs.fchownSync(fd, existing.uid, existing.gid));
}

/**
 * `.NAME.` for the temporary files of `target` (then 8 hex digits and `.tmp`), with NAME cut so
 * that the whole temporary name stays within NAME_MAX bytes.
 */
function tempPrefix(target: string): string {
  const room = NAME_MAX - '..12345678.tmp'.length;
  const chars = [...basename(target)];
  while (Buffer.byteLength(chars.join('')) > room) chars.pop();
  return `.${chars.join('')}.`;
}

/** Remove temporary files of `target` (exactly its pattern) that no write has touched for a while. */
function removeStaleTemps(fs: WriteFs, target: string): void {
  const dir = dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length))) continue;
    const file = join(dir, name);
    const stat = statOf(fs, file);
    if (stat?.isFile() === true && now - stat.mtimeMs > STALE_MS) ignoreErrors(() => fs.unlinkSync(file));
  }
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // cleaning up after a failure that is already being reported
  }
}
