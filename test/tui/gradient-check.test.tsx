import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render } from 'ink-testing-library';
import { GradientChecker, type CheckSource } from '../../src/learn/gradient-check.js';
import { createSession, DEFAULT_RUN_OPTIONS } from '../../src/train/setup.js';
import { computeLayout } from '../../src/tui/layout.js';
import { ParamTable } from '../../src/tui/ParamTable.js';
import { ColorContext } from '../../src/tui/theme.js';
import { KEYS, renderApp, type RenderedApp } from './render-app.js';

afterEach(cleanup);

async function press(app: RenderedApp, keys: string, check: () => void): Promise<void> {
  app.stdin.write(keys);
  await vi.waitFor(check, { interval: 5, timeout: 5000 });
}

/** The check's rows: name, autograd, numeric, relative error and mark. */
function rows(app: RenderedApp) {
  return app
    .lines()
    .map((line) => /│ (L\d\.N\d+\.(?:w\d+|b)) +(\S+) +(\S+) +(\S+) (✓|~|✗)? *│$/.exec(line))
    .filter((m) => m !== null)
    .map((m) => ({ name: m[1], autograd: Number(m[2]), numeric: Number(m[3]), rel: m[4], mark: m[5] }));
}

describe('gradient check in the parameter table (c)', () => {
  it('shows numeric next to a fresh autograd gradient for the visible rows, all agreeing on the classic example', async () => {
    const app = await renderApp();
    await press(app, 'ss', () => expect(app.frame()).toMatch(/epoch 2\/100/));
    await press(app, 'c', () => expect(app.frame()).toContain('gradient check'));
    await vi.waitFor(() => expect(rows(app)).toHaveLength(computeLayout(80, 24).tableRows), { interval: 5, timeout: 5000 });
    const fresh = app.controller.session.freshGradients();
    for (const r of rows(app)) {
      expect(r.mark).toBe('✓');
      expect(Number(r.rel)).toBeLessThan(1e-6);
      const i = app.controller.session.names.indexOf(r.name as string);
      expect(r.autograd).toBeCloseTo(fresh[i] as number, 3);
      expect(r.numeric).toBeCloseTo(fresh[i] as number, 3);
    }
    await press(app, KEYS.end, () => expect(app.frame()).toContain(`${42 - computeLayout(80, 24).tableRows}-41 of 41`));
    await vi.waitFor(() => expect(rows(app).map((r) => r.name)).toContain('L3.N1.b'), { interval: 5, timeout: 5000 });
    await press(app, 'c', () => expect(app.frame()).toContain('parameters 41'));
  });

  it('with --batch, says it checks the next batch, and agrees there', async () => {
    const app = await renderApp({ options: { batch: 2 } });
    await press(app, 's', () => expect(app.frame()).toMatch(/epoch 1\/100/));
    await press(app, 'c', () => expect(app.frame()).toContain('check · next batch'));
    await vi.waitFor(() => expect(rows(app)).toHaveLength(computeLayout(80, 24).tableRows), { interval: 5, timeout: 5000 });
    for (const r of rows(app)) expect(r.mark).toBe('✓');
  });

  it('shows a gradient from a broken rule (test double) in red, and marks it without colour', () => {
    const session = createSession(DEFAULT_RUN_OPTIONS);
    const broken: CheckSource = {
      names: session.names,
      parameters: () => session.parameters(),
      nudgedLoss: (i, d) => session.nudgedLoss(i, d),
      freshGradients: () => session.freshGradients().map((g, i) => (i === 1 ? -g : g)),
    };
    const checker = new GradientChecker(broken);
    checker.want([0, 1, 2]);
    while (checker.runOne());
    const table = (color: boolean) =>
      render(
        <ColorContext.Provider value={color}>
          <ParamTable
            shown={session.snapshotAt([0, 1, 2]).map((p, index) => ({ ...p, index }))}
            count={session.parameterCount}
            offset={0}
            rows={3}
            sortByGrad={false}
            check={(index) => checker.result(index)}
            width={41}
            height={6}
          />
        </ColorContext.Provider>,
      ).lastFrame() ?? '';
    const level = chalk.level;
    chalk.level = 1; // chalk would decide from the test's stdout that there is no colour
    const coloured = table(true).split('\n');
    chalk.level = level;
    expect(coloured[3]).toMatch(/L1\.N1\.w2.*\u001b\[31m +2 ✗/);
    expect(coloured[2]).toMatch(/\u001b\[32m.*✓/);
    const plain = table(false);
    expect(plain).not.toMatch(/\u001b\[3\dm/);
    expect(plain).toMatch(/L1\.N1\.w2 .* ✗ │/);
  });
});
