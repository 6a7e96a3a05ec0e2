import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { computeLayout } from '../../src/tui/layout.js';
import type { RunOptions } from '../../src/train/setup.js';
import { KEYS, renderApp } from './render-app.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

// `w` and `e` save files: let them, in a directory of the test's own.
const scratch = mkdtempSync(join(tmpdir(), 'mgtui-fuzz-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A step of a random session: a key as a terminal sends it, or some training. */
type Act = { key: string } | { train: number };

// Every binding and the keys of every mode (prompt text, menu navigation), but not q and Ctrl+C:
// they end the app, which its own tests cover.
const keyArb = fc.oneof(
  fc.constantFrom(' ', 's', '+', '=', '-', '_', 'L', 'l', '[', ']', '{', '}', 'r', 'n', 'm', 'g', 'o', '?', 'w', 'e', 'x', 'j', 'k'),
  fc.constantFrom(KEYS.enter, KEYS.escape, KEYS.backspace, KEYS.up, KEYS.down, KEYS.right, KEYS.pageUp, KEYS.pageDown, KEYS.home, KEYS.end),
  fc.constantFrom('0', '1', '5', '.', 'e', '-3', '0.05', '1e6', 'abc', 'ss', '++', ']]]'),
);
const actArb: fc.Arbitrary<Act> = fc.oneof(
  { weight: 6, arbitrary: keyArb.map((key) => ({ key })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20 }).map((train) => ({ train })) },
);
const setupArb = fc.record({
  size: fc.constantFrom({ columns: 80, rows: 24 }, { columns: 100, rows: 30 }, { columns: 120, rows: 40 }, { columns: 60, rows: 20 }),
  options: fc.constantFrom<Partial<RunOptions>>(
    { epochs: 20 },
    { epochs: 3, learningRate: 5 },
    { dataset: 'xor', size: 12, layers: [3], activation: 'relu', loss: 'hinge', epochs: 15 },
    { dataset: 'moons', size: 10, layers: [2], loss: 'mse', learningRate: 1e-5, epochs: 1 },
  ),
});

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('the UI under random keys', () => {
  it('never throws and keeps its invariants after every key', async () => {
    const errors = vi.spyOn(console, 'error');
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(actArb, { minLength: 1, maxLength: 24 }), async ({ size, options }, acts) => {
        const app = await renderApp({ size, options, directory: scratch });
        const { tableRows, tooSmall } = computeLayout(size.columns, size.rows);
        try {
          for (const act of acts) {
            if ('key' in act) app.stdin.write(act.key);
            else app.scheduler.run(act.train);
            await tick();
            await tick();

            const session = app.controller.session;
            expect(Number.isFinite(session.learningRate) && session.learningRate > 0).toBe(true);
            expect(Number.isInteger(session.epochs)).toBe(true);
            expect(session.epochs).toBeGreaterThanOrEqual(Math.max(1, session.epoch));

            const lines = app.lines();
            expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
            for (const line of lines) expect(line.length).toBeLessThanOrEqual(size.columns);
            const position = /(\d+)-(\d+) of (\d+)/.exec(app.frame());
            if (!tooSmall && position !== null) {
              const [first, last, count] = position.slice(1).map(Number) as [number, number, number];
              expect(count).toBe(session.parameterCount);
              expect(1 <= first && first <= last && last <= count).toBe(true);
              expect(last - first + 1).toBeLessThanOrEqual(tableRows);
            }
          }
        } finally {
          app.controller.dispose();
          app.unmount();
        }
      }),
      { seed: 20261126, numRuns: 60 },
    );
    expect(errors).not.toHaveBeenCalled();
    expect(readdirSync(scratch).length).toBeGreaterThan(0); // w and e did write their files
  }, 120_000);
});
