import { cleanup } from 'ink-testing-library';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { formatLoss, formatPercent } from '../src/format.js';
import { loadCheckpoint } from '../src/train/checkpoint.js';
import type { StepReport } from '../src/train/session.js';
import { runCli } from './cli/capture.js';
import { renderApp } from './tui/render-app.js';

// One definition of "the figures of epoch n" (README, "What the numbers mean"): the training loss
// and accuracy of epoch n's own forward pass, the test figures at the end of the epoch. Every
// output must give the same numbers for the same epoch.
const dir = mkdtempSync(join(tmpdir(), 'epoch-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => cleanup());

const RUN = ['--dataset', 'moons', '--size', '40', '--layers', '5', '--activation', 'relu', '--loss', 'hinge', '--l2', '0', '--lr', '0.3', '--test-fraction', '0.25', '--seed', '7'];
const EPOCHS = 3;

describe('one number per epoch', () => {
  it('--json, progress lines, summary, CSV, checkpoint and the trainer give the same figures for each epoch', async () => {
    const json = await runCli(['--headless', '--json', ...RUN, '--epochs', String(EPOCHS)]);
    expect(json.code).toBe(0);
    const records = json.out.trim().split('\n').map((l) => JSON.parse(l) as StepReport);
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3]);

    const csv = join(dir, 'history.csv');
    const ckpt = join(dir, 'run.ckpt');
    const text = await runCli(['--headless', ...RUN, '--epochs', String(EPOCHS), '--print-every', '1', '--export-history', csv, '--save', ckpt]);
    expect(text.code).toBe(0);
    const lines = text.out.trim().split('\n');

    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const { history } = loadCheckpoint(ckpt).training;

    records.forEach((r, i) => {
      // The progress line of epoch i + 1.
      const line = lines[i] as string;
      expect(line).toContain(`epoch ${r.epoch}/${EPOCHS}  loss ${formatLoss(r.loss, 6)}  acc ${formatPercent(r.accuracy as number, 1).padStart(6)}`);
      expect(line).toContain(`test loss ${formatLoss(r.testLoss as number, 6)}  test acc ${formatPercent(r.testAccuracy as number, 1).padStart(6)}`);
      // The CSV row: epoch, loss, accuracy, learning_rate, test_loss, test_accuracy.
      const row = rows[i] as string[];
      expect(row.slice(0, 6).map(Number)).toEqual([r.epoch, r.loss, r.accuracy, r.learningRate, r.testLoss, r.testAccuracy]);
      // The checkpoint's history.
      expect([history.loss[i], history.accuracy[i], history.learningRate[i], history.testLoss?.[i], history.testAccuracy?.[i]]).toEqual([
        r.loss,
        r.accuracy,
        r.learningRate,
        r.testLoss,
        r.testAccuracy,
      ]);
    });

    // The summary speaks of the last epoch.
    const last = records.at(-1) as StepReport;
    expect(lines.find((line) => line.startsWith('done: '))).toContain(
      `final loss ${formatLoss(last.loss, 6)}, accuracy ${formatPercent(last.accuracy as number, 1)}; test loss ${formatLoss(last.testLoss as number, 6)}, test accuracy ${formatPercent(last.testAccuracy as number, 1)}`,
    );

    // The trainer: after each s, the status line and the chart's history.
    const app = await renderApp({
      options: { dataset: 'moons', size: 40, layers: [5], activation: 'relu', loss: 'hinge', l2: 0, learningRate: 0.3, testFraction: 0.25, seed: 7, epochs: 100 },
    });
    for (const r of records) {
      app.stdin.write('s');
      await vi.waitFor(() => expect(app.lines().at(-2)).toMatch(new RegExp(`^ epoch ${r.epoch}/100 `)), { interval: 5 });
      const status = app.lines().at(-2) as string;
      expect(status).toContain(`loss ${formatLoss(r.loss).padStart(9)}`);
      expect(status).toContain(`test ${formatLoss(r.testLoss as number).padStart(9)}`);
      expect(status).toContain(`acc ${formatPercent(r.accuracy as number).padStart(4)}`);
      expect(status).toContain(`test acc ${formatPercent(r.testAccuracy as number).padStart(4)}`);
      expect(app.controller.session.history.losses().at(-1)).toBe(r.loss); // what the chart draws last
    }
  });
});
