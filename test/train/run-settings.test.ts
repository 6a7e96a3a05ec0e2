import { describe, expect, it } from 'vitest';
import { FLAGS, parseCli } from '../../src/cli/args.js';
import { UserError } from '../../src/errors.js';
import { scheduleFor } from '../../src/nn/optim.js';
import { RUN_SETTINGS, runSetting, shownValue } from '../../src/train/run-settings.js';
import { DEFAULT_RUN_OPTIONS, type RunOptions } from '../../src/train/setup.js';

const moons = (): RunOptions => parseCli(['--dataset', 'moons']).run;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('RUN_SETTINGS: one table for the command line and the menu', () => {
  it('gives every setting a flag of the same name, with its help', () => {
    for (const s of RUN_SETTINGS) {
      expect(FLAGS[s.flag]).toMatchObject({ value: s.value, help: s.help });
    }
  });

  it('--lr-final says what the schedules do: the last epoch of the target stops one step short of the final rate', () => {
    const help = runSetting('lr-final')?.help ?? '';
    expect(help).not.toContain('the rate at the epoch target');
    expect(help).toContain('epoch k+1 of a target T takes the schedule at k/T, so the last epoch stops one step short of it');
    for (const kind of ['linear', 'cosine'] as const) {
      const rate = scheduleFor({ kind, final: 0.01 }, 0.1, 100);
      expect(rate(0)).toBe(0.1); // epoch 1
      expect(rate(99)).toBeGreaterThan(0.01); // epoch 100, the target's last
      expect(rate(100)).toBe(0.01); // one past the target
    }
    expect(scheduleFor({ kind: 'linear', final: 0.01 }, 0.1, 100)(99)).toBeCloseTo(0.1 - 0.09 * 0.99, 12);
  });

  it('reads back what it applied, and the command line agrees with the table', () => {
    const o = moons();
    const values: Record<string, string> = {
      size: '50', noise: '0.2', 'test-fraction': '0.2', layers: '8,8,4', activation: 'sigmoid', 'output-activation': 'tanh',
      loss: 'mse', l2: '0.001', lr: '0.05', optimizer: 'sgd', momentum: '0.9', epochs: '300', seed: '7', engine: 'graph',
    };
    for (const [flag, text] of Object.entries(values)) {
      const setting = runSetting(flag);
      expect(setting?.read(setting.apply(o, text))).toBe(text);
      expect(setting?.read(parseCli(['--dataset', 'moons', `--${flag}`, text]).run)).toBe(text);
    }
  });

  it('refuses a bad value with the message --flag gives on the command line', () => {
    const bad: [string, string][] = [
      ['size', '0'], ['noise', '-1'], ['test-fraction', '0.95'], ['layers', '8,,4'], ['activation', 'gelu'], ['loss', 'l1'],
      ['l2', '-1'], ['lr', '0'], ['momentum', '1'], ['epochs', '2.5'], ['seed', '-3'], ['engine', 'gpu'], ['dataset', 'mnist'],
    ];
    for (const [flag, text] of bad) {
      const menu = refusal(() => runSetting(flag)?.apply(moons(), text));
      expect(menu).toMatch(new RegExp(`^--${flag} must be .+ \\(got "${text.replace('.', '\\.')}"\\)$`));
      expect(refusal(() => parseCli(['--dataset', 'moons', `--${flag}=${text}`]))).toBe(menu);
    }
  });

  it('says when a setting does not apply, in the words of the command line', () => {
    const classic = { ...DEFAULT_RUN_OPTIONS };
    expect(runSetting('size')?.inapplicable?.(classic)).toBe(refusal(() => parseCli(['--size', '50'])));
    expect(runSetting('size')?.inapplicable?.(moons())).toBeUndefined();
    const adam = runSetting('optimizer')?.apply(moons(), 'adam') as RunOptions;
    expect(runSetting('momentum')?.inapplicable?.(adam)).toBe(refusal(() => parseCli(['--optimizer', 'adam', '--momentum', '0.5'])));
    expect(runSetting('scale')?.inapplicable?.(moons())).toBe(refusal(() => parseCli(['--dataset', 'moons', '--scale', 'none'])));
  });

  it('fills in the preset when the dataset changes, whatever the order of the flags', () => {
    const o = runSetting('dataset')?.apply({ ...moons(), size: 30, learningRate: 9 }, 'spiral') as RunOptions;
    expect(o).toMatchObject({ dataset: 'spiral', layers: [16, 16], learningRate: 0.3, epochs: 1000 });
    expect(o.size).toBeUndefined();
    expect(parseCli(['--lr', '0.5', '--dataset', 'spiral']).run.learningRate).toBe(0.5);
  });

  it('shows what an unset value means', () => {
    expect(shownValue(runSetting('size')!, moons())).toBe('100');
    expect(shownValue(runSetting('engine')!, moons())).toBe('tape');
    expect(shownValue(runSetting('test-fraction')!, moons())).toBe('0');
  });
});
