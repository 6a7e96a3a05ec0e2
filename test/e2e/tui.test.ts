import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, TmuxSession } from './tmux.js';

// After the program: its exit code and the terminal's line discipline (raw mode leaves -icanon -echo).
const AFTER = 'echo EXIT:$?; stty -a | tr " ;" "\\n\\n" | grep -xE -- "-?(icanon|echo)" | tr "\\n" " "; echo; sleep 60';
const start = (flags: string): string => `printf 'shell line before the app\\n'; CI=0 node ${CLI} ${flags}; ${AFTER}`;

let session: TmuxSession | undefined;
afterEach(() => {
  session?.close();
  session = undefined;
});

describe('the terminal UI in a real 80x24 terminal', () => {
  it('needs tmux (.ci/run installs it)', () => {
    expect(TmuxSession.available()).toBe(true);
  });

  it('opens paused, steps, plays, changes the learning rate and quits cleanly', async () => {
    session = new TmuxSession(start('--seed 1'));
    const first = await session.waitFor('paused');
    expect(first).toContain('classic (4)');
    expect(first).toContain('MLP 3-4-4-1 tanh');
    expect(first).toMatch(/epoch +0\/100/);
    expect(first).toContain('parameters 41');
    expect(first.split('\n').every((line) => line.length <= 80)).toBe(true);

    session.press('s');
    await session.waitFor(/epoch +1\/100/);
    session.press('Right');
    await session.waitFor(/epoch +2\/100/);

    session.press('+');
    await session.waitFor('lr 0.2');

    const bytes = session.recordBytes();
    session.press('Space');
    await session.waitFor('running');
    const done = await session.waitFor('done');
    expect(done).toMatch(/epoch 100\/100/);
    expect(done).toMatch(/acc 100%/);
    // Ink 6 clears the whole screen (scrollback too) when a frame reaches the terminal's height.
    expect(bytes()).not.toContain('\x1b[2J');

    session.press('q');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expect(after).toContain('stopped at epoch 100/100');
    expect(after).toContain('shell line before the app');
    expect(after).not.toContain('parameters 41'); // the app's screen is gone
    expect(after).toMatch(/^icanon echo/m);
    expect(session.cursorVisible()).toBe(true);
  });

  it('quits on Ctrl+C and restores the terminal', async () => {
    session = new TmuxSession(start(''));
    await session.waitFor('paused');
    session.press('Space');
    session.press('C-c');
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:0');
    expect(after).toMatch(/^icanon echo/m);
    expect(session.cursorVisible()).toBe(true);
  });

  it('restores the terminal on SIGTERM while training', async () => {
    session = new TmuxSession(start('--seed 7 --epochs 100000'));
    await session.waitFor('paused');
    session.press('Space');
    await session.waitFor('running');
    spawnSync('pkill', ['-TERM', '-f', `^node ${CLI} --seed 7`]); // not the tmux server, whose command line holds the same text
    const after = await session.waitFor('EXIT:');
    expect(after).toContain('EXIT:143');
    expect(after).toMatch(/^icanon echo/m);
    expect(after).toContain('shell line before the app');
    expect(session.cursorVisible()).toBe(true);
  });

  it('asks for more room in a small terminal and comes back when resized', async () => {
    session = new TmuxSession(start(''), 60, 20);
    await session.waitFor('needs at least 80x24');
    session.tmux('resize-window', '-t', 'e2e', '-x', '100', '-y', '30');
    const big = await session.waitFor('paused');
    expect(big).toContain('parameters 41');
    session.press('q');
    await session.waitFor('EXIT:0');
  });
});

describe('without a terminal', () => {
  it('says the UI needs a terminal, points at --headless and exits with 2', () => {
    const result = spawnSync('node', [CLI], { input: '', encoding: 'utf8', env: { ...process.env, CI: '0' } });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('needs an interactive terminal');
    expect(result.stderr).toContain('--headless');
    expect(result.stdout).toBe('');
  });
});
