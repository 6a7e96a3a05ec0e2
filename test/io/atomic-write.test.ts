import * as fs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { checkWritable, writeFileAtomic, type WriteFs } from '../../src/io/atomic-write.js';
import { userError } from '../helpers/user-error.js';

const OLD = 'the previous file, which must survive\n'.repeat(100);
const NEW = 'x'.repeat(100_000);

let dir: string;
let target: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  target = join(dir, 'run.ckpt');
  writeFileSync(target, OLD);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

/** The real file system, with `override` replacing some of its calls. */
function fsWith(override: Partial<WriteFs>): WriteFs {
  return { ...(fs as unknown as WriteFs), ...override };
}

describe('writeFileAtomic', () => {
  it('replaces the file and leaves nothing else behind', () => {
    writeFileAtomic(target, NEW);
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(readdirSync(dir)).toEqual(['run.ckpt']);
  });

  it('creates a file that did not exist', () => {
    writeFileAtomic(join(dir, 'new.csv'), 'a,b\n');
    expect(readFileSync(join(dir, 'new.csv'), 'utf8')).toBe('a,b\n');
  });

  it('keeps the previous file byte for byte when the disk fills half way through', () => {
    let written = 0;
    const full = fsWith({
      writeSync: (fd, buffer, offset, length) => {
        if (written > 0) throw errno('ENOSPC'); // the first chunk lands, the second finds no space
        written = fs.writeSync(fd, buffer, offset, Math.min(length, 4096));
        return written;
      },
    });
    expect(userError(() => writeFileAtomic(target, NEW, full))).toBe(`${target}: cannot save: no space left on the device`);
    expect(written).toBe(4096);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['run.ckpt']);
  });

  it.each([
    ['fsyncSync', 'EIO', 'input/output error'],
    ['renameSync', 'EXDEV', 'EXDEV'],
    ['closeSync', 'EIO', 'input/output error'],
  ] as const)('keeps the previous file when %s fails with %s', (call, code, reason) => {
    const broken = fsWith({
      [call]: () => {
        throw errno(code);
      },
    });
    expect(userError(() => writeFileAtomic(target, NEW, broken))).toBe(`${target}: cannot save: ${reason}`);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['run.ckpt']);
  });

  // A read-only directory refuses to create the temporary file. The tests run as root, for whom
  // chmod 555 does not deny anything, so the refusal is injected where the kernel would give it.
  it.each([
    ['EACCES', 'permission denied'],
    ['EROFS', 'read-only file system'],
  ])('reports a read-only directory (%s) and keeps the previous file', (code, reason) => {
    const readOnly = fsWith({
      openSync: () => {
        throw errno(code);
      },
    });
    expect(userError(() => writeFileAtomic(target, NEW, readOnly))).toBe(`${target}: cannot save: ${reason}`);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
  });

  it('refuses to replace a directory', () => {
    expect(userError(() => writeFileAtomic(dir, NEW))).toBe(`${dir}: cannot save: is a directory`);
  });

  it('names a missing directory', () => {
    const path = join(dir, 'nope', 'run.ckpt');
    expect(userError(() => writeFileAtomic(path, NEW))).toBe(`${path}: cannot save: no such directory`);
  });

  it('flushes the data before the rename', () => {
    const calls: string[] = [];
    const traced = fsWith({
      fsyncSync: (fd) => (calls.push('fsync'), fs.fsyncSync(fd)),
      renameSync: (a, b) => (calls.push('rename'), fs.renameSync(a, b)),
    });
    writeFileAtomic(target, NEW, traced);
    expect(calls).toEqual(['fsync', 'rename']);
  });

  it('writes through a symlink: the link stays, its target gets the data', () => {
    const link = join(dir, 'latest.ckpt');
    fs.symlinkSync(target, link);
    writeFileAtomic(link, NEW);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(NEW);
    expect(readdirSync(dir).sort()).toEqual(['latest.ckpt', 'run.ckpt']);
  });

  it("keeps an existing file's mode", () => {
    fs.chmodSync(target, 0o600);
    writeFileAtomic(target, NEW);
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
  });

  it('refuses a target that is not a regular file (a FIFO), before and when writing, and leaves it alone', () => {
    const fifo = join(dir, 'pipe.ckpt');
    execFileSync('mkfifo', [fifo]);
    const message = `${fifo}: cannot save: not a regular file (a device, a FIFO or a socket); choose a file name`;
    expect(userError(() => checkWritable(fifo))).toBe(message);
    expect(userError(() => writeFileAtomic(fifo, NEW))).toBe(message);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a device through a symlink to it', () => {
    const link = join(dir, 'full.ckpt');
    fs.symlinkSync('/dev/full', link);
    expect(userError(() => checkWritable(link))).toMatch(/not a regular file/);
    expect(userError(() => writeFileAtomic(link, NEW))).toMatch(/not a regular file/);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('saves under a 245-character name (its temporary name stays within 255 bytes) and refuses a name over 255 up front', () => {
    const long = join(dir, `${'n'.repeat(240)}.ckpt`);
    checkWritable(long);
    writeFileAtomic(long, NEW);
    expect(readFileSync(long, 'utf8')).toBe(NEW);
    expect(readdirSync(dir)).toHaveLength(2);
    const tooLong = join(dir, `${'n'.repeat(251)}.ckpt`);
    expect(userError(() => checkWritable(tooLong))).toBe(`${tooLong}: cannot save: file name too long`);
  });

  it("removes the target's stale temporary files (exactly its pattern) and nothing else", () => {
    const old = Date.now() / 1000 - 120;
    const names = ['.run.ckpt.0123abcd.tmp', '.run.ckpt.deadbeef.tmp', '.other.ckpt.0123abcd.tmp', '.run.ckpt.0123abcd.tmp.bak', '.run.ckpt.xyz.tmp'];
    for (const name of names) writeFileSync(join(dir, name), 'left by a killed save');
    for (const name of names.filter((n) => n !== '.run.ckpt.deadbeef.tmp')) fs.utimesSync(join(dir, name), old, old);
    writeFileAtomic(target, NEW);
    // the fresh one may be another process's save in progress: it stays
    expect(readdirSync(dir).sort()).toEqual(['.other.ckpt.0123abcd.tmp', '.run.ckpt.0123abcd.tmp.bak', '.run.ckpt.deadbeef.tmp', '.run.ckpt.xyz.tmp', 'run.ckpt']);
  });
});
