import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { CLI } from '../e2e/tmux.js';
import { jsonLosses } from './capture.js';

// Real processes reading their data from a real pipe on standard input.
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cli-stdin-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CSV = 'a,b,label\n0.5,1,1\n-1,0.25,-1\n2,-0.5,1\n-0.75,-2,-1\n1.5,0.5,1\n';
const RUN = ['--headless', '--json', '--layers', '3', '--activation', 'tanh', '--loss', 'mse', '--lr', '0.05'];

function cli(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', [CLI, ...args], { input, encoding: 'utf8', cwd: dir, timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--data - (standard input)', () => {
  it('trains headless on the samples piped in, as on the same file', () => {
    writeFileSync(join(dir, 'd.csv'), CSV);
    const piped = cli([...RUN, '--data', '-', '--epochs', '6'], CSV);
    const file = cli([...RUN, '--data', 'd.csv', '--epochs', '6']);
    expect(piped).toMatchObject({ status: 0, stderr: '' });
    expect(jsonLosses(piped.stdout)).toHaveLength(6);
    expect(jsonLosses(piped.stdout)).toEqual(jsonLosses(file.stdout));
  });

  it('embeds the samples in a checkpoint, so --load resumes with no standard input, bit for bit', () => {
    const straight = cli([...RUN, '--data', '-', '--epochs', '9'], CSV);
    const first = cli([...RUN, '--data', '-', '--epochs', '4', '--save', 'run.ckpt'], CSV);
    expect(first.status).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'run.ckpt'), 'utf8')) as { run: { dataFile: string }; data: unknown };
    expect(saved.run.dataFile).toBe('-');
    expect(saved.data).toEqual({ x: [[0.5, 1], [-1, 0.25], [2, -0.5], [-0.75, -2], [1.5, 0.5]], y: [1, -1, 1, -1, 1] });
    const resumed = cli(['--headless', '--json', '--load', 'run.ckpt', '--epochs', '9']);
    expect(resumed).toMatchObject({ status: 0, stderr: '' });
    expect([...jsonLosses(first.stdout), ...jsonLosses(resumed.stdout)]).toEqual(jsonLosses(straight.stdout));
  });

  it('refuses a checkpoint of such a run whose samples are missing or damaged, in one line', () => {
    cli([...RUN, '--data', '-', '--epochs', '2', '--save', 'run.ckpt'], CSV);
    const doc = JSON.parse(readFileSync(join(dir, 'run.ckpt'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'bare.ckpt'), JSON.stringify({ ...doc, data: undefined }));
    expect(cli(['--headless', '--load', 'bare.ckpt'])).toMatchObject({
      status: 2,
      stderr: 'micrograd-tui: bare.ckpt: its run read standard input (run.dataFile "-"), but it has no "data" field with those samples\n',
    });
    writeFileSync(join(dir, 'bad.ckpt'), JSON.stringify({ ...doc, data: { x: [[1, 2], [3]], y: [1, -1] } }));
    expect(cli(['--headless', '--load', 'bad.ckpt'])).toMatchObject({
      status: 2,
      stderr: 'micrograd-tui: bad.ckpt: data: x[1] has 1 numbers, expected 2 like x[0]\n',
    });
  });

  it('names standard input in a bad line', () => {
    expect(cli(['--headless', '--data', '-'], '1,2,1\n3,x,1\n')).toMatchObject({
      status: 2,
      stderr: 'micrograd-tui: standard input:2: column 2: "x" is not a number\n',
    });
  });

  it('is refused in the terminal trainer, which reads its keys there', () => {
    expect(() => parseCli(['--data', '-'])).toThrow(/^--data - reads standard input, which the terminal trainer needs for its keys: add --headless/);
    expect(parseCli(['--headless', '--data', '-']).run.dataFile).toBe('-');
  });
});
