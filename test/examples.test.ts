/**
 * The built examples, run as a user runs them (`node dist/examples/<name>.js`). `npm test` builds
 * first, so dist/ is current; a plain `vitest run` needs `npm run build` before it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../src/data/datasets.js';
import type { Value } from '../src/engine/value.js';
import { sumSquaredError } from '../src/nn/loss.js';
import { MLP } from '../src/nn/mlp.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function runExample(name: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const script = `dist/examples/${name}.js`;
  expect(existsSync(`${root}${script}`), `${script} is missing: run npm run build`).toBe(true);
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
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
