import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/errors.js';

const error = (argv: string[]): string => {
  try {
    parseCli(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
};

describe('parseCli', () => {
  it('opens the UI on the classic example by default', () => {
    const o = parseCli([]);
    expect(o.mode).toBe('tui');
    expect(o.run).toMatchObject({ dataset: 'classic', layers: [4, 4], activation: 'tanh', loss: 'sse', learningRate: 0.1, epochs: 100, seed: 42 });
  });

  it('reads every run flag', () => {
    const o = parseCli(['--headless', '--dataset', 'moons', '--size', '50', '--noise', '0.2', '--layers', '16,8', '--activation', 'relu', '--loss', 'hinge', '--l2', '1e-4', '--lr', '0.5', '--epochs', '30', '--seed', '7', '--print-every', '5']);
    expect(o).toMatchObject({ mode: 'headless', json: false, printEvery: 5 });
    expect(parseCli(['--headless', '--json'])).toMatchObject({ mode: 'headless', json: true });
    expect(o.run).toMatchObject({ dataset: 'moons', size: 50, noise: 0.2, layers: [16, 8], activation: 'relu', loss: 'hinge', l2: 1e-4, learningRate: 0.5, epochs: 30, seed: 7 });
  });

  it('reads the optimiser', () => {
    expect(parseCli(['--momentum', '0.9']).run).toMatchObject({ momentum: 0.9 });
    expect(parseCli(['--optimizer', 'adam']).run).toMatchObject({ optimizer: 'adam' });
    expect(parseCli(['--optimizer', 'sgd', '--momentum', '0']).run).toMatchObject({ optimizer: 'sgd', momentum: 0 });
  });

  it('reads a learning-rate schedule', () => {
    expect(parseCli(['--lr', '1', '--lr-schedule', 'linear', '--lr-final', '0.1']).run).toMatchObject({ learningRate: 1, lrSchedule: 'linear', lrFinal: 0.1 });
    expect(parseCli(['--lr-schedule', 'step', '--lr-step', '50']).run).toMatchObject({ lrSchedule: 'step', lrStep: 50 });
  });

  it('--task regression trains the numbers with mse unless --loss says otherwise, in any order', () => {
    expect(parseCli(['--dataset', 'moons', '--task', 'regression']).run).toMatchObject({ task: 'regression', loss: 'mse' });
    expect(parseCli(['--task', 'regression', '--dataset', 'moons']).run).toMatchObject({ task: 'regression', loss: 'mse' });
    expect(parseCli(['--dataset', 'moons', '--loss', 'hinge', '--task', 'regression']).run.loss).toBe('hinge');
    expect(parseCli(['--dataset', 'moons', '--task', 'classification']).run.loss).toBe('hinge');
    expect(parseCli(['--task', 'regression']).run.loss).toBe('sse'); // the classic example's loss takes any numbers
  });

  it('accepts --flag=value', () => {
    expect(parseCli(['--lr=0.25']).run.learningRate).toBe(0.25);
  });

  it('knows -h and -v', () => {
    expect(parseCli(['-h']).mode).toBe('help');
    expect(parseCli(['-v']).mode).toBe('version');
  });

  it('lets --help win over anything else', () => {
    expect(parseCli(['--lr', 'abc', '--help']).mode).toBe('help');
    expect(parseCli(['--version']).mode).toBe('version');
  });

  it.each([
    [['--lr', 'abc'], '--lr must be a finite number > 0 (got "abc")'],
    [['--lr', '-1'], '--lr must be a finite number > 0 (got "-1")'],
    [['--lr', '0'], '--lr must be a finite number > 0 (got "0")'],
    [['--lr', '1e400'], '--lr must be a finite number > 0 (got "1e400")'],
    [['--layers', '0'], '--layers must be 1 to 8 comma-separated integers from 1 to 256, like 4,4 (got "0")'],
    [['--layers', '4,,4'], '--layers must be'],
    [['--epochs', '2.5'], '--epochs must be an integer from 1 to 10000000 (got "2.5")'],
    [['--seed', '-3'], '--seed must be an integer from 0 to 4294967295 (got "-3")'],
    [['--dataset', 'mnist'], '--dataset must be one of classic, xor, moons, circles, spiral, blobs (got "mnist")'],
    [['--activation', 'gelu'], '--activation must be one of tanh, relu, sigmoid, linear (got "gelu")'],
    [['--loss', 'l1'], '--loss must be one of sse, mse, hinge, bce, ce (got "l1")'],
    [['--optimizer', 'rmsprop'], '--optimizer must be one of sgd, adam (got "rmsprop")'],
    [['--momentum', '1'], '--momentum must be a number from 0 to below 1 (got "1")'],
    [['--optimizer', 'adam', '--momentum', '0.9'], '--momentum is for --optimizer sgd; adam keeps its own moment estimates'],
    [['--lr-schedule', 'exp'], '--lr-schedule must be one of constant, linear, cosine, step (got "exp")'],
    [['--lr-final', '-0.1', '--lr-schedule', 'linear'], '--lr-final must be a finite number >= 0 (got "-0.1")'],
    [['--lr-final', '0.1'], '--lr-final is for --lr-schedule linear or cosine (the schedule is constant)'],
    [['--lr-schedule', 'step', '--lr-final', '0.1'], '--lr-final is for --lr-schedule linear or cosine (the schedule is step)'],
    [['--lr-step', '10', '--lr-schedule', 'cosine'], '--lr-step is for --lr-schedule step (the schedule is cosine)'],
    [['--lr-schedule', 'step', '--lr-step', '0'], '--lr-step must be an integer from 1 to 10000000 (got "0")'],
    [['--foo'], 'unknown option --foo (see --help for the accepted options)'],
    [['--lr'], '--lr needs a value: --lr X'],
    [['--lr='], '--lr needs a value: --lr X'],
    [['--headless=yes'], '--headless takes no value'],
    [['extra'], 'unexpected argument "extra"'],
    [['--json'], '--json only works with --headless'],
    [['--tour', '--headless'], "--tour is the terminal UI's guided tour; it cannot run with --headless"],
    [['--headless', '--pace', '5'], '--pace is for the terminal UI; --headless always trains as fast as it goes'],
    [['--pace', 'fast'], '--pace must be a number of epochs a second from more than 0 to 1000, or max (got "fast")'],
    [['--headless', '--json', '--print-every', '5'], '--print-every has no effect with --json, which prints every epoch'],
    [['--dataset', 'moons', '--data', 'x.csv'], 'use either --dataset or --data, not both'],
    [['--fps', '0'], '--fps must be'],
    [['--fps', '61'], '--fps must be'],
    [['--headless', '--fps', '10'], "--fps sets the terminal UI's frame rate; it has no effect with --headless"],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(error(argv)).toContain(message);
  });
});

describe('parseCli: --fps', () => {
  it('caps the terminal UI at 30 frames a second unless told', () => {
    expect(parseCli([]).fps).toBe(30);
    expect(parseCli(['--fps', '5']).fps).toBe(5);
  });
});

describe('parseCli: --tour', () => {
  it('opens the terminal UI on the tour', () => {
    expect(parseCli(['--tour'])).toMatchObject({ mode: 'tui', tour: true });
    expect(parseCli([]).tour).toBe(false);
  });
});

describe('parseCli: saving and loading', () => {
  it('reads the file flags', () => {
    const o = parseCli(['--headless', '--save', 'a.ckpt', '--autosave', 'b.ckpt', '--autosave-every', '7', '--export-history', 'h.csv']);
    expect(o).toMatchObject({ save: 'a.ckpt', autosave: 'b.ckpt', autosaveEvery: 7, exportHistory: 'h.csv' });
    expect(parseCli(['--autosave', 'b.ckpt']).autosaveEvery).toBe(50);
  });

  it('lets --lr and --epochs go with --load and records that they were given', () => {
    const o = parseCli(['--headless', '--load', 'a.ckpt', '--lr', '0.01', '--epochs', '500']);
    expect(o.load).toBe('a.ckpt');
    expect(o.given).toEqual(['headless', 'load', 'lr', 'epochs']);
  });

  it.each(['dataset', 'data', 'size', 'noise', 'layers', 'activation', 'loss', 'l2', 'seed'])('refuses --%s with --load', (flag) => {
    const value = { dataset: 'moons', data: 'x.csv', size: '10', noise: '0.1', layers: '4', activation: 'relu', loss: 'mse', l2: '0', seed: '1' }[flag] as string;
    expect(error(['--load', 'a.ckpt', `--${flag}`, value])).toBe(
      `--${flag} cannot be combined with --load: the checkpoint fixes the data and the model (only --lr, --epochs and --engine may change)`,
    );
  });

  it.each([
    [['--save'], '--save needs a value: --save FILE'],
    [['--load='], '--load needs a value: --load FILE'],
    [['--autosave-every', '0', '--autosave', 'a'], '--autosave-every must be an integer from 1 to 10000000 (got "0")'],
    [['--autosave-every', '5'], '--autosave-every needs --autosave FILE'],
  ])('refuses %j', (argv, message) => {
    expect(error(argv)).toBe(message);
  });
});

describe('helpText', () => {
  it('lists every flag and fits an 80-column terminal', async () => {
    const { FLAGS, helpText } = await import('../../src/cli/args.js');
    const text = helpText();
    for (const name of Object.keys(FLAGS)) expect(text).toContain(`--${name}`);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('"--"', () => {
  it('is refused in one line: there are no arguments to end the options for', () => {
    expect(() => parseCli(['--headless', '--', '--lr', '1'])).toThrow(new UserError('"--" ends the options, but micrograd-tui takes no arguments after it: remove it (see --help)'));
  });
});
