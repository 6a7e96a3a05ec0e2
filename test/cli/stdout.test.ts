import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../e2e/tmux.js';

// Real processes with a real stdout: a pipe whose reader goes away, and /dev/full.
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cli-stdout-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LONG_RUN = ['--headless', '--json', '--epochs', '1000000'];

function savedEpoch(file: string): number {
  return (JSON.parse(readFileSync(file, 'utf8')) as { epoch: number }).epoch;
}

/** Run the program with stdout on /dev/full (a device that refuses every byte: ENOSPC). */
function toDevFull(args: string[]): { status: number | null; stderr: string } {
  const full = openSync('/dev/full', 'w');
  try {
    const result = spawnSync('node', [CLI, ...args], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 15_000 });
    return { status: result.status, stderr: result.stderr };
  } finally {
    closeSync(full);
  }
}

describe('a pipe whose reader goes away (| head -1)', () => {
  it('ends the run quietly, saving first, with the status of a closed pipe (141)', async () => {
    const ckpt = join(dir, 'p.ckpt');
    const child = spawn('node', [CLI, ...LONG_RUN, '--autosave', ckpt], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy(); // what head does after its first line
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(first).toMatch(/^\{"epoch":1,/);
    expect(status).toBe(141);
    expect(stderr).toMatch(/^micrograd-tui: stdout closed: saved .*p\.ckpt at epoch \d+\n$/);
    expect(savedEpoch(ckpt)).toBe(Number(/at epoch (\d+)/.exec(stderr)?.[1]));
  });
});

describe('a stdout that fails (> /dev/full)', () => {
  it('--help: one line and exit code 1', () => {
    const { status, stderr } = toDevFull(['--help']);
    expect(status).toBe(1);
    expect(stderr).toBe('micrograd-tui: cannot write to standard output: no space left on the device\n');
  });

  it('a headless run: one line, the autosave written first, exit code 1', () => {
    const ckpt = join(dir, 'p.ckpt');
    const { status, stderr } = toDevFull([...LONG_RUN, '--autosave', ckpt]);
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toBe('micrograd-tui: cannot write to standard output: no space left on the device');
    expect(lines[1]).toMatch(/^micrograd-tui: stdout failed: saved .*p\.ckpt at epoch \d+$/);
    expect(lines).toHaveLength(2);
    expect(existsSync(ckpt) && savedEpoch(ckpt)).toBe(Number(/at epoch (\d+)/.exec(stderr)?.[1]));
  });
});
