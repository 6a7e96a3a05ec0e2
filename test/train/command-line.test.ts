import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { commandLine, reproducingArgs, shellQuote } from '../../src/train/command-line.js';
import { runSetting } from '../../src/train/run-settings.js';
import { createSession, DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';

const main = resolve('dist/src/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), "command line's "));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Options as the menu makes them: each setting applied in turn, as typed. */
function edited(start: RunOptions, edits: [string, string][]): RunOptions {
  return edits.reduce((o, [flag, text]) => runSetting(flag)?.apply(o, text) as RunOptions, start);
}

/** Run `line` in a shell whose PATH has micrograd-tui as the built program, and return its output. */
function runInShell(line: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'micrograd-tui'), `#!/bin/sh\nexec "${process.execPath}" "${main}" "$@"\n`, { mode: 0o755 });
  return execFileSync('sh', ['-c', line], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
}

describe('the command line that reproduces a setup', () => {
  it('is the bare program for the defaults, and names only what differs', () => {
    expect(commandLine(DEFAULT_RUN_OPTIONS)).toBe('micrograd-tui');
    expect(commandLine(parseCli(['--dataset', 'moons']).run)).toBe('micrograd-tui --dataset moons');
    const o = edited(parseCli(['--dataset', 'moons']).run, [['layers', '16,8'], ['seed', '43'], ['lr', '0.05'], ['optimizer', 'adam'], ['momentum', '0.5']]);
    // momentum does not apply to adam: it is left out, so the command line is one the CLI accepts
    expect(commandLine(o)).toBe('micrograd-tui --dataset moons --layers 16,8 --lr 0.05 --optimizer adam --seed 43');
  });

  it('parses back to the same setup, for every setting', () => {
    const o = edited(parseCli(['--dataset', 'spiral']).run, [
      ['size', '80'], ['noise', '0.1'], ['test-fraction', '0.2'], ['layers', '8,8,4'], ['activation', 'relu'], ['output-activation', 'tanh'],
      ['loss', 'mse'], ['l2', '0.0001'], ['lr', '0.02'], ['momentum', '0.9'], ['epochs', '30'], ['seed', '7'], ['engine', 'graph'],
    ]);
    expect(parseCli(reproducingArgs(o)).run).toEqual(o);
  });

  it('quotes what a shell would split or expand', () => {
    expect(shellQuote('moons')).toBe('moons');
    expect(shellQuote('/data/x-1.csv')).toBe('/data/x-1.csv');
    expect(shellQuote('my data.csv')).toBe("'my data.csv'");
    expect(shellQuote("it's $HOME.csv")).toBe(`'it'\\''s $HOME.csv'`);
  });

  it('run headless, trains exactly as the setup it came from', () => {
    const o = edited(parseCli(['--dataset', 'moons']).run, [['size', '40'], ['layers', '6,6'], ['lr', '0.05'], ['momentum', '0.5'], ['epochs', '5'], ['seed', '43'], ['test-fraction', '0.25']]);
    const lines = runInShell(`${commandLine(o)} --headless --json`).trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number; testLoss: number });
    const session = createSession(o);
    const expected = Array.from({ length: 5 }, () => session.step());
    expect(lines.map((r) => [r.epoch, r.loss, r.testLoss])).toEqual(expected.map((r) => [r.epoch, r.loss, r.testLoss]));
  });

  it('keeps a data file whose name has spaces and quotes', () => {
    const file = join(dir, "it's y = x².csv");
    writeFileSync(file, ['x,y', ...Array.from({ length: 11 }, (_, i) => `${i - 5},${(i - 5) ** 2}`)].join('\n'));
    const o = edited(parseCli(['--data', file]).run, [['epochs', '3'], ['layers', '4']]);
    expect(commandLine(o)).toBe(`micrograd-tui --data ${shellQuote(file)} --layers 4 --epochs 3`);
    const lines = runInShell(`${commandLine(o)} --headless --json`).trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
    const session = createSession(o);
    expect(lines.map((r) => r.loss)).toEqual([session.step().loss, session.step().loss, session.step().loss]);
  });
});
