import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../e2e/tmux.js';

// Real processes: a setup too big for memory is refused in one line before it is built, where
// V8 used to abort ("heap out of memory", exit 134) after a minute or more. The timeout is what
// "quickly" means here: a run that went on to build the setup would still be building then.
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cli-too-big-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], nodeOptions = ''): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync('node', [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

describe('a setup too big for memory', () => {
  it('with the graph engine on 100000 moons: refused for the heap, with what fits', () => {
    const r = cli(['--headless', '--dataset', 'moons', '--size', '100000', '--layers', '16,16', '--engine', 'graph'], '--max-old-space-size=1024');
    expect(r).toMatchObject({ status: 2, stdout: '', signal: null });
    expect(r.stderr).toMatch(/^micrograd-tui: too big for memory: 100000 samples of 2 inputs on layers 16,16 with --engine graph needs about 7\.\d GB of JavaScript heap a step, more than fits in its [\d.]+ [GM]B; about \d+ samples fit with these layers, or choose smaller layers \(or --engine tape, which needs far less\)\n$/);
  });

  it('a 1.16M-row CSV under the file cap on eight layers of 256: refused for the free memory', () => {
    const csv = join(dir, 'rows.csv');
    const rows: string[] = [];
    for (let i = 0; i < 1_160_000; i++) rows.push(`${(i % 97) / 10},${(i % 89) / 10},${i % 2 === 0 ? 1 : -1}`);
    writeFileSync(csv, rows.join('\n') + '\n');
    const r = cli(['--headless', '--data', csv, '--layers', '256,256,256,256,256,256,256,256']);
    expect(r).toMatchObject({ status: 2, stdout: '', signal: null });
    expect(r.stderr).toMatch(/^micrograd-tui: too big for memory: 1160000 samples of 2 inputs on layers 256(,256){7} needs about \d+\.\d GB of memory, more than fits in the [\d.]+ GB free; about \d+ samples fit with these layers, or choose smaller layers\n$/);
  });

  it('a large setup that fits, held-out samples included, is built at once and trains', () => {
    const r = cli(['--headless', '--dataset', 'moons', '--size', '100000', '--test-fraction', '0.3', '--epochs', '1']);
    expect(r).toMatchObject({ status: 0, stderr: '', signal: null });
    expect(r.stdout).toMatch(/^epoch 1\/1 .* test loss /m);
  });
});
