import { describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

describe('the headless progress line', () => {
  it('prints a scheduled rate to 6 significant digits, not its float noise (0.15399999999999991 was printed)', async () => {
    const r = await runCli(['--headless', '--dataset', 'moons', '--size', '20', '--layers', '4', '--lr', '1', '--lr-schedule', 'linear', '--lr-final', '0.1', '--epochs', '100', '--print-every', '1']);
    expect(r.code).toBe(0);
    const rates = [...r.out.matchAll(/ lr (\S+) /g)].map((m) => m[1]);
    expect(rates).toHaveLength(100);
    expect(rates[0]).toBe('1');
    expect(rates[85]).toBe('0.235');
    for (const rate of rates) expect(rate.replace(/^0\.|\./, '').length).toBeLessThanOrEqual(6);
  });
});
