import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from './capture.js';

// Failures the tests cannot cause for real: they run as root, who reads a chmod 000 file, and the
// disk is not full. The file system answers as it would, for paths named locked.* and full-disk.*.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });
  const fullDisk = new Set<number>();
  const mocked = {
    ...fs,
    openSync: ((path: realFs.PathLike, ...rest: unknown[]) => {
      if (String(path).includes('locked.') && rest[0] === 'r') throw errno('EACCES');
      const fd = (fs.openSync as (...a: unknown[]) => number)(path, ...rest);
      if (String(path).includes('full-disk.')) fullDisk.add(fd);
      return fd;
    }) as typeof fs.openSync,
    writeSync: ((fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (!fullDisk.has(fd)) return fs.writeSync(fd, buffer, offset, length);
      fullDisk.delete(fd); // a first chunk lands, then the disk is full
      fs.writeSync(fd, buffer, offset, Math.min(length, 64));
      throw errno('ENOSPC');
    }) as typeof fs.writeSync,
  };
  return { ...mocked, default: mocked };
});

const dir = realFs.mkdtempSync(join(tmpdir(), 'injected-fs-'));
afterAll(() => realFs.rmSync(dir, { recursive: true, force: true }));

describe('file-system failures through the CLI', () => {
  it.each([
    ['--data', 'locked.csv'],
    ['--load', 'locked.ckpt'],
  ])('%s without permission to read: one line and exit code 2', async (flag, name) => {
    const path = join(dir, name);
    realFs.writeFileSync(path, '1,2,1\n');
    expect(await runCli(['--headless', flag, path])).toEqual({ code: 2, out: '', err: `micrograd-tui: ${path}: permission denied\n` });
  });

  it('a full disk at the end keeps the previous checkpoint and history whole, exit code 2', async () => {
    const ckpt = join(dir, 'full-disk.ckpt');
    const csv = join(dir, 'full-disk.csv');
    realFs.writeFileSync(ckpt, 'the previous checkpoint');
    realFs.writeFileSync(csv, 'the previous history');
    const r = await runCli(['--headless', '--epochs', '3', '--save', ckpt, '--export-history', csv]);
    expect(r.out).toContain('done: 3 epochs');
    expect(r.err).toBe(`micrograd-tui: ${ckpt}: cannot save: no space left on the device\nmicrograd-tui: ${csv}: cannot save: no space left on the device\n`);
    expect(r.code).toBe(2);
    expect(realFs.readFileSync(ckpt, 'utf8')).toBe('the previous checkpoint');
    expect(realFs.readFileSync(csv, 'utf8')).toBe('the previous history');
    expect(realFs.readdirSync(dir).sort()).toEqual(['full-disk.csv', 'full-disk.ckpt', 'locked.ckpt', 'locked.csv'].sort());
  });
});
