import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readText } from '../../src/io/read.js';
import { CLI } from '../e2e/tmux.js';
import { userError } from '../helpers/user-error.js';

// Special files, for real: devices that never end, FIFOs, process substitution. Every process
// is bounded by a timeout, so a read without a cap fails the test instead of filling the memory.
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'read-special-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], shell = false): ReturnType<typeof spawnSync> =>
  shell
    ? spawnSync('bash', ['-c', `node ${CLI} ${args.join(' ')}`], { encoding: 'utf8', timeout: 15_000 })
    : spawnSync('node', [CLI, ...args], { encoding: 'utf8', timeout: 15_000 });

describe('readText on files that are not regular', () => {
  it('stops at the cap on a device that never ends', () => {
    expect(userError(() => readText('/dev/zero', 4096))).toBe('/dev/zero: more than the limit of 4096 bytes (stopped reading there)');
  });

  it('reads a FIFO once its writer comes, as cat does', () => {
    const fifo = join(dir, 'data.csv');
    execFileSync('mkfifo', [fifo]);
    spawn('sh', ['-c', `sleep 0.3; printf '1,2,1\\n' > ${fifo}`], { stdio: 'ignore' });
    expect(readText(fifo, 4096)).toBe('1,2,1\n');
  });
});

describe('special files through the command line', () => {
  it.each([
    ['--data', '/dev/zero', 'more than the limit of 16777216 bytes (stopped reading there)'],
    ['--load', '/dev/zero', 'more than the limit of 67108864 bytes (stopped reading there)'],
  ])('%s %s: one line and exit code 2, at once', (flag, file, reason) => {
    const r = cli(['--headless', flag, file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`micrograd-tui: ${file}: ${reason}\n`);
  });

  it('--data /dev/urandom: one line and exit code 2', () => {
    const r = cli(['--headless', '--data', '/dev/urandom']);
    expect(r.status).toBe(2);
    expect(String(r.stderr).trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^micrograd-tui: \/dev\/urandom: (not valid UTF-8 text|more than the limit)/);
  });

  it('reads data from a process substitution', () => {
    const r = cli(['--headless', '--epochs', '2', '--data', "<(printf '1,2,1\\n2,1,-1\\n')"], true);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('done: 2 epochs');
  });

  it('waits on a FIFO without a writer, and Ctrl+C (SIGINT) still ends it', async () => {
    const fifo = join(dir, 'data.csv');
    execFileSync('mkfifo', [fifo]);
    const child = spawn('node', [CLI, '--headless', '--data', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 1000));
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    expect(code ?? signal).toBe('SIGINT');
    expect(stderr).toBe('');
  });
});
