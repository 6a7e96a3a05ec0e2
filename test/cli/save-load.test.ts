import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { historyCsv } from '../../src/train/export.js';
import { TrainingSession } from '../../src/train/session.js';
import { createSession } from '../../src/train/setup.js';
import { jsonLosses, runCli } from './capture.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cli-save-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const MOONS = ['--dataset', 'moons', '--size', '24', '--layers', '5,3', '--activation', 'relu', '--loss', 'hinge', '--lr', '0.05'];
const DIVERGES = ['--dataset', 'moons', '--size', '20', '--layers', '4', '--activation', 'linear', '--loss', 'hinge', '--lr', '1e6'];

describe('--save and --load', () => {
  it('resume where the run stopped: the next epochs give the same losses', async () => {
    const straight = await runCli(['--headless', '--json', ...MOONS, '--epochs', '40']);
    expect(straight.code).toBe(0);

    const ckpt = join(dir, 'run.ckpt');
    const first = await runCli(['--headless', '--json', ...MOONS, '--epochs', '15', '--save', ckpt]);
    expect(first.code).toBe(0);
    const second = await runCli(['--headless', '--json', '--load', ckpt, '--epochs', '40']);
    expect(second).toMatchObject({ code: 0, err: '' });
    expect([...jsonLosses(first.out), ...jsonLosses(second.out)]).toEqual(jsonLosses(straight.out));
  });

  it('lets --lr override the checkpoint and refuses a target below its epoch', async () => {
    const ckpt = join(dir, 'run.ckpt');
    await runCli(['--headless', '--epochs', '10', '--save', ckpt]);
    const resumed = await runCli(['--headless', '--json', '--load', ckpt, '--epochs', '12', '--lr', '0.01', '--save', ckpt]);
    expect(resumed.code).toBe(0);
    expect(loadCheckpoint(ckpt).training).toMatchObject({ epoch: 12, learningRate: 0.01 });
    const low = await runCli(['--headless', '--load', ckpt, '--epochs', '5']);
    expect(low).toMatchObject({ code: 2, out: '', err: `micrograd-tui: --epochs 5 is below the 12 epochs ${ckpt} has already run\n` });
  });

  it('lets --engine choose how the loaded run is computed, with the same losses', async () => {
    const ckpt = join(dir, 'run.ckpt');
    await runCli(['--headless', ...MOONS, '--epochs', '10', '--save', ckpt]);
    const tape = await runCli(['--headless', '--json', '--load', ckpt, '--epochs', '15']);
    const graph = await runCli(['--headless', '--json', '--load', ckpt, '--epochs', '15', '--engine', 'graph', '--save', ckpt]);
    expect(graph.code).toBe(0);
    expect(jsonLosses(graph.out)).toEqual(jsonLosses(tape.out));
    expect(loadCheckpoint(ckpt).options.engine).toBe('graph');
  });

  it('names the checkpoint when its data file is gone', async () => {
    const data = join(dir, 'd.csv');
    writeFileSync(data, '1,2,1\n2,1,-1\n');
    const ckpt = join(dir, 'run.ckpt');
    await runCli(['--headless', '--data', data, '--epochs', '2', '--save', ckpt]);
    rmSync(data);
    const r = await runCli(['--headless', '--load', ckpt]);
    expect(r).toMatchObject({ code: 2, out: '', err: `micrograd-tui: ${ckpt}: cannot rebuild its run: ${data}: no such file\n` });
  });

  it('says so when the checkpoint already reached its target', async () => {
    const ckpt = join(dir, 'run.ckpt');
    await runCli(['--headless', '--epochs', '5', '--save', ckpt]);
    const again = await runCli(['--headless', '--load', ckpt]);
    expect(again).toMatchObject({ code: 0, out: 'already at the epoch target (5); raise it with --epochs to train further\n' });
  });

  it.each(['save', 'autosave', 'export-history'])('refuses --%s to a place it cannot write before training', async (flag) => {
    const missing = join(dir, 'missing', 'run.ckpt');
    expect(await runCli(['--headless', '--epochs', '3', `--${flag}`, missing])).toEqual({
      code: 2,
      out: '',
      err: `micrograd-tui: ${missing}: cannot save: no such directory\n`,
    });
    expect(await runCli(['--headless', '--epochs', '3', `--${flag}`, dir])).toEqual({ code: 2, out: '', err: `micrograd-tui: ${dir}: cannot save: is a directory\n` });
  });
});

describe('flags that do not apply', () => {
  it('refuses --size and --noise where they do not apply', async () => {
    for (const argv of [['--size', '10'], ['--dataset', 'classic', '--noise', '0.1']]) {
      const r = await runCli(['--headless', ...argv]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/does not apply to the classic dataset/);
    }
  });
});

describe('--test-fraction', () => {
  it('adds testLoss and testAccuracy to --json records, null without a test set', async () => {
    const withTest = await runCli(['--headless', '--json', '--dataset', 'moons', '--epochs', '2', '--test-fraction', '0.3']);
    expect(withTest.code).toBe(0);
    const record = JSON.parse(withTest.out.trim().split('\n')[0] as string) as { testLoss: number; testAccuracy: number };
    expect(record.testLoss).toBeGreaterThan(0);
    expect(record.testAccuracy).toBeGreaterThanOrEqual(0);
    const without = await runCli(['--headless', '--json', '--epochs', '1']);
    expect(JSON.parse(without.out.trim()) as object).toMatchObject({ testLoss: null, testAccuracy: null, testR2: null });
  });

  it('adds testR2 for a regression with a test set, and a test_r2 column to the history CSV', async () => {
    const data = join(dir, 'square.csv');
    writeFileSync(data, Array.from({ length: 40 }, (_, i) => `${i / 10 - 2},${(i / 10 - 2) ** 2}`).join('\n'));
    const csv = join(dir, 'square-history.csv');
    const r = await runCli(['--headless', '--json', '--data', data, '--epochs', '200', '--test-fraction', '0.25', '--export-history', csv]);
    expect(r.code).toBe(0);
    const records = r.out.trim().split('\n').map((l) => JSON.parse(l) as { testR2: number | null; testAccuracy: number | null });
    const last = records.at(-1) as { testR2: number; testAccuracy: null };
    expect(last.testAccuracy).toBeNull();
    expect(last.testR2).toBeGreaterThan(0.9);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]?.split(',').at(-2)).toBe('test_r2');
    expect(Number(rows.at(-1)?.split(',').at(-2))).toBe(last.testR2);
    const classification = await runCli(['--headless', '--json', '--dataset', 'moons', '--epochs', '1', '--test-fraction', '0.3']);
    expect(JSON.parse(classification.out.trim()) as object).toMatchObject({ testR2: null });
  });
});

describe('--export-history', () => {
  it('writes epoch, loss, accuracy, learning rate and R² as CSV', async () => {
    const csv = join(dir, 'history.csv');
    const r = await runCli(['--headless', '--json', '--epochs', '4', '--export-history', csv]);
    expect(r.code).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from');
    expect(rows.slice(1).map((row) => row.split(','))).toEqual(
      jsonLosses(r.out).map((loss, i) => [String(i + 1), String(loss), expect.stringMatching(/^(0|1|0\.\d+)$/), '0.1', '', '', '', '', '']),
    );
  });

  it('leaves accuracy empty for regression data, and R² for classification', () => {
    const dataset = { name: 'line', source: 'line', x: [[1], [2], [3]], y: [0.5, 1.5, 2.5] };
    const session = new TrainingSession({ dataset, layers: [2], activation: 'tanh', loss: 'mse', learningRate: 0.1, epochs: 2, seed: 1 });
    session.step();
    session.step();
    expect(historyCsv(session.history)).toBe(
      `epoch,loss,accuracy,learning_rate,test_loss,test_accuracy,r2,test_r2,restored_from\n1,${session.history.losses()[0]},,0.1,,,${session.history.r2s()[0]},,\n2,${session.history.losses()[1]},,0.1,,,${session.history.r2s()[1]},,\n`,
    );
  });
});

describe('--autosave', () => {
  it('saves at the end (and every N epochs: test/train/run-files.test.ts)', async () => {
    const ckpt = join(dir, 'auto.ckpt');
    const r = await runCli(['--headless', '--epochs', '10', '--autosave', ckpt, '--autosave-every', '3']);
    expect(r.code).toBe(0);
    expect(loadCheckpoint(ckpt).training.epoch).toBe(10);
  });

  it('reports a failing autosave once and trains on', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const path = join(sub, 'auto.ckpt');
    const running = runCli(['--headless', '--epochs', '10000000', '--autosave', path, '--autosave-every', '1', '--print-every', '1000000']);
    setTimeout(() => rmSync(sub, { recursive: true }), 30); // the directory vanishes mid-run
    setTimeout(() => process.emit('SIGTERM'), 150);
    const r = await running;
    expect(r.code).toBe(143);
    expect(r.out).toMatch(/stopped at epoch \d+\/10000000 \(SIGTERM\)\n$/);
    expect(r.err).toBe(
      `micrograd-tui: autosave failed, training goes on: ${path}: cannot save: no such directory\n` +
        `micrograd-tui: ${path}: cannot save: no such directory\n`,
    );
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ] as const)('saves and exits %s with %i when the signal arrives mid-run', async (signal, code) => {
    const ckpt = join(dir, 'auto.ckpt');
    const running = runCli(['--headless', '--epochs', '10000000', '--autosave', ckpt, '--print-every', '1000000']);
    setTimeout(() => process.emit(signal), 50);
    const r = await running;
    expect(r.code).toBe(code);
    const { training } = loadCheckpoint(ckpt);
    expect(training.epoch).toBeGreaterThan(0);
    expect(r.err).toBe(`micrograd-tui: ${signal}: saved ${ckpt} at epoch ${training.epoch}\n`);
    expect(r.out).toMatch(new RegExp(`stopped at epoch ${training.epoch}/10000000 \\(${signal}\\)\\n$`));
    expect(process.listenerCount(signal)).toBe(0);
  });

  it('keeps the last good parameters of a diverged run and exits 1', async () => {
    const ckpt = join(dir, 'auto.ckpt');
    const r = await runCli(['--headless', ...DIVERGES, '--epochs', '100', '--autosave', ckpt]);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n');
    expect(lines.at(-2)).toMatch(/^diverged at epoch \d+: .* Try a smaller learning rate \(--lr\)\.$/);
    const { training } = loadCheckpoint(ckpt);
    expect(lines.at(-1)).toBe(`saved ${ckpt} (seed 42, epoch ${training.epoch})`);
    expect(Array.from(training.parameters).every(Number.isFinite)).toBe(true);
    // The checkpoint holds the weights of the lowest loss, and the next epoch will say it started from them.
    expect(training.restoredFrom).toBe(training.lowest?.epoch);
    expect(Array.from(training.parameters)).toEqual(Array.from(training.lowest?.parameters ?? []));
    expect(r.out).toContain(`back to the weights of epoch ${training.restoredFrom} (loss `);
    // Loaded with a lower rate, it trains on from there; its first epoch says where it started.
    const resumed = await runCli(['--headless', '--json', '--load', ckpt, '--lr', '1e-4', '--epochs', String(training.epoch + 5)]);
    expect(resumed.code).toBe(0);
    const records = resumed.out.trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; restoredFrom: number | null; diverged: boolean });
    expect(records.map((x) => [x.epoch, x.restoredFrom, x.diverged])).toEqual(
      Array.from({ length: 5 }, (_, i) => [training.epoch + 1 + i, i === 0 ? training.restoredFrom : null, false]),
    );
    const text = await runCli(['--headless', '--load', ckpt, '--lr', '1e-4', '--epochs', String(training.epoch + 5)]);
    expect(text.out.split('\n')[0]).toMatch(new RegExp(`^epoch ${training.epoch + 1}/.*  \\(from the weights of epoch ${training.restoredFrom}\\)$`));
  });
});

describe('saying where the files went', () => {
  it('prints each file a headless run wrote, with what it holds; with --json on stderr', async () => {
    const ckpt = join(dir, 'run.ckpt');
    const csv = join(dir, 'h.csv');
    const text = await runCli(['--headless', '--epochs', '3', '--save', ckpt, '--export-history', csv]);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out.trim().split('\n').slice(-2)).toEqual([`saved ${ckpt} (seed 42, epoch 3)`, `wrote the history to ${csv} (seed 42, epoch 3)`]);
    const json = await runCli(['--headless', '--json', '--epochs', '2', '--seed', '7', '--save', ckpt]);
    expect(json.code).toBe(0);
    expect(json.out.trim().split('\n').every((line) => line.startsWith('{'))).toBe(true);
    expect(json.err).toBe(`saved ${ckpt} (seed 7, epoch 2)\n`);
  });
});

describe('a real process killed with SIGHUP', () => {
  const main = resolve('dist/src/cli/main.js');

  type Ended = { code: number | null; signal: NodeJS.Signals | null; out: string; err: string };
  function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Ended> } {
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const done = new Promise<Ended>((res) => child.on('close', (code, signal) => res({ code, signal, out, err })));
    return { child, done };
  }

  it('can be resumed from its autosave with the losses of an uninterrupted run', async () => {
    expect(existsSync(main), 'run `npm run build` first (npm test does)').toBe(true);
    const ckpt = join(dir, 'auto.ckpt');
    const { child, done } = start(['--headless', ...MOONS, '--epochs', '10000000', '--autosave', ckpt, '--autosave-every', '1000', '--print-every', '20']);
    await new Promise<void>((res) => child.stdout?.once('data', () => res()));
    child.kill('SIGHUP');
    const killed = await done;
    expect(killed.signal).toBe('SIGHUP'); // after saving it ends as if by SIGHUP: a shell shows status 129
    expect(killed.err).toMatch(/^micrograd-tui: SIGHUP: saved .* at epoch \d+\n$/);
    const { training } = loadCheckpoint(ckpt);
    expect(training.epoch).toBeGreaterThanOrEqual(20);

    const resumed = start(['--headless', '--json', '--load', ckpt, '--epochs', String(training.epoch + 30)]);
    const r = await resumed.done;
    expect(r.code).toBe(0);
    const straight = createSession({ ...parseCli(MOONS).run, epochs: training.epoch + 30 });
    const losses: number[] = [];
    while (straight.status === 'ready') losses.push(straight.step().loss);
    expect(Array.from(training.history.loss)).toEqual(losses.slice(0, training.epoch));
    expect(jsonLosses(r.out)).toEqual(losses.slice(training.epoch));
  });
});

describe('a checkpoint remembers its data', () => {
  it('refuses to go on when its data file changed since the save, naming the file', async () => {
    const data = join(dir, 'points.csv');
    writeFileSync(data, '1,2,1\n2,1,-1\n');
    const ckpt = join(dir, 'run.ckpt');
    expect((await runCli(['--headless', '--data', data, '--epochs', '3', '--save', ckpt])).code).toBe(0);
    expect(readFileSync(ckpt, 'utf8')).toMatch(/"dataDigest": "sha256:[0-9a-f]{64}"/);

    writeFileSync(data, 'a,b,target\n1, 2, 1\n2, 1, -1\n'); // the same numbers, written differently
    expect((await runCli(['--headless', '--load', ckpt, '--epochs', '4'])).code).toBe(0);

    writeFileSync(data, '1,2,1\n2,1.5,-1\n');
    const r = await runCli(['--headless', '--load', ckpt, '--epochs', '5']);
    expect(r).toEqual({
      code: 2,
      out: '',
      err: `micrograd-tui: ${ckpt}: its data file ${data} has changed since the checkpoint was saved (the numbers differ); restore that file, or start a new run on it\n`,
    });
  });
});

describe('--data-seed', () => {
  it('draws other points of a generated dataset, keeps the weights, and goes through a checkpoint', async () => {
    const base = parseCli(['--dataset', 'moons']).run;
    const other = parseCli(['--dataset', 'moons', '--data-seed', '7']).run;
    expect(base.dataSeed).toBeUndefined();
    const a = createSession(base);
    const b = createSession(other);
    expect(b.config.dataset.x).not.toEqual(a.config.dataset.x);
    expect(createSession({ ...base, dataSeed: 1337 }).config.dataset.x).toEqual(a.config.dataset.x);
    expect(b.parameters()).toEqual(a.parameters());
    const ckpt = join(dir, 'seeded.ckpt');
    const r = await runCli(['--headless', '--dataset', 'moons', '--data-seed', '7', '--epochs', '3', '--save', ckpt]);
    expect(r.code).toBe(0);
    expect(loadCheckpoint(ckpt).options.dataSeed).toBe(7);
    const resumed = await runCli(['--headless', '--load', ckpt, '--epochs', '4']);
    expect(resumed.code).toBe(0);
  });

  it('is refused where it does not apply, and with --load', async () => {
    for (const [args, message] of [
      [['--data-seed', '3'], /--data-seed does not apply to the classic dataset/],
      [['--data', 'x.csv', '--data-seed', '3'], /--data-seed applies to generated datasets, not to a data file/],
      [['--dataset', 'moons', '--data-seed', '-1'], /--data-seed must be an integer from 0 to 4294967295 \(got "-1"\)/],
      [['--load', 'x.ckpt', '--data-seed', '3'], /--data-seed cannot be combined with --load/],
    ] as const) {
      const r = await runCli(['--headless', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
