import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanupTerminals, KEYS, renderAppInTerminal } from './render-app.js';

afterEach(() => cleanupTerminals());

describe('under a locale that is not UTF-8', () => {
  it('every frame is ASCII bytes: map, chart with test and previous run, markers, help, walk, with colour and without', async () => {
    for (const color of [false, true]) {
      const app = await renderAppInTerminal({ color, terminal: { unicode: false }, options: { dataset: 'moons', layers: [8], loss: 'hinge', testFraction: 0.3, epochs: 30 } });
      const raw: string[] = [];
      const visit = async (keys: string, shows: string | RegExp): Promise<void> => {
        app.stdin.write(keys);
        await vi.waitFor(() => expect(app.frame()).toMatch(shows), { interval: 5, timeout: 10_000 });
        raw.push(app.stdout.lastFrame);
      };
      raw.push(app.stdout.lastFrame);
      await visit('s', /epoch 1\/30/);
      await visit('d', 'boundary (discrete)');
      await visit(' ', 'running');
      app.scheduler.run();
      await vi.waitFor(() => expect(app.frame()).toContain('done'));
      raw.push(app.stdout.lastFrame);
      await visit('r', color ? '+ before' : '+ before ~');
      await visit('o', 'o linear');
      await visit('?', '- help 1/');
      for (let page = 2; page <= 4; page++) await visit(KEYS.right, `- help ${page}/`);
      await visit(KEYS.escape, /\+- (log )?loss/);
      await visit('b', 'backprop');
      for (const frame of raw) expect(frame).toMatch(/^[\x00-\x7f]*$/);
      const text = raw.join('\n');
      expect(text).toMatch(/[OX]/); // the samples
      expect(text).toMatch(/[ox]/); // held out
      expect(text).toContain('+- boundary ');
      cleanupTerminals();
    }
  });
});
