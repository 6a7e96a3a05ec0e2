import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/src/cli/main.js');

/** What a machine without tmux is told: one line, with the way to install it. */
export const MISSING_TMUX = 'the end-to-end tests need tmux: install it (apt-get install tmux, brew install tmux; .ci/run does it)';

/**
 * A real terminal: a tmux session of a given size on a private server, running one shell
 * command. Used to see the program as a user does.
 */
export class TmuxSession {
  private readonly socket = `mgtui-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'mgtui-e2e-'));

  constructor(command: string, columns = 80, rows = 24) {
    if (!TmuxSession.available()) throw new Error(MISSING_TMUX);
    this.tmux('new-session', '-d', '-s', 'e2e', '-x', String(columns), '-y', String(rows), command);
  }

  static available(): boolean {
    try {
      execFileSync('tmux', ['-V'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
  }

  /**
   * The pid of the program the pane's shell started (the shell's only child), to signal it and
   * nothing else: a pattern such as `pkill -f` could hit another test's run.
   */
  programPid(): number {
    const shell = this.tmux('display-message', '-p', '-t', 'e2e', '#{pane_pid}').trim();
    const children = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n');
    if (children.length !== 1) throw new Error(`expected one program under the pane's shell ${shell}, found ${children.join(', ')}`);
    return Number(children[0]);
  }

  /** The visible screen as text. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'e2e');
  }

  /** Send one key (tmux key name, e.g. Space, Right, C-c) or, with literal, some text. */
  press(key: string, literal = false): void {
    this.tmux('send-keys', '-t', 'e2e', ...(literal ? ['-l', key] : [key]));
  }

  /** Send several keys in one tmux command: the program reads them together, as pasted or typed ahead. */
  pressTogether(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'e2e', ...keys);
  }

  /** Poll the screen until `pattern` shows; fail with the last screen after `timeoutMs`. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${String(pattern)}; the screen was:\n${last}`);
  }

  /** Record everything the program writes to the terminal into a file. */
  recordBytes(): () => string {
    const file = join(this.dir, 'bytes');
    this.tmux('pipe-pane', '-t', 'e2e', '-o', `cat >> ${file}`);
    return () => {
      this.tmux('pipe-pane', '-t', 'e2e');
      try {
        return readFileSync(file, 'latin1');
      } catch {
        return '';
      }
    };
  }

  /** 1 when the terminal's cursor is visible. */
  cursorVisible(): boolean {
    return this.tmux('display-message', '-p', '-t', 'e2e', '#{cursor_flag}').trim() === '1';
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
