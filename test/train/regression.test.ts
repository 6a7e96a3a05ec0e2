import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { Rng } from '../../src/rng.js';
import { rSquared } from '../../src/nn/loss.js';
import { loadCheckpoint, openCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';
import { historyCsv } from '../../src/train/export.js';
import { createSession } from '../../src/train/setup.js';
import { runCli } from '../cli/capture.js';

let dir: string;
let square: string;
let houses: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'regression-'));
  square = join(dir, 'square.csv');
  writeFileSync(square, 'x,y\n' + Array.from({ length: 40 }, (_, i) => { const x = -3 + (6 * i) / 39; return `${x},${x * x}`; }).join('\n'));
  // Prices in dollars, a few hundred thousand: unscaled, gradient descent on them overflows.
  const rng = new Rng(5);
  houses = join(dir, 'houses.csv');
  const rows = Array.from({ length: 60 }, () => {
    const sqft = Math.round(rng.uniform(500, 4000));
    const rooms = 1 + Math.floor(rng.uniform(0, 6));
    return `${sqft},${rooms},${50_000 + 150 * sqft + 10_000 * rooms + Math.round(5000 * rng.normal())}`;
  });
  writeFileSync(houses, 'sqft,rooms,price\n' + rows.join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const train = (argv: string[]) => {
  const session = createSession(parseCli(argv).run);
  while (session.status === 'ready') session.step();
  return session;
};

describe('regression on a data file', () => {
  it('learns y = x² from the defaults: linear output, standardised data, R² >= 0.98', () => {
    const session = train(['--data', square]);
    expect(session.outputActivation).toBe('linear');
    expect(session.status).toBe('done');
    expect(session.latest.r2).toBeGreaterThanOrEqual(0.98);
    expect(session.latest.accuracy).toBeNull();
  });

  it('reports the loss and outputs in the data\'s own units', () => {
    const session = train(['--data', houses, '--epochs', '300']);
    const { outputs, loss, r2 } = session.latest;
    const { y } = session.config.dataset;
    expect(Math.min(...outputs)).toBeGreaterThan(50_000); // dollars, not standard deviations
    const mse = outputs.reduce((s, o, i) => s + (o - (y[i] as number)) ** 2, 0) / y.length;
    expect(loss).toBeCloseTo(mse, -1);
    expect(loss / mse).toBeCloseTo(1, 10);
    expect(r2).toBe(rSquared(outputs, y));
    expect(r2).toBeGreaterThan(0.99);
  });

  it('--output-activation and --scale none are the user\'s to choose', () => {
    expect(createSession(parseCli(['--data', square, '--output-activation', 'relu']).run).outputActivation).toBe('relu');
    expect(createSession(parseCli(['--data', square, '--scale', 'none']).run).config.scaling).toBeUndefined();
    expect(createSession(parseCli(['--dataset', 'moons']).run).config.scaling).toBeUndefined(); // built-ins as generated
  });

  it('saves the scaling in the checkpoint and resumes exactly', () => {
    const options = { ...parseCli(['--data', houses, '--epochs', '20']).run };
    const straight = createSession(options);
    while (straight.status === 'ready') straight.step();
    const first = createSession({ ...options, epochs: 10 });
    for (let i = 0; i < 10; i++) first.step();
    const path = join(dir, 'houses.ckpt');
    saveCheckpoint(path, { ...options, epochs: 10 }, first);
    expect(loadCheckpoint(path).scaling).toEqual(first.config.scaling);
    const { session } = openCheckpoint(path);
    session.setEpochs(20);
    while (session.status === 'ready') session.step();
    expect(Array.from(session.history.losses())).toEqual(Array.from(straight.history.losses()));
    expect(Array.from(session.history.r2s())).toEqual(Array.from(straight.history.r2s()));
  });

  it('puts R² in the JSON records, the history CSV, the progress lines and the summary', async () => {
    const json = await runCli(['--headless', '--json', '--data', square, '--epochs', '3']);
    const records = json.out.trim().split('\n').map((l) => JSON.parse(l) as { r2: number | null; accuracy: number | null });
    expect(records).toHaveLength(3);
    expect(records.every((r) => typeof r.r2 === 'number' && r.accuracy === null)).toBe(true);
    const text = await runCli(['--headless', '--data', square, '--epochs', '4', '--print-every', '2']);
    expect(text.out).toMatch(/epoch 2\/4 {2}loss \S+ {2}R² -?\d\.\d{4} {2}lr/);
    expect(text.out).toMatch(/final loss \S+, R² -?\d\.\d{4}\n$/);
    const session = train(['--data', square, '--epochs', '2']);
    const csv = historyCsv(session.history).split('\n');
    expect(csv[0]).toBe('epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from');
    expect(csv[1]).toBe(`1,${session.history.losses()[0]},,0.01,,,${session.history.r2s()[0]},,`);
  });
});
