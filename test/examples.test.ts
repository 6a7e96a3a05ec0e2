/**
 * The built examples, run as a user runs them (`node dist/examples/<name>.js`). `npm test` builds
 * first, so dist/ is current; a plain `vitest run` needs `npm run build` before it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataset } from '../src/data/datasets.js';
import type { Value } from '../src/engine/value.js';
import { sumSquaredError } from '../src/nn/loss.js';
import { MLP } from '../src/nn/mlp.js';
import { jsonLosses, runCli } from './cli/capture.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function runExample(
  name: string,
  env: Record<string, string> = {},
  cwd = root,
): { status: number | null; stdout: string; stderr: string } {
  const script = join(root, `dist/examples/${name}.js`);
  expect(existsSync(script), `${script} is missing: run npm run build`).toBe(true);
  const result = spawnSync(process.execPath, [script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The classic run computed in-process from the library: the losses the example should print. */
function classicLosses(steps: number, seed: number): number[] {
  const { x, y } = makeDataset('classic');
  const model = new MLP(3, [4, 4, 1], { seed });
  return Array.from({ length: steps }, () => {
    const loss = sumSquaredError(
      x.map((row) => model.forward(row)[0] as Value),
      y,
    );
    model.zeroGrad();
    loss.backward();
    for (const p of model.parameters()) p.data -= 0.1 * p.grad;
    return loss.data;
  });
}

describe('examples/classic', () => {
  it('prints the loss of each of 20 steps, then the predictions against the targets, and exits 0', () => {
    const { status, stdout, stderr } = runExample('classic');
    expect(stderr).toBe('');
    expect(status).toBe(0);

    const stepLines = stdout.split('\n').filter((l) => l.startsWith('step'));
    const expected = classicLosses(20, 42);
    expect(stepLines).toEqual(expected.map((loss, k) => `step ${String(k).padStart(2)}  loss ${loss.toFixed(6)}`));

    const table = stdout.slice(stdout.indexOf('target  prediction'));
    const rows = table.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows.map((r) => r[0])).toEqual([1, -1, -1, 1]);
    // After training every prediction is close to its target.
    for (const [target, prediction] of rows) expect(Math.abs(prediction! - target!)).toBeLessThan(0.1);
  });

  it('reads STEPS and SEED from the environment', () => {
    const { status, stdout } = runExample('classic', { STEPS: '3', SEED: '7' });
    expect(status).toBe(0);
    const losses = stdout
      .split('\n')
      .filter((l) => l.startsWith('step'))
      .map((l) => l.split(/\s+/).at(-1));
    expect(losses).toEqual(classicLosses(3, 7).map((l) => l.toFixed(6)));
  });

  it('exits non-zero with a message on stderr when the loss did not fall', () => {
    // One step leaves nothing to compare: the first loss is also the last.
    const { status, stderr } = runExample('classic', { STEPS: '1' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^the loss did not fall: /);
  });
});

describe('examples/moons', () => {
  it('trains the two-moons classifier to at least 95% accuracy and exits 0', () => {
    const { status, stdout, stderr } = runExample('moons');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const steps = stdout.split('\n').filter((l) => l.startsWith('step'));
    // Every tenth step and the last one.
    expect(steps.map((l) => Number(l.split(/\s+/)[1]))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]);
    const losses = steps.map((l) => Number(/loss (\S+)/.exec(l)![1]));
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    const final = /^final accuracy (\d+\.\d)% on 100 points$/m.exec(stdout);
    expect(final, stdout).not.toBeNull();
    expect(Number(final![1])).toBeGreaterThanOrEqual(95);
  });
});

describe('examples/moons and the trainer', () => {
  it('give the same losses: the example\'s schedule, 1.0 down to 0.1 over 100 steps, is --lr-schedule linear', async () => {
    const { stdout } = runExample('moons');
    const printed = stdout.split('\n').filter((l) => l.startsWith('step')).map((l) => /^step +(\d+) +loss (\S+)/.exec(l)!.slice(1));
    const args = ['--headless', '--json', '--dataset', 'moons', '--layers', '16,16', '--activation', 'relu', '--loss', 'hinge', '--l2', '1e-4'];
    const run = await runCli([...args, '--lr', '1', '--lr-schedule', 'linear', '--lr-final', '0.1', '--epochs', '100', '--seed', '42']);
    expect(run.code).toBe(0);
    const losses = jsonLosses(run.out);
    expect(printed).toHaveLength(11);
    for (const [step, loss] of printed) expect(losses[Number(step)]!.toFixed(6)).toBe(loss); // step k is epoch k + 1
  });
});

describe('examples/graph', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'micrograd-graph-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the tanh neuron as a text tree with every data and grad, and writes its DOT file', () => {
    const { status, stdout, stderr } = runExample('graph', {}, dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // The micrograd lecture's neuron: o = tanh(n) = 0.7071, do/dn = 0.5, dx1 = -1.5, dw1 = 1, dx2 = 0.5, dw2 = 0.
    expect(stdout).toContain('[tanh] o | data 0.7071 | grad 1\n');
    expect(stdout).toContain('[+] n | data 0.8814 | grad 0.5000');
    expect(stdout).toContain('x1 | data 2 | grad -1.5000');
    expect(stdout).toContain('w1 | data -3 | grad 1.0000');
    expect(stdout).toContain('x2 | data 0 | grad 0.5000');
    expect(stdout).toContain('w2 | data 1 | grad 0\n');
    expect(stdout).toContain('b | data 6.8814 | grad 0.5000');
    expect(stdout.trimEnd().endsWith('wrote neuron.dot')).toBe(true);

    const dot = readFileSync(join(dir, 'neuron.dot'), 'utf8');
    expect(dot.startsWith('digraph G {')).toBe(true);
    for (const record of ['o | data 0.7071 | grad 1', 'x1 | data 2 | grad -1.5000', 'w2 | data 1 | grad 0']) {
      expect(dot).toContain(`label="{ ${record} }"`);
    }
    expect(dot).toContain('_op [label="tanh"];');
  });

  it('writes the DOT file named by DOT', () => {
    const target = join(dir, 'custom.dot');
    const { status, stdout } = runExample('graph', { DOT: target }, dir);
    expect(status).toBe(0);
    expect(stdout.trimEnd().endsWith(`wrote ${target}`)).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('digraph G {');
  });
});
