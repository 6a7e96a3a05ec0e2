import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, TmuxSession } from './tmux.js';

// The terminal goes away for real: the tmux session is killed, its terminal closes, and the
// program meets what it meets after a dropped SSH link (SIGHUP, then reads and writes that fail).
// The shell around it plays the login shell's part: it passes the hang-up on to the program (as
// an interactive shell does to its jobs) and records the program's exit status in a file.
let dir = '';
let session: TmuxSession | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mgtui-close-'));
});
afterEach(() => {
  session?.close();
  session = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function open(flags: string): void {
  const status = join(dir, 'status');
  const program = `CI=0 node ${CLI} ${flags} --autosave ${join(dir, 'run.ckpt')} --autosave-every 1000000 <&3 2>${join(dir, 'err')}`;
  session = new TmuxSession(
    `exec 3<&0; ${program} & pid=$!; trap 'kill -HUP $pid' HUP; wait $pid; st=$?; ` +
      `while kill -0 $pid 2>/dev/null; do wait $pid; st=$?; done; echo $st > ${status}`,
  );
}

/** Kill the session (the terminal closes) and wait for the program's exit status. */
async function closeTerminal(): Promise<{ status: number; epoch: number; err: string }> {
  session?.tmux('kill-session', '-t', 'e2e');
  const file = join(dir, 'status');
  for (let i = 0; i < 150 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  const status = Number(readFileSync(file, 'utf8'));
  const err = readFileSync(join(dir, 'err'), 'utf8');
  const ckpt = join(dir, 'run.ckpt');
  expect(existsSync(ckpt), `no checkpoint; exit status ${status}, stderr: ${err}`).toBe(true);
  return { status, epoch: (JSON.parse(readFileSync(ckpt, 'utf8')) as { epoch: number }).epoch, err };
}

/** The epoch the status line (or the last JSON line) shows. */
function shownEpoch(screen: string, pattern: RegExp): number {
  const all = [...screen.matchAll(pattern)];
  return Number(all.at(-1)?.[1] ?? Number.NaN);
}

const STATUS_EPOCH = /epoch +(\d+)\/1000000 +·/g;

describe('the terminal closes (a closed window, a dropped SSH link)', () => {
  it('while the trainer plays: saves the epoch reached and ends as if by SIGHUP', async () => {
    open('--epochs 1000000');
    await session?.waitFor('paused');
    session?.press('Space');
    const screen = await session!.waitFor(/epoch +[1-9]\d{2,}\/1000000/);
    const seen = shownEpoch(screen, STATUS_EPOCH);
    const { status, epoch, err } = await closeTerminal();
    expect(status).toBe(129);
    expect(epoch).toBeGreaterThanOrEqual(seen);
    expect(err).not.toMatch(/Error|Assertion|node::|\n\s+at /);
  });

  it('while the trainer is paused: saves the epoch shown', async () => {
    open('--epochs 1000000');
    await session?.waitFor('paused');
    session?.press('Space');
    await session!.waitFor(/epoch +[1-9]\d{2,}\/1000000/);
    session?.press('Space');
    const screen = await session!.waitFor('paused');
    const { status, epoch, err } = await closeTerminal();
    expect(status).toBe(129);
    expect(epoch).toBe(shownEpoch(screen, STATUS_EPOCH));
    expect(err).not.toMatch(/Error|Assertion|node::|\n\s+at /);
  });

  it('during a headless --json run: saves the epoch reached and ends as if by SIGHUP', async () => {
    open('--headless --json --epochs 1000000');
    const screen = await session!.waitFor(/"epoch":[1-9]\d{3,}/);
    const seen = shownEpoch(screen, /"epoch":(\d+)/g);
    const { status, epoch, err } = await closeTerminal();
    expect(status).toBe(129);
    expect(epoch).toBeGreaterThanOrEqual(seen);
    expect(err).not.toMatch(/Error|Assertion|node::|\n\s+at /);
  });
});
